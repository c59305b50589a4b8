"""Writes of the Advocate: submitting a complaint, the office's handling, the services'
answers, the deadlines, ratings and retention. Every move of a complaint goes through
:data:`WORKFLOW` (``dimos.core.workflow``); each write is one transaction with its audit entry
and its notifications sent after the commit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.advocate.conf import conf
from dimos.advocate.models import (
    OPEN_STATUSES,
    Adoption,
    AnnualReport,
    Attachment,
    Body,
    CaseSummary,
    Category,
    Channel,
    Complaint,
    ComplaintEvent,
    Exclusion,
    Mediation,
    Message,
    Note,
    Outcome,
    Status,
)
from dimos.core import audit, documents, transactions
from dimos.core.documents import CheckedDocument
from dimos.core.notifications import notify
from dimos.core.tasks import enqueue_on_commit
from dimos.core.workflow import (
    PAUSE,
    RESUME,
    START,
    STOP,
    Clock,
    Move,
    Refused,
    Transition,
    Workflow,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from dimos.accounts.models import User

HANDLE = "advocate.handle_complaint"
ANSWER = "advocate.answer_mediation"


class AdvocateError(Refused):
    """What a complaint's state (or the input) does not allow; shown to the person."""


# --- Screening: what the law excludes, and where to turn instead -----------------------------

WHERE_TO_TURN: dict[str, Any] = {
    Exclusion.COURT: _(
        "While a court examines the case, the Advocate may not intervene. Your lawyer or the "
        "court's registry can tell you how your case stands."
    ),
    Exclusion.PRIVATE: _(
        "A dispute with a neighbour, a landlord or a business is not maladministration. The "
        "municipality's mediation service, the Consumer Ombudsman (for businesses) or a "
        "Justice of the Peace can help."
    ),
    Exclusion.STAFF: _(
        "Matters of the municipality's staff about their own service (pay, transfers, "
        "discipline) go to the Human Resources Directorate and the staff's union."
    ),
    Exclusion.LEGAL_ADVICE: _(
        "The Advocate does not give legal advice. The Bar Association's free legal aid and "
        "the municipality's legal service for residents can."
    ),
    Exclusion.NOT_MUNICIPAL: _(
        "The Advocate examines only the municipality and its legal entities. For the state's "
        "services, the region or utilities, turn to the Greek Ombudsman (synigoros.gr)."
    ),
}


def where_to_turn(exclusion: str) -> Any:
    return WHERE_TO_TURN.get(exclusion, "")


# --- Submitting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Complainant:
    kind: str
    name: str
    email: str = ""
    phone: str = ""
    business_name: str = ""
    tax_number: str = ""
    language: str = "el"
    share_identity: bool = False


@dataclass(frozen=True)
class Details:
    body: Body | None
    category: str
    description: str
    request: str
    happened_on: date | None = None
    earlier_steps: str = ""
    earlier_protocol: str = ""
    attachments: list[CheckedDocument] = field(default_factory=list)


def check_attachment(file: Any) -> CheckedDocument:
    return documents.check_document(file, max_bytes=conf.UPLOAD_MAX_BYTES, error=AdvocateError)


def valid_tax_number(value: str) -> bool:
    """The Greek ΑΦΜ check digit (nine digits)."""
    if len(value) != 9 or not value.isdigit() or value == "000000000":
        return False
    total = sum(int(d) << (8 - i) for i, d in enumerate(value[:8]))
    return total % 11 % 10 == int(value[8])


def _check(person: Complainant, details: Details) -> None:
    if details.body is None or not details.body.is_active:
        raise AdvocateError(_("Choose the service or legal entity your complaint is about."))
    if person.kind not in Complaint.Kind.values:
        raise AdvocateError(_("Say whether you complain as a person or as a business."))
    if not person.name.strip():
        raise AdvocateError(_("Write your full name."))
    if person.kind == Complaint.Kind.BUSINESS:
        if not person.business_name.strip():
            raise AdvocateError(_("Write the business's name."))
        if not valid_tax_number(person.tax_number):
            raise AdvocateError(_("The tax number (ΑΦΜ) is not valid: it has nine digits."))
    if not (person.email or person.phone):
        raise AdvocateError(_("Give an email address or a phone number so we can answer you."))
    if details.category not in Category.values:
        raise AdvocateError(_("Choose what went wrong."))
    if not details.description.strip() or not details.request.strip():
        raise AdvocateError(_("Say what happened and what you ask for."))
    if details.happened_on and details.happened_on > timezone.localdate():
        raise AdvocateError(_("The date it happened cannot be in the future."))
    if len(details.attachments) > conf.MAX_ATTACHMENTS:
        raise AdvocateError(
            _("At most %(n)s documents may be attached.") % {"n": conf.MAX_ATTACHMENTS}
        )


def _key(person: Complainant, details: Details, user: User | None) -> str:
    who = f"u{user.pk}" if user is not None and user.pk else (person.email or person.phone)
    text = "\x1f".join(
        [
            who.strip().lower(),
            str(details.body.pk if details.body else ""),
            details.category,
            " ".join(details.description.split()),
            " ".join(details.request.split()),
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _number(complaint: Complaint, now: datetime) -> None:
    """The protocol number: the next of the year (retried if another took it at once)."""
    year = timezone.localtime(now).year
    for _attempt in range(5):
        top = Complaint.objects.filter(year=year).aggregate(n=Max("number"))["n"] or 0
        complaint.year, complaint.number = year, top + 1
        try:
            with transaction.atomic():
                complaint.save(update_fields=["year", "number"])
            return
        except IntegrityError:
            continue
    raise AdvocateError(_("The complaint could not be numbered; try again."))


def _attach(complaint: Complaint, doc: CheckedDocument, *, by: User | None, office: bool) -> None:
    item = Attachment(
        complaint=complaint,
        original_name=doc.name,
        content_type=doc.content_type,
        size=len(doc.content),
        from_complainant=not office,
        uploaded_by=by if by is not None and by.pk else None,
    )
    item.file.save(f"c{complaint.pk}{doc.extension}", ContentFile(doc.content), save=False)
    item.save()


@dataclass(frozen=True)
class Submitted:
    complaint: Complaint
    created: bool


def submit_complaint(
    *,
    person: Complainant,
    details: Details,
    user: User | None = None,
    staff: User | None = None,
    channel: str = Channel.ONLINE,
    request: HttpRequest | None = None,
) -> Submitted:
    """A complaint is filed: by the person logged in, by email to confirm, or by the office on
    behalf of a caller or visitor (``staff``). A second identical submission answers the first."""
    _check(person, details)
    if staff is not None and not staff.has_perm(HANDLE):
        raise AdvocateError(_("You do not have permission to do this."))
    key = _key(person, details, user)
    existing = Complaint.objects.filter(submission_key=key).first()
    if existing is not None:
        return Submitted(existing, created=False)
    email = person.email.strip().lower()
    if user is not None and user.pk and not email:
        email = user.email
    if staff is None and (user is None or not user.pk) and not email:
        raise AdvocateError(_("Give your email address: we send you a link to confirm it."))
    try:
        with transaction.atomic():
            complaint = Complaint.objects.create(
                submission_key=key,
                user=user if user is not None and user.pk else None,
                kind=person.kind,
                name=person.name.strip()[:200],
                business_name=person.business_name.strip()[:200],
                tax_number=person.tax_number.strip(),
                email=email,
                phone=person.phone.strip()[:30],
                language=person.language if person.language in ("el", "en") else "el",
                share_identity=person.share_identity,
                body=details.body,  # type: ignore[misc]  # checked above
                category=details.category,
                happened_on=details.happened_on,
                description=details.description.strip(),
                earlier_steps=details.earlier_steps.strip(),
                earlier_protocol=details.earlier_protocol.strip()[:100],
                request=details.request.strip(),
                channel=channel if staff is not None else Channel.ONLINE,
                filed_by=staff,
            )
            for doc in details.attachments:
                _attach(complaint, doc, by=user or staff, office=False)
            audit.record(
                action="complaint.created",
                actor=staff or user,
                target=complaint,
                request=request,
                details={"channel": complaint.channel},
            )
            trusted = staff is not None or (user is not None and user.pk)
            if trusted:
                WORKFLOW.apply(
                    complaint, "confirm", actor=staff or user, request=request, authorised=True
                )
            else:
                notify(
                    kind="advocate.confirm",
                    email=complaint.email,
                    language=complaint.language,
                    context={"complaint": complaint},
                    url=reverse("advocate:start"),
                    private_url=reverse("advocate:confirm", kwargs={"token": complaint.token}),
                )
    except IntegrityError:
        # The same complaint, submitted twice at once: the first one stands.
        existing = Complaint.objects.filter(submission_key=key).first()
        if existing is None:
            raise
        return Submitted(existing, created=False)
    complaint.refresh_from_db()
    return Submitted(complaint, created=True)


def confirm_email(*, token: Any, request: HttpRequest | None = None) -> Complaint:
    complaint = Complaint.objects.filter(token=token).first()
    if complaint is None:
        raise AdvocateError(_("This link is not valid."))
    if complaint.status != Status.UNCONFIRMED:
        return complaint
    WORKFLOW.apply(complaint, "confirm", actor=None, request=request, authorised=True)
    complaint.refresh_from_db()
    return complaint


# --- The workflow -------------------------------------------------------------------------------


def tracking_path(complaint: Complaint) -> str:
    return reverse("advocate:track", kwargs={"token": complaint.token})


def tell_complainant(complaint: Complaint, what: Any, *, pdf: bool = False) -> None:
    """The complainant hears of every change that concerns them, in their language."""
    if complaint.erased_at is not None:
        return
    recipient = complaint.user if complaint.user_id else None
    if recipient is None and not complaint.email:
        return  # a caller without email: the office calls them back
    notify(
        kind="advocate.update",
        recipient=recipient,
        email="" if recipient is not None else complaint.email,
        language=complaint.language,
        context={"complaint": complaint, "what": str(what), "pdf": pdf},
        url=reverse("advocate:start"),
        private_url=tracking_path(complaint),
    )


_TOLD: dict[str, Any] = {
    "confirm": _("Your complaint was received and given a protocol number."),
    "admit": _("Your complaint was admitted; the Advocate will answer by the date shown."),
    "reject": _("Your complaint cannot be examined by the Advocate; the answer says why."),
    "refer": _("Your complaint was referred to another authority; the answer says which."),
    "ask": _("The Advocate asks you for more information; the deadline waits for you."),
    "resume": _("The Advocate is examining your complaint again."),
    "conclude": _("The Advocate answered your complaint: the answer is attached as a PDF."),
    "withdraw": _("Your complaint was withdrawn."),
}


def _notify(move: Move) -> None:
    from dimos.advocate.selectors import PUBLIC_VERSION

    PUBLIC_VERSION.changed()
    tell_complainant(move.case, _TOLD.get(move.action, ""), pdf=move.action == "conclude")


def _confirmed(move: Move) -> None:
    if move.case.email_confirmed_at is None and not move.case.filed_by_id:
        move.set("email_confirmed_at", move.now)
    move.set("submitted_at", move.now)


def _after_confirm(move: Move) -> None:
    _number(move.case, move.now)


def _decision(move: Move) -> None:
    text = str(move.data.get("explanation", "")).strip()
    if move.action == "reject":
        exclusion = move.data.get("exclusion", "")
        if exclusion not in Exclusion.values:
            raise AdvocateError(_("Choose the reason from the law."))
        move.set("exclusion", exclusion)
        if not text:
            text = str(where_to_turn(exclusion))
    if move.action == "refer":
        where = str(move.data.get("referred_to", "")).strip()
        if not where:
            raise AdvocateError(_("Say where the complaint was referred."))
        move.set("referred_to", where[:300])
    if not text:
        raise AdvocateError(_("Explain the decision to the complainant."))
    move.set("decision_text", text)
    move.data["public_message"] = text


def _paused_days(move: Move) -> None:
    move.set("paused_days", move.case.paused_days + move.paused_days)


def _plan_checks(move: Move) -> None:
    due = move.case.due_on
    if due is not None:
        for day in (due - timedelta(days=conf.WARN_DAYS), due + timedelta(days=1)):
            plan_deadline_check(day)


def _conclude(move: Move) -> None:
    outcome = move.data.get("outcome", "")
    if outcome not in Outcome.values or outcome == Outcome.WITHDRAWN:
        raise AdvocateError(_("Choose the outcome."))
    answer = str(move.data.get("answer", "")).strip()
    if not answer:
        raise AdvocateError(_("Write the answer to the complainant."))
    reasons = str(move.data.get("service_reasons", "")).strip()
    if outcome == Outcome.NOT_RESOLVED and not reasons:
        raise AdvocateError(_("Write the service's reasons for disagreeing."))
    recommendation = str(move.data.get("recommendation", "")).strip()
    move.set("outcome", outcome)
    move.set("answer", answer)
    move.set("service_reasons", reasons)
    move.set("recommendation", recommendation)
    move.set("adoption", Adoption.PENDING if recommendation else "")
    Mediation.objects.filter(complaint=move.case, status=Mediation.Status.OPEN).update(
        status=Mediation.Status.CANCELLED
    )


def _withdraw(move: Move) -> None:
    move.set("outcome", Outcome.WITHDRAWN)
    Mediation.objects.filter(complaint=move.case, status=Mediation.Status.OPEN).update(
        status=Mediation.Status.CANCELLED
    )


def _owner_or_office(complaint: Complaint, actor: Any) -> Any:
    if actor is not None and actor.has_perm(HANDLE):
        return None
    if actor is not None and complaint.user_id and complaint.user_id == actor.pk:
        return None
    return _("You do not have permission to do this.")


def _completed(move: Move) -> None:
    """A complaint answered is a completed transaction (dimos.core.transactions): the
    complainant is asked, once, how the service went."""
    complaint: Complaint = move.case
    transactions.completed(
        "advocate.complaint",
        complaint.pk,
        user=complaint.user,
        email=complaint.email,
        language=complaint.language,
        online=complaint.channel == Channel.ONLINE,
        started_at=complaint.submitted_at,
    )


WORKFLOW = Workflow(
    model=Complaint,
    error=AdvocateError,
    timeline=ComplaintEvent,
    audit_action="complaint.{action}",
    notify=_notify,
    clock=Clock(
        due="due_on",
        paused_since="paused_since",
        working_days=lambda c: conf.ANSWER_DAYS,
        calendar=True,
    ),
    transitions={
        "confirm": Transition(
            sources=(Status.UNCONFIRMED,),
            target=Status.SUBMITTED,
            effect=_confirmed,
            after=_after_confirm,
            kind=ComplaintEvent.Kind.SUBMITTED,
        ),
        "admit": Transition(
            sources=(Status.SUBMITTED,),
            target=Status.ADMITTED,
            permission=HANDLE,
            stamp=("admitted_at",),
            clock=START,
            after=_plan_checks,
        ),
        "reject": Transition(
            sources=(Status.SUBMITTED,),
            target=Status.INADMISSIBLE,
            permission=HANDLE,
            stamp=("closed_at",),
            effect=_decision,
        ),
        "refer": Transition(
            sources=(Status.SUBMITTED,),
            target=Status.REFERRED,
            permission=HANDLE,
            stamp=("closed_at",),
            effect=_decision,
        ),
        "ask": Transition(
            sources=(Status.ADMITTED,),
            target=Status.WAITING,
            permission=HANDLE,
            clock=PAUSE,
        ),
        "resume": Transition(
            sources=(Status.WAITING,),
            target=Status.ADMITTED,
            permission=HANDLE,
            clock=RESUME,
            effect=_paused_days,
            after=_plan_checks,
        ),
        "conclude": Transition(
            sources=(Status.ADMITTED,),
            target=Status.CONCLUDED,
            permission=HANDLE,
            stamp=("closed_at",),
            clock=STOP,
            effect=_conclude,
            after=_completed,
        ),
        "withdraw": Transition(
            sources=OPEN_STATUSES,
            target=Status.WITHDRAWN,
            allowed=_owner_or_office,
            stamp=("closed_at",),
            clock=STOP,
            effect=_withdraw,
        ),
    },
)


def admit(*, complaint: Complaint, actor: User, request: HttpRequest | None = None) -> Complaint:
    return WORKFLOW.apply(complaint, "admit", actor=actor, request=request).case


def reject(
    *,
    complaint: Complaint,
    exclusion: str,
    explanation: str = "",
    actor: User,
    request: HttpRequest | None = None,
) -> Complaint:
    """Not admissible, with the law's reason and where to turn instead."""
    return WORKFLOW.apply(
        complaint,
        "reject",
        actor=actor,
        request=request,
        exclusion=exclusion,
        explanation=explanation,
    ).case


def refer(
    *,
    complaint: Complaint,
    referred_to: str,
    explanation: str,
    actor: User,
    request: HttpRequest | None = None,
) -> Complaint:
    return WORKFLOW.apply(
        complaint,
        "refer",
        actor=actor,
        request=request,
        referred_to=referred_to,
        explanation=explanation,
    ).case


def _message(complaint: Complaint, direction: str, text: str, author: User | None) -> Message:
    return Message.objects.create(
        complaint=complaint,
        direction=direction,
        text=text.strip(),
        author=author if author is not None and author.pk else None,
    )


def ask_complainant(
    *, complaint: Complaint, text: str, actor: User, request: HttpRequest | None = None
) -> Complaint:
    """The office asks the complainant for more: the clock pauses until they answer."""
    if not text.strip():
        raise AdvocateError(_("Write what you ask the complainant for."))
    with transaction.atomic():
        move = WORKFLOW.apply(
            complaint, "ask", actor=actor, request=request, public_message=text.strip()
        )
        _message(move.case, Message.Direction.TO_COMPLAINANT, text, actor)
    return move.case


def resume(*, complaint: Complaint, actor: User, request: HttpRequest | None = None) -> Complaint:
    return WORKFLOW.apply(complaint, "resume", actor=actor, request=request).case


def write_to_complainant(
    *, complaint: Complaint, text: str, actor: User, request: HttpRequest | None = None
) -> Message:
    """A message from the office that does not stop the clock."""
    if not actor.has_perm(HANDLE):
        raise AdvocateError(_("You do not have permission to do this."))
    complaint = Complaint.objects.get(pk=complaint.pk)
    if complaint.is_closed:
        raise AdvocateError(_("This complaint is closed: no more messages can be sent."))
    if not text.strip():
        raise AdvocateError(_("Write the message."))
    with transaction.atomic():
        message = _message(complaint, Message.Direction.TO_COMPLAINANT, text, actor)
        _event(complaint, ComplaintEvent.Kind.MESSAGE, actor=actor, message=text.strip())
        audit.record(
            action="complaint.message_sent", actor=actor, target=complaint, request=request
        )
        tell_complainant(complaint, _("The Advocate's office wrote to you."))
    return message


def reply(
    *,
    complaint: Complaint,
    text: str,
    attachments: list[CheckedDocument] | None = None,
    user: User | None = None,
    request: HttpRequest | None = None,
) -> Message:
    """The complainant writes or sends documents; a paused clock runs again."""
    attachments = attachments or []
    complaint = Complaint.objects.get(pk=complaint.pk)
    if complaint.is_closed or complaint.status == Status.UNCONFIRMED:
        raise AdvocateError(_("This complaint is closed: no more messages can be sent."))
    if not text.strip() and not attachments:
        raise AdvocateError(_("Write a message or attach a document."))
    if complaint.attachments.count() + len(attachments) > conf.MAX_ATTACHMENTS:
        raise AdvocateError(
            _("At most %(n)s documents may be attached.") % {"n": conf.MAX_ATTACHMENTS}
        )
    with transaction.atomic():
        message = _message(
            complaint, Message.Direction.TO_OFFICE, text or str(_("(documents)")), user
        )
        for doc in attachments:
            _attach(complaint, doc, by=user, office=False)
        _event(complaint, ComplaintEvent.Kind.MESSAGE, actor=user, message=message.text)
        audit.record(action="complaint.replied", actor=user, target=complaint, request=request)
        if complaint.status == Status.WAITING:
            WORKFLOW.apply(complaint, "resume", actor=user, request=request, authorised=True)
        _tell_office(complaint, _("The complainant wrote to the office."))
    return message


def withdraw(
    *, complaint: Complaint, actor: User | None, request: HttpRequest | None = None
) -> Complaint:
    return WORKFLOW.apply(
        complaint, "withdraw", actor=actor, request=request, authorised=actor is None
    ).case


def conclude(
    *,
    complaint: Complaint,
    outcome: str,
    answer: str,
    recommendation: str = "",
    service_reasons: str = "",
    actor: User,
    request: HttpRequest | None = None,
) -> Complaint:
    """The office answers: the outcome, the recommendation (πόρισμα) and the letter."""
    return WORKFLOW.apply(
        complaint,
        "conclude",
        actor=actor,
        request=request,
        outcome=outcome,
        answer=answer,
        recommendation=recommendation,
        service_reasons=service_reasons,
    ).case


# --- The office's other work ---------------------------------------------------------------


def _event(
    complaint: Complaint, kind: str, *, actor: User | None, message: str = "", public: bool = True
) -> ComplaintEvent:
    entry = ComplaintEvent(
        complaint=complaint,
        kind=kind,
        status=complaint.status,
        message=message,
        public=public,
        actor=actor if actor is not None and actor.pk else None,
    )
    entry.save()
    return entry


def _tell_office(complaint: Complaint, what: Any) -> None:
    if complaint.assigned_to_id and complaint.assigned_to is not None:
        notify(
            kind="advocate.office",
            recipient=complaint.assigned_to,
            context={"complaint": complaint, "what": str(what)},
            url=reverse("advocate_staff:detail", kwargs={"pk": complaint.pk}),
        )


def _office(actor: User) -> None:
    if not actor.has_perm(HANDLE):
        raise AdvocateError(_("You do not have permission to do this."))


@transaction.atomic
def assign(
    *, complaint: Complaint, to: User | None, actor: User, request: HttpRequest | None = None
) -> Complaint:
    _office(actor)
    if to is not None and not to.has_perm(HANDLE):
        raise AdvocateError(_("Only the Advocate's office may handle a complaint."))
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    complaint.assigned_to = to
    complaint.save(update_fields=["assigned_to"])
    _event(
        complaint,
        ComplaintEvent.Kind.ASSIGNED,
        actor=actor,
        message=to.get_full_name() or to.email if to else "",
        public=False,
    )
    audit.record(
        action="complaint.assigned",
        actor=actor,
        target=complaint,
        request=request,
        details={"to": to.pk if to else None},
    )
    if to is not None and to.pk != actor.pk:
        _tell_office(complaint, _("A complaint was given to you."))
    return complaint


@transaction.atomic
def add_note(
    *,
    complaint: Complaint,
    kind: str,
    text: str,
    actor: User,
    request: HttpRequest | None = None,
) -> Note:
    """A meeting, a call or a note: the office's record, never shown to anyone else."""
    _office(actor)
    if kind not in Note.Kind.values or not text.strip():
        raise AdvocateError(_("Write what was said or done."))
    note = Note.objects.create(complaint=complaint, kind=kind, text=text.strip(), author=actor)
    audit.record(action="complaint.noted", actor=actor, target=complaint, request=request)
    return note


def add_office_document(
    *, complaint: Complaint, document: CheckedDocument, actor: User, request: Any = None
) -> None:
    _office(actor)
    with transaction.atomic():
        _attach(complaint, document, by=actor, office=True)
        _event(complaint, ComplaintEvent.Kind.DOCUMENT, actor=actor, public=False)
        audit.record(action="complaint.document_added", actor=actor, target=complaint)


def record_view(*, complaint: Complaint, actor: User, request: HttpRequest | None = None) -> None:
    """Every reading of a complaint by staff is on record."""
    audit.record(action="complaint.viewed", actor=actor, target=complaint, request=request)


# --- Mediation with the service -----------------------------------------------------------


def request_mediation(
    *,
    complaint: Complaint,
    question: str,
    days: int | None = None,
    share: list[int] | None = None,
    body: Body | None = None,
    actor: User,
    request: HttpRequest | None = None,
) -> Mediation:
    """The office asks the service concerned, sharing only what it chooses (and the
    complainant's name only with their consent)."""
    _office(actor)
    complaint = Complaint.objects.select_related("body").get(pk=complaint.pk)
    if complaint.status != Status.ADMITTED:
        raise AdvocateError(_("Only an admitted complaint under examination can go to a service."))
    if not question.strip():
        raise AdvocateError(_("Write what you ask the service."))
    days = days or conf.SERVICE_DAYS
    if not 1 <= days <= 60:
        raise AdvocateError(_("A service gets between 1 and 60 days to answer."))
    target = body or complaint.body
    with transaction.atomic():
        mediation = Mediation.objects.create(
            complaint=complaint,
            body=target,
            question=question.strip(),
            show_identity=complaint.share_identity,
            due_on=timezone.localdate() + timedelta(days=days),
            sent_by=actor,
        )
        if share:
            complaint.attachments.filter(pk__in=share).update(shared=True)
        _event(complaint, ComplaintEvent.Kind.MEDIATION, actor=actor)
        audit.record(
            action="mediation.requested",
            actor=actor,
            target=complaint,
            request=request,
            details={"mediation": mediation.pk, "body": target.pk},
        )
        for liaison in target.liaisons.filter(is_active=True):
            notify(
                kind="advocate.mediation",
                recipient=liaison,
                context={"mediation": mediation},
                url=reverse("advocate_staff:service_request", kwargs={"pk": mediation.pk}),
            )
        tell_complainant(complaint, _("The Advocate asked the service concerned."))
        plan_deadline_check(mediation.due_on + timedelta(days=1))
        plan_deadline_check(mediation.due_on + timedelta(days=conf.ESCALATE_AFTER_DAYS + 1))
    return mediation


def is_liaison(user: Any, body: Body) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.has_perm(ANSWER)
        and body.liaisons.filter(pk=user.pk).exists()
    )


def answer_mediation(
    *,
    mediation: Mediation,
    answer: str,
    agrees: bool | None,
    actor: User,
    request: HttpRequest | None = None,
) -> Mediation:
    """The service answers the office inside Dimos."""
    if not is_liaison(actor, mediation.body):
        raise AdvocateError(_("You do not have permission to do this."))
    if not answer.strip():
        raise AdvocateError(_("Write the service's answer."))
    with transaction.atomic():
        mediation = Mediation.objects.select_for_update().get(pk=mediation.pk)
        complaint = mediation.complaint
        if complaint.is_closed:
            raise AdvocateError(
                _("The Advocate has already closed this complaint; the answer was not recorded.")
            )
        if mediation.status != Mediation.Status.OPEN:
            raise AdvocateError(_("This request has already been answered."))
        mediation.answer = answer.strip()
        mediation.agrees = agrees
        mediation.answered_at = timezone.now()
        mediation.answered_by = actor
        mediation.status = Mediation.Status.ANSWERED
        mediation.save()
        _event(complaint, ComplaintEvent.Kind.SERVICE_ANSWER, actor=actor, public=True)
        audit.record(
            action="mediation.answered",
            actor=actor,
            target=complaint,
            request=request,
            details={"mediation": mediation.pk},
        )
        _tell_office(complaint, _("The service answered the Advocate's request."))
        tell_complainant(complaint, _("The service concerned answered the Advocate."))
    return mediation


def record_mediation_view(*, mediation: Mediation, actor: User, request: Any = None) -> None:
    audit.record(
        action="mediation.viewed",
        actor=actor,
        target=mediation.complaint,
        request=request,
        details={"mediation": mediation.pk},
    )


# --- Deadlines: warnings, reminders, escalation --------------------------------------------


def plan_deadline_check(day: date) -> None:
    """Plan the deadline check for the morning of ``day`` (a task with ``run_after``)."""
    from dimos.advocate.tasks import check_deadlines_task

    today = timezone.localdate()
    when = timezone.make_aware(datetime.combine(max(day, today), datetime.min.time())) + timedelta(
        hours=7
    )
    enqueue_on_commit(check_deadlines_task, day.isoformat(), run_after=when)


@dataclass
class Checked:
    warned: int = 0
    overdue: int = 0
    reminded: int = 0
    escalated: int = 0


def _office_people(complaint: Complaint) -> list[Any]:
    if complaint.assigned_to_id and complaint.assigned_to and complaint.assigned_to.is_active:
        return [complaint.assigned_to]
    return list(office_staff())


def office_staff() -> Any:
    """The Advocate's office: staff who hold the role (a superuser only if they do too)."""
    from django.db.models import Q

    from dimos.accounts.selectors import active_staff

    holds = Q(groups__permissions__codename="handle_complaint") | Q(
        user_permissions__codename="handle_complaint"
    )
    return active_staff(permission="handle_complaint", app_label="advocate").filter(holds)


def check_deadlines(*, today: date | None = None) -> Checked:
    """The daily check: the office warned ahead of a complaint's date and when it passed (a
    paused clock warns nobody), services reminded once late, their head told later on. Each
    warning is sent once (stamped), so running it twice a day sends nothing twice."""
    today = today or timezone.localdate()
    done = Checked()
    running = Complaint.objects.filter(status=Status.ADMITTED, due_on__isnull=False)
    for complaint in running.filter(due_on__lte=today + timedelta(days=conf.WARN_DAYS)):
        with transaction.atomic():
            locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
            if locked.due_on is None or locked.status != Status.ADMITTED:
                continue
            overdue = locked.due_on < today
            if overdue and locked.overdue_warned_for != locked.due_on:
                locked.overdue_warned_for = locked.due_on
                done.overdue += 1
            elif not overdue and locked.warned_for != locked.due_on:
                locked.warned_for = locked.due_on
                done.warned += 1
            else:
                continue
            locked.save(update_fields=["warned_for", "overdue_warned_for"])
            for person in _office_people(locked):
                notify(
                    kind="advocate.deadline",
                    recipient=person,
                    context={"complaint": locked, "overdue": overdue},
                    url=reverse("advocate_staff:detail", kwargs={"pk": locked.pk}),
                )
    late = Mediation.objects.filter(status=Mediation.Status.OPEN, due_on__lt=today)
    for mediation in late.select_related("body", "complaint"):
        with transaction.atomic():
            if mediation.reminded_at is None:
                Mediation.objects.filter(pk=mediation.pk).update(reminded_at=timezone.now())
                _event(mediation.complaint, ComplaintEvent.Kind.REMINDER, actor=None, public=False)
                for liaison in mediation.body.liaisons.filter(is_active=True):
                    notify(
                        kind="advocate.reminder",
                        recipient=liaison,
                        context={"mediation": mediation},
                        url=reverse("advocate_staff:service_request", kwargs={"pk": mediation.pk}),
                    )
                done.reminded += 1
            escalate_on = mediation.due_on + timedelta(days=conf.ESCALATE_AFTER_DAYS)
            if mediation.escalated_at is None and today > escalate_on:
                Mediation.objects.filter(pk=mediation.pk).update(escalated_at=timezone.now())
                _event(mediation.complaint, ComplaintEvent.Kind.ESCALATED, actor=None)
                head = mediation.body.head
                if head is not None and head.is_active:
                    notify(
                        kind="advocate.escalated",
                        recipient=head,
                        context={"mediation": mediation},
                        url=reverse("advocate_staff:service_request", kwargs={"pk": mediation.pk}),
                    )
                done.escalated += 1
    return done


# --- The recommendation's follow-up ------------------------------------------------------------
# (The complainant rates the service through the feedback app: an answered complaint is a
# completed transaction, see ``_completed``.)


@transaction.atomic
def record_adoption(
    *, complaint: Complaint, adoption: str, actor: User, request: HttpRequest | None = None
) -> Complaint:
    _office(actor)
    complaint = Complaint.objects.get(pk=complaint.pk)
    if not complaint.recommendation:
        raise AdvocateError(_("This complaint has no recommendation to follow up."))
    if adoption not in Adoption.values:
        raise AdvocateError(_("Choose whether the service followed the recommendation."))
    Complaint.objects.filter(pk=complaint.pk).update(adoption=adoption)
    complaint.adoption = adoption
    audit.record(
        action="complaint.adoption",
        actor=actor,
        target=complaint,
        request=request,
        details={"adoption": adoption},
    )
    return complaint


# --- Published summaries and the annual report ----------------------------------------------


def _public_changed() -> None:
    """What the public pages show changed: the figures and the kept pages follow."""
    from dimos.advocate.selectors import PUBLIC_VERSION
    from dimos.core import pagecache

    PUBLIC_VERSION.changed()
    transaction.on_commit(pagecache.bump)


@transaction.atomic
def publish_summary(
    *,
    complaint: Complaint,
    title: str,
    summary: str,
    checked: bool,
    actor: User,
    request: HttpRequest | None = None,
) -> CaseSummary:
    """An anonymised summary goes public only once a person confirms no personal data is left."""
    _office(actor)
    complaint = Complaint.objects.select_related("body").get(pk=complaint.pk)
    if not complaint.is_closed:
        raise AdvocateError(_("Only a closed complaint can be summarised publicly."))
    if not checked:
        raise AdvocateError(_("Confirm that you checked the summary holds no personal data."))
    if not title.strip() or not summary.strip():
        raise AdvocateError(_("Write a title and the summary."))
    for personal in (
        complaint.name,
        complaint.business_name,
        complaint.email,
        complaint.phone,
        complaint.tax_number,
    ):
        if personal and len(personal) > 3 and personal.lower() in f"{title} {summary}".lower():
            raise AdvocateError(_("The summary still holds the complainant's details."))
    item, _created = CaseSummary.objects.update_or_create(
        complaint=complaint,
        defaults={
            "year": timezone.localtime(complaint.submitted_at or complaint.created_at).year,
            "body": complaint.body,
            "title": title.strip()[:200],
            "summary": summary.strip(),
            "recommendation": complaint.recommendation,
            "adoption": complaint.adoption,
            "checked_by": actor,
            "published_at": timezone.now(),
        },
    )
    audit.record(action="summary.published", actor=actor, target=complaint, request=request)
    _public_changed()
    return item


@transaction.atomic
def save_report(
    *,
    year: int,
    introduction_el: str,
    introduction_en: str,
    highlights_el: str,
    highlights_en: str,
    publish: bool,
    actor: User,
    request: HttpRequest | None = None,
) -> AnnualReport:
    _office(actor)
    if not 2000 <= year <= timezone.localdate().year:
        raise AdvocateError(_("There is no report for that year."))
    report, _created = AnnualReport.objects.get_or_create(year=year)
    report.introduction_el = introduction_el.strip()
    report.introduction_en = introduction_en.strip()
    report.highlights_el = highlights_el.strip()
    report.highlights_en = highlights_en.strip()
    if publish and report.published_at is None:
        if not report.introduction_el:
            raise AdvocateError(_("Write the introduction before publishing."))
        report.published_at = timezone.now()
        report.published_by = actor
    report.save()
    audit.record(
        action="report.published" if publish else "report.edited",
        actor=actor,
        target=report,
        request=request,
    )
    _public_changed()
    return report


# --- Retention -----------------------------------------------------------------------------


def anonymise(complaint: Complaint) -> None:
    """Remove the complainant's identity and files; the figures keep the case."""
    for item in complaint.attachments.all():
        item.file.delete(save=False)
    complaint.attachments.all().delete()
    complaint.messages.update(text="—")
    complaint.events.filter(kind=ComplaintEvent.Kind.MESSAGE).update(message="")
    complaint.notes.update(text="—")
    Complaint.objects.filter(pk=complaint.pk).update(
        user=None,
        name="—",
        business_name="",
        tax_number="",
        email="",
        phone="",
        description="—",
        earlier_steps="",
        earlier_protocol="",
        request="—",
        answer="—",
        submission_key=f"erased-{complaint.pk}",
        erased_at=timezone.now(),
    )


def erase_lapsed(*, today: date | None = None) -> int:
    """Anonymise the complaints closed more than ``RETENTION_YEARS`` ago."""
    today = today or timezone.localdate()
    cutoff = timezone.make_aware(
        datetime.combine(today.replace(year=today.year - conf.RETENTION_YEARS), datetime.min.time())
    )
    lapsed = Complaint.objects.filter(erased_at__isnull=True, closed_at__lt=cutoff)
    count = 0
    for complaint in lapsed:
        with transaction.atomic():
            anonymise(complaint)
        count += 1
    return count
