"""Writes on reports: submitting, confirming, and moving through the state machine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core import audit, transactions
from dimos.core.selectors import locate
from dimos.core.workflow import START, Clock, Deadline, Move, Refused, Transition, Workflow, apply
from dimos.reports.conf import conf
from dimos.reports.models import (
    Category,
    Report,
    ReportPhoto,
    ReportUpdate,
    ResponseTemplate,
    Status,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from dimos.accounts.models import User


class ReportError(Refused):
    """A report action that is not allowed; the message is shown to the person."""


@dataclass(frozen=True)
class Location:
    lat: float
    lon: float
    address: str = ""


def expected_date(category: Category, start: Any) -> Any:
    """When a report of ``category`` opened at ``start`` is expected to be dealt with."""
    return Deadline.starting(start, category.deadline_working_days).due


def submit_report(
    *,
    category: Category,
    location: Location,
    description: str = "",
    attributes: dict[str, Any] | None = None,
    reporter: User | None = None,
    email: str = "",
    name: str = "",
    phone: str = "",
    show_name: bool = False,
    source: str = Report.Source.WEB,
    idempotency_key: str | None = None,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> tuple[Report, bool]:
    """File a report; returns (report, created).

    Logged-in reporters' reports open at once; anonymous web reports wait for the email
    confirmation. A retried submission with the same ``idempotency_key`` returns the report
    already filed instead of a second one.
    """
    if idempotency_key:
        existing = Report.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    if not category.is_active:
        raise ReportError(_("This category no longer takes reports."))
    if category.notice_blocks:
        raise ReportError(category.notice or _("This problem cannot be reported online."))
    place = locate(location.lat, location.lon)
    if not place.inside:
        raise ReportError(_("This place is outside the municipality."))
    needs_confirmation = reporter is None and source == Report.Source.WEB
    now = timezone.now()
    try:
        with transaction.atomic():
            report = Report.objects.create(
                category=category,
                status=Status.UNCONFIRMED if needs_confirmation else Status.OPEN,
                description=description.strip(),
                lat=location.lat,
                lon=location.lon,
                address=location.address[:300],
                district=place.district,
                attributes=attributes or {},
                reporter=reporter,
                reporter_email=(reporter.email if reporter else email).strip().lower(),
                reporter_name=(reporter.get_full_name() if reporter else name).strip()[:200],
                reporter_phone=(phone or (reporter.phone if reporter else "")).strip()[:30],
                show_name=show_name,
                source=source,
                idempotency_key=idempotency_key or None,
                created_at=now,
                updated_at=now,
                confirmed_at=None if needs_confirmation else now,
                expected_on=None if needs_confirmation else expected_date(category, now),
            )
            ReportUpdate.objects.create(
                report=report,
                kind=ReportUpdate.Kind.STATUS,
                actor=actor or reporter,
                to_status=report.status,
                created_at=now,
            )
            audit.record(
                action="report.submitted",
                actor=actor or reporter,
                target=report,
                request=request,
                details={"source": source, "category": category.code},
            )
            if report.status == Status.OPEN:
                _notify_received(report)
    except IntegrityError:
        # Two retries raced: the other one won, and its report is the answer.
        if idempotency_key:
            existing = Report.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing, False
        raise
    return report, True


# --- The state machine ------------------------------------------------------------------------
# An action is named by the status it leads to; the kit (dimos.core.workflow) applies it.

_WORKING = (Status.OPEN, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.ACTION_SCHEDULED)


def _opened(move: Move) -> None:
    if move.previous == Status.UNCONFIRMED:
        move.set("confirmed_at", move.now)
    else:  # reopened
        move.set("fixed_at", None)
        move.set("closed_at", None)


def _acknowledged(move: Move) -> None:
    if move.case.acknowledged_at is None:
        move.set("acknowledged_at", move.now)


def _duplicate(move: Move) -> None:
    original = move.data.get("duplicate_of")
    if original is None or original.pk == move.case.pk:
        raise ReportError(_("Choose the original report this one duplicates."))
    move.set("duplicate_of", original)


def _referred(move: Move) -> None:
    referred_to = (move.data.get("referred_to") or "").strip()
    if not referred_to:
        raise ReportError(_("Say who is responsible, so the reporter can turn to them."))
    move.set("referred_to", referred_to[:300])


def _tell_reporter(move: Move) -> None:
    if move.previous != Status.UNCONFIRMED:
        notify_reporter(report=move.case, update=move.entry)  # type: ignore[arg-type]


def _cannot_become(report: Report, action: str, transition: Transition) -> Any:
    return _("A report that is “%(current)s” cannot become “%(to)s”.") % {
        "current": Status(report.status).label,
        "to": Status(transition.target).label,
    }


def _completed(move: Move) -> None:
    """A report fixed or closed is a completed transaction: its reporter is asked, once, how
    it went (dimos.core.transactions)."""
    report: Report = move.case
    transactions.completed(
        "reports.report",
        report.pk,
        user=report.reporter,
        email=report.reporter_email,
        online=report.source != Report.Source.PHONE,
        started_at=report.created_at,
        url=reverse("reports:detail", args=[report.pk]),
    )


def _closing(*sources: str, **options: Any) -> Transition:
    target = options.pop("target")
    return Transition(sources=sources, target=target, stamp=("closed_at",), **options)


WORKFLOW = Workflow(
    model=Report,
    error=ReportError,
    transitions={
        Status.OPEN: Transition(
            sources=(
                Status.UNCONFIRMED,
                # Closed reports only come back by being reopened.
                Status.FIXED,
                Status.DUPLICATE,
                Status.NOT_RESPONSIBLE,
                Status.UNABLE_TO_FIX,
            ),
            target=Status.OPEN,
            clock=START,
            effect=_opened,
        ),
        Status.ACKNOWLEDGED: Transition(
            sources=(Status.OPEN,), target=Status.ACKNOWLEDGED, effect=_acknowledged
        ),
        Status.IN_PROGRESS: Transition(
            sources=(Status.OPEN, Status.ACKNOWLEDGED, Status.ACTION_SCHEDULED),
            target=Status.IN_PROGRESS,
        ),
        Status.ACTION_SCHEDULED: Transition(
            sources=(Status.OPEN, Status.ACKNOWLEDGED, Status.IN_PROGRESS),
            target=Status.ACTION_SCHEDULED,
        ),
        Status.FIXED: Transition(
            sources=_WORKING,
            target=Status.FIXED,
            stamp=("fixed_at", "closed_at"),
            after=_completed,
        ),
        Status.DUPLICATE: _closing(
            *_WORKING, target=Status.DUPLICATE, effect=_duplicate, after=_completed
        ),
        Status.NOT_RESPONSIBLE: _closing(
            *_WORKING, target=Status.NOT_RESPONSIBLE, effect=_referred, after=_completed
        ),
        Status.UNABLE_TO_FIX: _closing(*_WORKING, target=Status.UNABLE_TO_FIX, after=_completed),
        Status.WITHDRAWN: _closing(Status.UNCONFIRMED, *_WORKING, target=Status.WITHDRAWN),
    },
    audit_action="report.status_changed",
    audit_details=lambda move: {"from": move.previous, "to": move.target},
    timeline=ReportUpdate,
    notify=_tell_reporter,
    refusal=_cannot_become,
    clock=Clock(due="expected_on", working_days=lambda r: r.category.deadline_working_days),
    touch=("updated_at",),
    select_related=("category",),
)

# From each status, the statuses a report may move to (the status form offers these).
TRANSITIONS: dict[str, frozenset[str]] = WORKFLOW.targets(Status.values)


def change_status(
    *,
    report: Report,
    to: str,
    actor: User | None,
    note: str = "",
    public: bool = True,
    duplicate_of: Report | None = None,
    referred_to: str = "",
    request: HttpRequest | None = None,
) -> Report:
    """Move a report along the state machine, keeping the history; refuses illegal moves.

    The row is locked for the change, so two staff acting at once cannot both move it from
    the same state: the second sees the first one's result and is refused if it no longer fits.
    """
    apply(
        report,
        to,
        actor=actor,
        note=note,
        request=request,
        public=public,
        duplicate_of=duplicate_of,
        referred_to=referred_to,
    )
    report.refresh_from_db()
    return report


# --- Staff actions and the reporter's feedback ------------------------------------------------


def _record(
    report: Report,
    kind: str,
    actor: User | None,
    *,
    text: str = "",
    public: bool = False,
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> ReportUpdate:
    now = timezone.now()
    Report.objects.filter(pk=report.pk).update(updated_at=now)
    update = ReportUpdate.objects.create(
        report=report,
        kind=kind,
        actor=actor,
        text=text.strip(),
        is_public=public,
        details=details or {},
        created_at=now,
    )
    audit.record(
        action=f"report.{kind}", actor=actor, target=report, request=request, details=details
    )
    return update


def notify_reporter(*, report: Report, update: ReportUpdate) -> None:
    """Tell the reporter about a public change, in their language, linking to the report."""
    from dimos.core.notifications import notify

    if not update.is_public:
        return
    context = {"report": report, "update": update, "status": Status(report.status).label}
    url = report_url(report)
    if report.reporter is not None and report.reporter.is_active:
        notify(kind="reports.updated", recipient=report.reporter, context=context, url=url)
    elif report.reporter_email:
        notify(kind="reports.updated", email=report.reporter_email, context=context, url=url)
    from dimos.reports.subscriptions import notify_followers

    notify_followers(report=report, update=update)


def _notify_received(report: Report) -> None:
    """Tell the reporter the report arrived, with its number and link (a report filed
    anonymously on the web is told after its email is confirmed, by the status news)."""
    from dimos.core.notifications import notify

    context = {"report": report}
    url = report_url(report)
    if report.reporter is not None and report.reporter.is_active:
        notify(kind="reports.received", recipient=report.reporter, context=context, url=url)
    elif report.reporter_email:
        notify(kind="reports.received", email=report.reporter_email, context=context, url=url)


def report_url(report: Report) -> str:
    from django.urls import reverse

    return reverse("reports:detail", kwargs={"pk": report.pk})


def add_note(
    *,
    report: Report,
    actor: User,
    text: str,
    public: bool,
    request: HttpRequest | None = None,
) -> ReportUpdate:
    """A public update (sent to the reporter) or an internal note (staff only)."""
    if not text.strip():
        raise ReportError(_("Write the note."))
    with transaction.atomic():
        kind = ReportUpdate.Kind.PUBLIC_NOTE if public else ReportUpdate.Kind.INTERNAL_NOTE
        update = _record(report, kind, actor, text=text, public=public, request=request)
        notify_reporter(report=report, update=update)
    return update


def assign(
    *, report: Report, actor: User, to: User | None, request: HttpRequest | None = None
) -> None:
    if to is not None and not to.is_staff:
        raise ReportError(_("Reports can only be assigned to staff."))
    with transaction.atomic():
        Report.objects.filter(pk=report.pk).update(assigned_to=to)
        report.assigned_to = to
        _record(
            report,
            ReportUpdate.Kind.ASSIGNED,
            actor,
            details={"to": to.pk if to else None},
            request=request,
        )


def set_priority(
    *, report: Report, actor: User, priority: int, request: HttpRequest | None = None
) -> None:
    if priority not in Report.Priority.values:
        raise ReportError(_("Choose a priority from the list."))
    with transaction.atomic():
        Report.objects.filter(pk=report.pk).update(priority=priority)
        report.priority = priority
        _record(
            report,
            ReportUpdate.Kind.PRIORITY,
            actor,
            details={"priority": priority},
            request=request,
        )


def change_category(
    *, report: Report, actor: User, category: Category, request: HttpRequest | None = None
) -> None:
    """Re-route a report to another category (and so department), with a new deadline."""
    if category.pk == report.category_id:
        return
    with transaction.atomic():
        previous = report.category
        report.category = category
        if report.is_open:
            report.expected_on = expected_date(category, timezone.now())
        report.save(update_fields=["category", "expected_on"])
        update = _record(
            report,
            ReportUpdate.Kind.CATEGORY,
            actor,
            public=True,
            text=str(category.name),
            details={"from": previous.code, "to": category.code},
            request=request,
        )
        notify_reporter(report=report, update=update)


def move_location(
    *, report: Report, actor: User, location: Location, request: HttpRequest | None = None
) -> None:
    place = locate(location.lat, location.lon)
    if not place.inside:
        raise ReportError(_("This place is outside the municipality."))
    with transaction.atomic():
        before = {"lat": report.lat, "lon": report.lon}
        report.lat, report.lon = location.lat, location.lon
        report.district = place.district
        if location.address:
            report.address = location.address[:300]
        report.save(update_fields=["lat", "lon", "district", "address"])
        _record(
            report,
            ReportUpdate.Kind.LOCATION,
            actor,
            details={"from": before, "to": {"lat": location.lat, "lon": location.lon}},
            request=request,
        )


class _Blank(dict):  # type: ignore[type-arg]
    """Placeholders nobody knows stay as they were written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render_template(template: ResponseTemplate, report: Report, language: str = "") -> str:
    """A response template's text for one report, in the reporter's language by default."""
    from django.utils import formats, translation

    if not language:
        reporter = report.reporter
        language = getattr(reporter, "preferred_language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        text = template.text_en if language == "en" and template.text_en else template.text_el
        values = {
            "number": str(report.pk),
            "category": str(report.category.name),
            "address": report.address or f"{report.lat:.5f}, {report.lon:.5f}",
            "district": str(report.district.name) if report.district else "",
            "expected": formats.date_format(report.expected_on) if report.expected_on else "",
            "department": report.category.department.name if report.category.department else "",
        }
        try:
            return text.format_map(_Blank(values))
        except (ValueError, IndexError):  # a stray brace: the text as written
            return text


def templates_for(report: Report) -> list[ResponseTemplate]:
    """The active templates that fit the report's category, its own first."""
    from django.db.models import Q

    found = ResponseTemplate.objects.filter(is_active=True).filter(
        Q(category__isnull=True) | Q(category_id=report.category_id)
    )
    return sorted(found, key=lambda t: (t.category_id is None, t.title))


def ask_confirmation(*, report: Report) -> None:
    """Email an anonymous reporter the link that confirms their report."""
    from django.urls import reverse

    from dimos.core.notifications import notify

    notify(
        kind="reports.confirm",
        email=report.reporter_email,
        context={"report": report},
        url=reverse("reports:confirm", kwargs={"token": report.token}),
    )


# --- What the reporter may do ------------------------------------------------------------------

WITHDRAW_WINDOW = timedelta(hours=1)
REOPEN_WINDOW = timedelta(days=30)


def can_withdraw(report: Report, user: User | None) -> bool:
    return bool(
        user is not None
        and report.reporter_id == user.pk
        and report.status in (Status.UNCONFIRMED, Status.OPEN)
        and timezone.now() - report.created_at <= WITHDRAW_WINDOW
    )


def can_reopen(report: Report, user: User | None) -> bool:
    return bool(
        user is not None
        and report.reporter_id == user.pk
        and report.status == Status.FIXED
        and report.fixed_at is not None
        and timezone.now() - report.fixed_at <= REOPEN_WINDOW
    )


def withdraw(*, report: Report, user: User, request: HttpRequest | None = None) -> Report:
    if not can_withdraw(report, user):
        raise ReportError(_("This report can no longer be withdrawn."))
    return change_status(report=report, to=Status.WITHDRAWN, actor=user, request=request)


def reopen(
    *, report: Report, user: User, reason: str, request: HttpRequest | None = None
) -> Report:
    """The reporter says the problem is back after it was fixed."""
    if not can_reopen(report, user):
        raise ReportError(_("This report can no longer be reopened; file a new one."))
    if not reason.strip():
        raise ReportError(_("Say what is wrong again."))
    return change_status(report=report, to=Status.OPEN, actor=user, note=reason, request=request)


# --- Photos ------------------------------------------------------------------------------------


def add_photos(
    *,
    report: Report,
    files: list[Any],
    actor: User | None,
    request: HttpRequest | None = None,
) -> list[ReportPhoto]:
    """Attach photos (uploaded files, or photos.ProcessedPhoto already checked by a form).

    Every file is checked before any is stored, so a bad one leaves the report unchanged.
    """
    import uuid

    from django.core.files.base import ContentFile

    from dimos.reports.photos import ProcessedPhoto, TooManyPhotos, process_upload

    if not files:
        return []
    limit = conf.MAX_PHOTOS
    if report.photos.count() + len(files) > limit:
        raise TooManyPhotos(_("A report can have at most %(count)s photos.") % {"count": limit})
    processed = [f if isinstance(f, ProcessedPhoto) else process_upload(f) for f in files]
    with transaction.atomic():
        photos = []
        for item in processed:
            photo = ReportPhoto(
                report=report, width=item.width, height=item.height, uploaded_by=actor
            )
            name = uuid.uuid4().hex
            photo.image.save(f"{name}.jpg", ContentFile(item.image), save=False)
            photo.thumbnail.save(f"{name}-thumb.jpg", ContentFile(item.thumbnail), save=False)
            photo.save()
            photos.append(photo)
        _record(
            report,
            ReportUpdate.Kind.PHOTO,
            actor,
            public=True,
            details={"photos": [p.pk for p in photos]},
            request=request,
        )
    return photos


def attach_photo_from_url(*, report: Report, url: str) -> ReportPhoto | None:
    """Fetch a linked photo (Open311 ``media_url``) and attach it; staff see why if not."""
    import io

    from django.utils import translation

    from dimos.reports.media import MediaFetchError, fetch
    from dimos.reports.photos import PhotoError

    # A worker has no request: the note is written in the municipality's language.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            photos = add_photos(report=report, files=[io.BytesIO(fetch(url))], actor=None)
        except (MediaFetchError, PhotoError) as exc:
            text = _("The photo at %(url)s was not attached: %(reason)s") % {
                "url": url,
                "reason": exc,
            }
            _record(
                report,
                ReportUpdate.Kind.INTERNAL_NOTE,
                None,
                text=str(text),
                details={"media_url": url},
            )
            return None
    return photos[0]


def hide_photo(
    *, photo: ReportPhoto, actor: User, reason: str, request: HttpRequest | None = None
) -> None:
    """Staff take a photo off the public pages (a face, a plate); the file is kept."""
    if not reason.strip():
        raise ReportError(_("Say why the photo is hidden."))
    if photo.is_hidden:
        return
    with transaction.atomic():
        photo.is_hidden = True
        photo.hidden_reason = reason.strip()[:300]
        photo.save(update_fields=["is_hidden", "hidden_reason"])
        _record(
            photo.report,
            ReportUpdate.Kind.PHOTO,
            actor,
            text=photo.hidden_reason,
            details={"hidden": photo.pk},
            request=request,
        )
