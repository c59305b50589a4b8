"""Writes of the certificates app. Each runs in a transaction, audits, and notifies.

The request's state machine (the table :data:`WORKFLOW`, applied by the workflow kit,
:mod:`dimos.core.workflow`)::

    new ──► in review ──► approved ──► issued (re-issue supersedes the previous PDF)
     │  ╲        ▲  │          │
     │   ╲       │  ▼          ▼
     │    ► waiting for the resident (deadline paused)
     └──────────────────────► rejected (with a reason)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import string
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dimos.certificates.conf import conf
from dimos.certificates.models import (
    HOLDER_FIELDS,
    Attachment,
    CertificateRequest,
    CertificateType,
    Channel,
    DocumentStatus,
    EventKind,
    IdentityCheck,
    IdentityDocument,
    IssuedDocument,
    ProtocolCounter,
    Requester,
    RequestEvent,
    Status,
    format_code,
    placeholders,
)
from dimos.certificates.selectors import forget_verification_state
from dimos.core import audit, transactions
from dimos.core.documents import CheckedDocument, check_document
from dimos.core.notifications import notify
from dimos.core.selectors import current_municipality
from dimos.core.workdays import add_working_days
from dimos.core.workflow import PAUSE, RESUME, STOP, Clock, Move, Refused, Transition, Workflow

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.http import HttpRequest

    from dimos.accounts.models import User

SOURCE = "certificates"


class CertificateError(Refused):
    """A change the request's state does not allow; the message is shown to the person."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


class UploadRejected(CertificateError):
    pass


class IncompleteRequest(CertificateError):
    """The request lacks details its document prints; ``missing`` are their labels."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(
            gettext_lazy(
                "The certificate cannot be issued: the request lacks %(details)s. "
                "Ask the resident for them."
            )
            % {"details": ", ".join(missing)}
        )


# --- Uploads ------------------------------------------------------------------------------


# An upload checked by its content (a photo re-encoded without its EXIF): core's document.
CheckedUpload = CheckedDocument


def check_upload(file: UploadedFile) -> CheckedUpload:
    """Accept a PDF, JPEG or PNG within the size limit, judged by its content; a photo of a
    document is kept without its metadata (where and when the phone took it)."""
    return check_document(file, max_bytes=conf.UPLOAD_MAX_BYTES, error=UploadRejected)


def _attach(
    req: CertificateRequest, kind: str, label: str, upload: CheckedUpload, user: User | None
) -> Attachment:
    attachment = Attachment(
        request=req,
        kind=kind[:50],
        label=label[:200],
        original_name=upload.name,
        content_type=upload.content_type,
        size=len(upload.content),
        uploaded_by=user if user is not None and user.pk else None,
    )
    attachment.file.save(
        f"r{req.pk}-{kind[:20]}{upload.extension}", ContentFile(upload.content), save=False
    )
    attachment.save()
    return attachment


# --- Notifications and history ----------------------------------------------------------------


def _event(
    req: CertificateRequest,
    kind: str,
    *,
    actor: User | None,
    message: str = "",
    public: bool = True,
) -> RequestEvent:
    return RequestEvent.objects.create(
        request=req,
        kind=kind,
        status=req.status,
        message=message,
        public=public,
        actor=actor if actor is not None and actor.pk else None,
    )


def _tell(req: CertificateRequest, kind: str, message: str = "") -> None:
    """Tell the applicant (or the phone caller's contact) about a change."""
    context = {"req": req, "message": message}
    if req.applicant_id is not None and req.applicant is not None and req.applicant.is_active:
        notify(
            kind=kind,
            recipient=req.applicant,
            context=context,
            url=reverse("certificates:detail", args=[req.pk]),
        )
    elif req.contact_email or req.contact_phone:
        notify(kind=kind, email=req.contact_email, phone=req.contact_phone, context=context)


def _locked(req: CertificateRequest) -> CertificateRequest:
    # Lock the request row only (PostgreSQL refuses FOR UPDATE on an outer join's side).
    return (
        CertificateRequest.objects.select_for_update(of=("self",))
        .select_related("certificate_type", "applicant")
        .get(pk=req.pk)
    )


def _not_while(req: CertificateRequest, action: str, transition: Transition) -> Any:
    return gettext_lazy("This is not possible while the request is “%(status)s”.") % {
        "status": req.get_status_display()
    }


def _tell_updated(move: Move) -> None:
    _tell(move.case, "certificates.updated", move.note)


def _reviewing(move: Move) -> None:
    if move.case.assigned_to_id is None:
        move.set("assigned_to", move.actor)


def _no_pending_document(req: CertificateRequest) -> None:
    if IssuedDocument.objects.filter(request=req, status=DocumentStatus.PENDING).exists():
        raise CertificateError(
            gettext_lazy("A certificate of this request is being issued: retry or finish it first.")
        )


def _asking(move: Move) -> None:
    _no_pending_document(move.case)
    if not move.note:
        raise CertificateError(gettext_lazy("Write what is needed."))
    move.set("info_request", move.note)


def _answering(move: Move) -> None:
    req = move.case
    details = move.data["details"]
    files: list[CheckedUpload] = move.data["files"]
    if not move.note and not files and not details:
        raise CertificateError(gettext_lazy("Write an answer or attach a document."))
    move.changed.update(_fill_details(req, details))
    for index, upload in enumerate(files, start=1):
        _attach(req, f"reply-{index}", _("Answer to the clerk"), upload, move.actor)
    summary = "\n".join(
        f"{req.certificate_type.document_label(key)}: {req.value_of(key)}"
        for key in details
        if key in req.certificate_type.needed_fields()
    )
    move.note = "\n\n".join(filter(None, [move.note, summary]))


def _rejecting(move: Move) -> None:
    req = move.case
    if not move.note:
        raise CertificateError(gettext_lazy("A reason is needed."))
    move.set("rejection_reason", move.note)
    # A certificate whose signing failed is never issued now: its protocol number stays
    # explained by the void row (and the audit entry) instead of leaving a gap.
    for pending in IssuedDocument.objects.filter(request=req, status=DocumentStatus.PENDING):
        pending.status = DocumentStatus.VOID
        pending.save(update_fields=["status"])
        audit.record(
            action="certificate.voided",
            actor=move.actor,
            target=req,
            request=move.request,
            details={"code": pending.code, "protocol": pending.protocol_number},
        )


def _issuing(move: Move) -> None:
    move.set("protocol_number", move.data["document"].protocol_number)


def _issued(move: Move) -> None:
    req, document = move.case, move.data["document"]
    _event(req, EventKind.ISSUED, actor=move.actor, message=document.protocol_number)
    if req.home_delivery:
        _schedule_delivery(req, document, move.actor, move.request)
    transactions.completed(
        "certificates.request",
        req.pk,
        user=req.applicant,
        email=req.contact_email,
        online=req.channel == Channel.ONLINE,
        started_at=req.submitted_at,
        url=reverse("certificates:detail", args=[req.pk]),
    )


WORKFLOW = Workflow(
    model=CertificateRequest,
    error=CertificateError,
    transitions={
        "review": Transition(
            sources=(Status.NEW,),
            target=Status.REVIEW,
            effect=_reviewing,
            audit_action="certificate_request.review",
            notify=_tell_updated,
        ),
        "approve": Transition(
            sources=(Status.NEW, Status.REVIEW),
            target=Status.APPROVED,
            audit_action="certificate_request.approved",
            notify=_tell_updated,
        ),
        # Ask the resident for a document or an answer: the deadline clock stops.
        "info": Transition(
            sources=(Status.NEW, Status.REVIEW, Status.APPROVED),
            target=Status.WAITING,
            clock=PAUSE,
            effect=_asking,
            kind=EventKind.INFO_REQUEST,
            audit_action="certificate_request.info_requested",
            notify=lambda move: _tell(move.case, "certificates.info_requested", move.note),
        ),
        # The resident answers: the deadline moves by the working days spent waiting.
        "answer": Transition(
            sources=(Status.WAITING,),
            target=Status.REVIEW,
            clock=RESUME,
            effect=_answering,
            kind=EventKind.REPLY,
            audit_action="certificate_request.info_answered",
            details=lambda move: {
                "files": len(move.data["files"]),
                "paused_working_days": move.paused_days,
                "details": sorted(move.data["details"]),
            },
        ),
        "reject": Transition(
            sources=(Status.NEW, Status.REVIEW, Status.APPROVED, Status.WAITING),
            target=Status.REJECTED,
            clock=STOP,
            effect=_rejecting,
            audit_action="certificate_request.rejected",
            details=lambda move: {"reason": move.note[:500]},
            notify=_tell_updated,
        ),
        # Four eyes (ADR 0019). Checked when the protocol number is reserved; applied when
        # the signed PDF is registered (see issue()).
        "issue": Transition(
            sources=(Status.NEW, Status.REVIEW, Status.APPROVED, Status.ISSUED),
            target=Status.ISSUED,
            allowed=lambda req, actor: issue_refusal(req, actor),
            clock=STOP,
            effect=_issuing,
            audit_action="certificate.issued",
            details=lambda move: {
                "code": move.data["document"].code,
                "sha256": move.data["document"].sha256,
                "protocol": move.data["document"].protocol_number,
            },
            after=_issued,
            notify=lambda move: _tell(move.case, "certificates.issued"),
        ),
    },
    timeline=RequestEvent,
    refusal=_not_while,
    clock=Clock(due="due_on", paused_since="waiting_since"),
    touch=("updated_at",),
    select_related=("certificate_type", "applicant"),
)


# --- Submitting -----------------------------------------------------------------------------


def home_delivery_allowed(*, birth_date: dt.date | None, mobility_need: bool) -> bool:
    """Assistance at Home: a mobility need, or at least the configured age."""
    if mobility_need:
        return True
    if birth_date is None:
        return False
    today = timezone.localdate()
    age = (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )
    return age >= conf.HOME_DELIVERY_AGE


@transaction.atomic
def submit_request(
    *,
    certificate_type: CertificateType,
    applicant: User | None,
    holder_name: str,
    requester: str = Requester.SELF,
    relationship: str = "",
    holder_father_name: str = "",
    holder_birth_date: dt.date | None = None,
    holder_address: str = "",
    data: dict[str, Any] | None = None,
    files: dict[str, tuple[str, CheckedUpload]] | None = None,
    home_delivery: bool = False,
    mobility_need: bool = False,
    delivery_address: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    channel: str = Channel.ONLINE,
    identity_check: str = IdentityCheck.VERIFIED_ACCOUNT,
    identity_notes: str = "",
    identity_document: str = "",
    identity_document_digits: str = "",
    filed_by: User | None = None,
    request: HttpRequest | None = None,
) -> CertificateRequest:
    """A new request; ``files`` maps a document key to (label, checked upload).

    Online, the applicant's account must carry a verified identity (national eID). A clerk
    filing for someone (``filed_by``) records the identity document they checked and the last
    four digits of its number; the clerk is recorded as the one who checked, now (ADR 0019).
    """
    _check_identity(
        applicant=applicant,
        filed_by=filed_by,
        identity_check=identity_check,
        identity_document=identity_document,
        identity_document_digits=identity_document_digits,
    )
    if not certificate_type.is_active:
        raise CertificateError(gettext_lazy("This certificate cannot be requested now."))
    if requester not in dict(certificate_type.requester_choices()):
        raise CertificateError(gettext_lazy("This certificate cannot be requested this way."))
    if home_delivery and not home_delivery_allowed(
        birth_date=holder_birth_date, mobility_need=mobility_need
    ):
        raise CertificateError(gettext_lazy("Delivery at home is not available for this person."))
    now = timezone.now()
    req = CertificateRequest.objects.create(
        certificate_type=certificate_type,
        applicant=applicant,
        requester=requester,
        relationship=relationship[:100],
        holder_name=holder_name.strip()[:200],
        holder_father_name=holder_father_name.strip()[:100],
        holder_birth_date=holder_birth_date,
        holder_address=holder_address.strip()[:300],
        data=data or {},
        home_delivery=home_delivery,
        mobility_need=mobility_need,
        delivery_address=(delivery_address or holder_address).strip()[:300],
        contact_email=contact_email or (applicant.email if applicant else ""),
        contact_phone=contact_phone or (applicant.phone if applicant else ""),
        channel=channel,
        identity_check=identity_check,
        identity_notes=identity_notes[:300],
        identity_document=identity_document if filed_by is not None else "",
        identity_document_digits=identity_document_digits if filed_by is not None else "",
        identity_checked_by=filed_by,
        identity_checked_at=now if filed_by is not None else None,
        filed_by=filed_by,
        fee_amount=certificate_type.fee_amount,
        submitted_at=now,
        due_on=add_working_days(timezone.localtime(now), certificate_type.deadline_days),
    )
    for key, (label, upload) in (files or {}).items():
        _attach(req, key, label, upload, applicant or filed_by)
    _event(req, EventKind.STATUS, actor=applicant or filed_by)
    audit.record(
        action="certificate_request.submitted",
        actor=filed_by or applicant,
        target=req,
        request=request,
        details={
            "type": certificate_type.code,
            "channel": channel,
            "requester": requester,
            "identity_check": identity_check,
            "identity_document": req.identity_document,
            "home_delivery": home_delivery,
        },
    )
    if filed_by is not None:
        # Its own entry, worded with the document (one sentence per kind of document).
        audit.record(
            action=f"certificate_request.identity_checked.{req.identity_document}",
            actor=filed_by,
            target=req,
            request=request,
            details={"digits": req.identity_document_digits, "method": identity_check},
        )
    _tell(req, "certificates.received")
    return req


DIGITS = re.compile(r"[0-9]{4}")


def _check_identity(
    *,
    applicant: User | None,
    filed_by: User | None,
    identity_check: str,
    identity_document: str,
    identity_document_digits: str,
) -> None:
    if filed_by is None:
        if applicant is None or not applicant.identity_verified:
            raise CertificateError(
                gettext_lazy("A verified identity (national eID) is needed to ask for this.")
            )
        if identity_check != IdentityCheck.VERIFIED_ACCOUNT:
            raise CertificateError(gettext_lazy("Only a clerk records another identity check."))
        return
    if identity_check not in IdentityCheck.values or identity_check == (
        IdentityCheck.VERIFIED_ACCOUNT
    ):
        raise CertificateError(gettext_lazy("Record how the person's identity was checked."))
    if identity_document not in IdentityDocument.values:
        raise CertificateError(gettext_lazy("Record which identity document you checked."))
    if not DIGITS.fullmatch(identity_document_digits):
        raise CertificateError(
            gettext_lazy("Give the last four digits of the identity document's number.")
        )


# --- Staff actions ----------------------------------------------------------------------------


@transaction.atomic
def assign(
    *,
    req: CertificateRequest,
    assignee: User | None,
    actor: User,
    request: HttpRequest | None = None,
) -> CertificateRequest:
    req = _locked(req)
    req.assigned_to = assignee
    req.save(update_fields=["assigned_to", "updated_at"])
    _event(
        req,
        EventKind.ASSIGNED,
        actor=actor,
        message=assignee.email if assignee else "",
        public=False,
    )
    audit.record(
        action="certificate_request.assigned",
        actor=actor,
        target=req,
        request=request,
        details={"assigned_to": assignee.pk if assignee else None},
    )
    return req


def start_review(
    *, req: CertificateRequest, actor: User, request: HttpRequest | None = None
) -> CertificateRequest:
    return WORKFLOW.apply(req, "review", actor=actor, request=request).case  # type: ignore[no-any-return]


def ask_for_information(
    *, req: CertificateRequest, message: str, actor: User, request: HttpRequest | None = None
) -> CertificateRequest:
    """Ask the resident for a document or an answer; the deadline clock stops."""
    move = WORKFLOW.apply(req, "info", actor=actor, note=message, request=request)
    return move.case  # type: ignore[no-any-return]


def answer_information(
    *,
    req: CertificateRequest,
    message: str,
    files: list[CheckedUpload],
    actor: User,
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> CertificateRequest:
    """The resident answers; the deadline moves by the working days spent waiting.

    ``details`` fills in details the document needs (keys of ``needed_fields``)."""
    move = WORKFLOW.apply(
        req,
        "answer",
        actor=actor,
        note=message,
        request=request,
        files=files,
        details={k: v for k, v in (details or {}).items() if v not in (None, "")},
    )
    return move.case  # type: ignore[no-any-return]


def _fill_details(req: CertificateRequest, details: dict[str, Any]) -> list[str]:
    """Set the given needed details on the request; the names of the columns changed."""
    needed = set(req.certificate_type.needed_fields())
    changed: set[str] = set()
    for key, value in details.items():
        if key not in needed:
            continue
        if key in HOLDER_FIELDS:
            if isinstance(value, str):
                value = value.strip()[: CertificateRequest._meta.get_field(key).max_length]  # type: ignore[union-attr]
            setattr(req, key, value)
            changed.add(key)
        else:
            data = dict(req.data or {})
            data[key] = value.isoformat() if hasattr(value, "isoformat") else value
            req.data = data
            changed.add("data")
    return sorted(changed)


def approve(
    *, req: CertificateRequest, actor: User, request: HttpRequest | None = None
) -> CertificateRequest:
    return WORKFLOW.apply(req, "approve", actor=actor, request=request).case  # type: ignore[no-any-return]


def reject(
    *, req: CertificateRequest, reason: str, actor: User, request: HttpRequest | None = None
) -> CertificateRequest:
    return WORKFLOW.apply(req, "reject", actor=actor, note=reason, request=request).case  # type: ignore[no-any-return]


@transaction.atomic
def set_fee_paid(
    *, req: CertificateRequest, paid: bool, actor: User, request: HttpRequest | None = None
) -> CertificateRequest:
    req = _locked(req)
    req.fee_paid = paid
    req.save(update_fields=["fee_paid", "updated_at"])
    audit.record(
        action="certificate_request.fee_paid" if paid else "certificate_request.fee_unpaid",
        actor=actor,
        target=req,
        request=request,
    )
    return req


# --- Issuing --------------------------------------------------------------------------------


def next_protocol_number(year: int) -> str:
    """``YYYY/NNNNNN``, consecutive in a year, under a row lock (call inside a transaction)."""
    ProtocolCounter.objects.get_or_create(year=year)
    counter = ProtocolCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{year}/{counter.last:06d}"


def _body(req: CertificateRequest, municipality_name: str, language: str) -> str:
    ctype = req.certificate_type
    text = (ctype.template_en if language == "en" else "") or ctype.template_el
    values = {key: req.value_of(key) for key in placeholders(text)}
    values["municipality"] = municipality_name
    return string.Template(text).safe_substitute(values)


def document_fields(req: CertificateRequest) -> list[tuple[str, str]]:
    """The rows the document prints: each needed detail with its document label (in the
    active language). A question without a document label is printed in the text only."""
    ctype = req.certificate_type
    rows = []
    for key in ctype.needed_fields():
        label = ctype.document_label(key)
        if label:
            rows.append((label, req.value_of(key)))
    return rows


def check_complete(req: CertificateRequest) -> None:
    """Refuse a document with blanks: every detail the type's document needs is filled in."""
    missing = req.missing_labels()
    if missing:
        raise IncompleteRequest(missing)


def render_document(
    req: CertificateRequest,
    *,
    code: str,
    protocol_number: str,
    issued_at: dt.datetime,
    language: str,
) -> bytes:
    """The unsigned PDF of a request, in ``language`` (``el`` or ``en``)."""
    from dimos.certificates import pdf, signing

    municipality = current_municipality()
    with translation.override(language):
        name = (municipality.name if municipality else "") or "Dimos"
        address = municipality.address if municipality else ""
        logo = None
        if municipality and municipality.logo:
            try:
                with municipality.logo.open("rb") as handle:
                    logo = handle.read()
            except OSError:
                logo = None
        fields = document_fields(req)
        verify_url = settings.SITE_URL + reverse("certificates:verify_code", args=[code])
        document = pdf.Document(
            municipality=name,
            municipality_address=address,
            title=req.certificate_type.name,
            body=_body(req, name, language),
            protocol_label=str(_("Protocol number")),
            protocol_number=protocol_number,
            date_label=str(_("Date")),
            date=date_format(timezone.localtime(issued_at), "d/m/Y"),
            fields=fields,
            code_label=str(_("Verification code")),
            code=format_code(code),
            verify_text=str(
                _(
                    "Electronically signed document. "
                    "Check that it is genuine with the QR code or at:"
                )
            ),
            verify_url=verify_url,
            demo_text=str(
                _("DEMO DOCUMENT: signed with a demo certificate, not valid for any use.")
            )
            if signing.is_demo()
            else "",
            logo=logo,
            language=language,
        )
    return pdf.render(document)


def issue_refusal(req: CertificateRequest, actor: User) -> str | None:
    """Why ``actor`` may not issue ``req``, or None: four eyes (ADR 0019).

    Whoever filed the request on someone's behalf (and so vouched for their identity),
    approved it, or asked for it themselves, leaves the signing to another member of staff.
    """
    if req.applicant_id is not None and req.applicant_id == actor.pk:
        return str(_("This is your own request: another member of staff must issue it."))
    if actor.pk in (req.filed_by_id, req.identity_checked_by_id):
        return str(
            _(
                "You filed this request on the person's behalf: another member of staff "
                "must issue it."
            )
        )
    approved = RequestEvent.objects.filter(
        request=req, kind=EventKind.STATUS, status=Status.APPROVED, actor_id=actor.pk
    )
    if approved.exists():
        return str(_("You approved this request: another member of staff must issue it."))
    return None


def issue(
    *,
    req: CertificateRequest,
    actor: User,
    language: str = "el",
    request: HttpRequest | None = None,
    code: str = "",
) -> IssuedDocument:
    """Render, sign (PAdES) and register the certificate; a re-issue supersedes the last one.

    Three steps, so that no transaction (on SQLite: the database's one write lock) is held
    while the PDF is rendered, signed and timestamped — the timestamp authority is a network
    call. **Reserve** (a short transaction): check the request and the four eyes, take the
    next protocol number and write a *pending* registry row. **Sign**, outside any
    transaction: render, sign, store the PDF. **Finish** (a short transaction): complete the
    row, supersede the previous PDF, mark the request issued, audit, notify after commit.
    When signing fails the pending row keeps its protocol number and the error, and staff
    retry it (:func:`retry_issue`): no half-issued certificate, no unexplained gap.

    ``code`` is for the demo data only (a known code the benchmarks look up); otherwise a
    random one is drawn.
    """
    document = _reserve(req=req, actor=actor, language=language, request=request, code=code)
    return _sign_and_finish(document, actor=actor, request=request)


def retry_issue(
    *, document: IssuedDocument, actor: User, request: HttpRequest | None = None
) -> IssuedDocument:
    """Sign again a certificate whose signing failed (or was interrupted): same protocol
    number, same code."""
    with transaction.atomic():
        document = (
            IssuedDocument.objects.select_for_update(of=("self",))
            .select_related("request")
            .get(pk=document.pk)
        )
        if document.status != DocumentStatus.PENDING:
            raise CertificateError(gettext_lazy("This certificate is not waiting to be issued."))
        refusal = WORKFLOW.who_refusal(document.request, "issue", actor)
        if refusal is not None:
            raise CertificateError(refusal)
        audit.record(
            action="certificate.issue_retried",
            actor=actor,
            target=document.request,
            request=request,
            details={"code": document.code, "protocol": document.protocol_number},
        )
    return _sign_and_finish(document, actor=actor, request=request)


@transaction.atomic
def _reserve(
    *,
    req: CertificateRequest,
    actor: User,
    language: str,
    request: HttpRequest | None,
    code: str,
) -> IssuedDocument:
    req = _locked(req)
    WORKFLOW.check(req, "issue")
    check_complete(req)
    WORKFLOW.check(req, "issue", actor=actor)  # four eyes
    if IssuedDocument.objects.filter(request=req, status=DocumentStatus.PENDING).exists():
        raise CertificateError(
            gettext_lazy(
                "A certificate of this request is already being issued. If its signing "
                "failed, retry it from the list of issued certificates."
            )
        )
    now = timezone.now()
    protocol = next_protocol_number(timezone.localtime(now).year)
    document = IssuedDocument(
        request=req,
        certificate_type=req.certificate_type,
        holder_name=req.holder_name,
        protocol_number=protocol,
        language=language if language in ("el", "en") else "el",
        issued_at=now,
        issued_by=actor,
        status=DocumentStatus.PENDING,
        sha256="",
        size=0,
    )
    if code:
        document.code = code
    document.save(force_insert=True)
    audit.record(
        action="certificate.reserved",
        actor=actor,
        target=req,
        request=request,
        details={"code": document.code, "protocol": protocol},
    )
    return document


def _sign_and_finish(
    document: IssuedDocument, *, actor: User, request: HttpRequest | None
) -> IssuedDocument:
    from dimos.certificates import signing

    req = CertificateRequest.objects.select_related("certificate_type").get(pk=document.request_id)
    issued_at = timezone.now()
    try:
        ident = signing.identity()
        unsigned = render_document(
            req,
            code=document.code,
            protocol_number=document.protocol_number,
            issued_at=issued_at,
            language=document.language,
        )
        with translation.override(document.language):
            reason = str(_("Certificate %(protocol)s") % {"protocol": document.protocol_number})
        signed = signing.sign_pdf(unsigned, signer=ident.signer, reason=reason)
        document.pdf.save(f"{document.code}.pdf", ContentFile(signed), save=False)
    except Exception as exc:
        _signing_failed(document, actor=actor, error=exc, request=request)
        raise CertificateError(
            gettext_lazy(
                "The certificate could not be signed (%(error)s). It keeps protocol number "
                "%(protocol)s and waits in the list of issued certificates: retry it there."
            )
            % {"error": type(exc).__name__, "protocol": document.protocol_number}
        ) from exc
    try:
        return _finish(
            document, signed=signed, ident=ident, issued_at=issued_at, actor=actor, request=request
        )
    except Exception:
        document.pdf.delete(save=False)  # not registered: no file without its row
        raise


def _signing_failed(
    document: IssuedDocument, *, actor: User, error: Exception, request: HttpRequest | None
) -> None:
    message = f"{type(error).__name__}: {error}"[:1000]
    with transaction.atomic():
        IssuedDocument.objects.filter(pk=document.pk, status=DocumentStatus.PENDING).update(
            issue_error=message
        )
        audit.record(
            action="certificate.signing_failed",
            actor=actor,
            target=document.request,
            request=request,
            details={"code": document.code, "protocol": document.protocol_number},
        )


@transaction.atomic
def _finish(
    document: IssuedDocument,
    *,
    signed: bytes,
    ident: Any,
    issued_at: dt.datetime,
    actor: User,
    request: HttpRequest | None,
) -> IssuedDocument:
    req = _locked(document.request)
    sha256 = hashlib.sha256(signed).hexdigest()
    completed = IssuedDocument.objects.filter(pk=document.pk, status=DocumentStatus.PENDING).update(
        status=DocumentStatus.VALID,
        sha256=sha256,
        size=len(signed),
        pdf=document.pdf.name,
        demo=ident.demo,
        signer_subject=ident.subject[:300],
        issued_at=issued_at,
        issued_by=actor,
        issue_error="",
    )
    if not completed:
        raise CertificateError(gettext_lazy("This certificate was issued or cancelled meanwhile."))
    document = IssuedDocument.objects.get(pk=document.pk)
    previous = IssuedDocument.objects.filter(request=req, status=DocumentStatus.VALID).exclude(
        pk=document.pk
    )
    for old in previous:
        old.status = DocumentStatus.SUPERSEDED
        old.superseded_by = document
        old.save(update_fields=["status", "superseded_by"])
        transaction.on_commit(partial(forget_verification_state, old.code))
    transaction.on_commit(partial(forget_verification_state, document.code))
    # The actor passed the four eyes when the number was reserved.
    WORKFLOW.apply(req, "issue", actor=actor, request=request, authorised=True, document=document)
    return document


def _schedule_delivery(
    req: CertificateRequest, document: IssuedDocument, actor: User, request: HttpRequest | None
) -> None:
    from dimos.deliveries import services as deliveries

    day = add_working_days(timezone.localdate(), 1)
    deliveries.schedule_delivery(
        source=SOURCE,
        reference=str(req.pk),
        title=f"{req.certificate_type.name_el} · {req.protocol_number}",
        recipient_name=req.holder_name,
        address=req.delivery_address or req.holder_address,
        phone=req.contact_phone,
        date=day,
        window_start=dt.time(9, 0),
        window_end=dt.time(13, 0),
        person=req.applicant,
        actor=actor,
        request=request,
    )
    _event(
        req,
        EventKind.DELIVERY,
        actor=actor,
        message=_("Delivery at home planned for %(day)s.") % {"day": day.strftime("%d/%m/%Y")},
    )


def delivery_changed(delivery: Any, actor: User | None) -> None:
    """Listener of the deliveries app: the request's history follows its delivery."""
    from dimos.deliveries.models import DeliveryStatus

    req = CertificateRequest.objects.filter(pk=int(delivery.reference)).first()
    if req is None:
        return
    if delivery.status == DeliveryStatus.DELIVERED:
        message = _("Delivered at home; received by %(name)s.") % {"name": delivery.received_by}
    elif delivery.status == DeliveryStatus.FAILED:
        message = _("The delivery at home failed: %(reason)s") % {"reason": delivery.failure_reason}
    else:
        message = _("The certificate is on its way to you.")
    _event(req, EventKind.DELIVERY, actor=actor, message=message)
    if delivery.status != DeliveryStatus.SCHEDULED:
        _tell(req, "certificates.updated", message)


@transaction.atomic
def revoke(
    *, document: IssuedDocument, reason: str, actor: User, request: HttpRequest | None = None
) -> IssuedDocument:
    document = IssuedDocument.objects.select_for_update().get(pk=document.pk)
    if document.status != DocumentStatus.VALID:
        raise CertificateError(gettext_lazy("Only a valid certificate can be revoked."))
    reason = reason.strip()
    if not reason:
        raise CertificateError(gettext_lazy("A reason is needed."))
    document.status = DocumentStatus.REVOKED
    document.revoked_at = timezone.now()
    document.revoked_by = actor
    document.revocation_reason = reason[:1000]
    document.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"])
    forget_verification_state(document.code)
    transaction.on_commit(partial(forget_verification_state, document.code))
    req = document.request
    _event(req, EventKind.REVOKED, actor=actor, message=reason)
    audit.record(
        action="certificate.revoked",
        actor=actor,
        target=req,
        request=request,
        details={"code": document.code, "reason": reason[:500]},
    )
    _tell(req, "certificates.updated", reason)
    return document


def record_download(*, document: IssuedDocument, user: User, request: HttpRequest) -> None:
    audit.record(
        action="certificate.downloaded",
        actor=user,
        target=document.request,
        request=request,
        details={"code": document.code},
    )
