"""Writes of the volunteers app. Each runs in a transaction, audits, and notifies.

A volunteer's states (the table :data:`WORKFLOW`, applied by the workflow kit)::

    applied ──► approved ◄──► paused
       │           │            │
       ▼           ▼            ▼
    not accepted   └──► retired ◄┘   (an application may be withdrawn: applied ──► retired)
    (a reason)

Approval needs the identity checked and the code of conduct in force accepted. A volunteer
not accepted or retired may apply again (``reapply``: back to applied).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core import audit, documents
from dimos.core.documents import CheckedDocument
from dimos.core.notifications import notify
from dimos.core.workflow import Move, Refused, Transition, Workflow
from dimos.volunteers.conf import conf
from dimos.volunteers.models import (
    ALL_SLOTS,
    LANGUAGES,
    CodeOfConduct,
    ConductAcceptance,
    EventKind,
    IdentityMethod,
    Skill,
    Status,
    Volunteer,
    VolunteerDocument,
    VolunteerEvent,
    VolunteerHours,
)

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.http import HttpRequest

    from dimos.accounts.models import User
    from dimos.core.models import District

CHANGE = "volunteers.change_volunteer"


class VolunteerError(Refused):
    """What the volunteer's state (or the input) does not allow; shown to the person."""


# --- The profile ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """What a volunteer tells about themselves (the sign-up form, the profile, the API)."""

    phone: str
    languages: list[str]
    skills: list[Skill]
    has_car: bool
    districts: list[District]
    availability: int
    about: str = ""


def check_profile(profile: Profile) -> None:
    """Refuse a profile a coordinator could not use."""
    digits = "".join(ch for ch in profile.phone if ch.isdigit())
    if not 10 <= len(digits) <= 15:
        raise VolunteerError(_("Give a mobile phone number coordinators can call."))
    known = {code for code, _label in LANGUAGES}
    if not profile.languages or not set(profile.languages) <= known:
        raise VolunteerError(_("Choose the languages you speak."))
    if not profile.skills:
        raise VolunteerError(_("Choose at least one way you can help."))
    if not profile.districts:
        raise VolunteerError(_("Choose at least one district where you can help."))
    if not 0 < profile.availability <= ALL_SLOTS:
        raise VolunteerError(_("Choose at least one time in the week when you are free."))


def _save_profile(volunteer: Volunteer, profile: Profile) -> None:
    volunteer.phone = profile.phone.strip()[:30]
    volunteer.languages = [code for code, _label in LANGUAGES if code in profile.languages]
    volunteer.has_car = profile.has_car
    volunteer.availability = profile.availability
    volunteer.about = profile.about.strip()
    volunteer.save()
    volunteer.skills.set(profile.skills)
    volunteer.districts.set(profile.districts)


def current_conduct() -> CodeOfConduct | None:
    """The code of conduct in force: the newest published version."""
    return CodeOfConduct.objects.published().order_by("-version").first()


def needs_conduct(volunteer: Volunteer) -> CodeOfConduct | None:
    """The version the volunteer must accept (a newer one than theirs), or None."""
    conduct = current_conduct()
    if conduct is None or volunteer.conduct_id == conduct.pk:
        return None
    return conduct


def _accept(volunteer: Volunteer, conduct: CodeOfConduct, actor: User) -> None:
    now = timezone.now()
    ConductAcceptance.objects.get_or_create(
        volunteer=volunteer, conduct=conduct, defaults={"accepted_at": now}
    )
    volunteer.conduct = conduct
    volunteer.conduct_accepted_at = now
    volunteer.save(update_fields=["conduct", "conduct_accepted_at", "updated_at"])
    _event(volunteer, EventKind.CONDUCT, actor=actor, message=f"v{conduct.version}")


def _event(
    volunteer: Volunteer, kind: str, *, actor: Any, message: str = "", public: bool = True
) -> VolunteerEvent:
    return VolunteerEvent.objects.create(
        volunteer=volunteer,
        kind=kind,
        status=volunteer.status,
        message=message,
        public=public,
        actor=actor if actor is not None and actor.pk else None,
    )


def _tell(volunteer: Volunteer, kind: str, message: str = "") -> None:
    if volunteer.user.is_active:
        notify(
            kind=kind,
            recipient=volunteer.user,
            context={"volunteer": volunteer, "message": message},
            url=reverse("volunteers:me"),
        )


def apply_to_volunteer(
    *,
    user: User,
    profile: Profile,
    conduct_version: int,
    request: HttpRequest | None = None,
) -> Volunteer:
    """A resident offers to volunteer, accepting the code of conduct they were shown.

    One application per person: someone not accepted or retired applies again on the same
    row (``reapply``); someone applied, approved or paused is refused.
    """
    check_profile(profile)
    with transaction.atomic():
        conduct = current_conduct()
        if conduct is None:
            raise VolunteerError(_("Applications are not open yet: there is no code of conduct."))
        if conduct.version != conduct_version:
            raise VolunteerError(
                _("The code of conduct has just changed. Read the new version and accept it.")
            )
        existing = Volunteer.objects.select_for_update().filter(user=user).first()
        if existing is not None and existing.status not in (Status.REJECTED, Status.RETIRED):
            raise VolunteerError(_("You have already applied to volunteer."))
        volunteer = existing or Volunteer(user=user)
        _save_profile(volunteer, profile)
        _accept(volunteer, conduct, user)
        if existing is None:
            _event(volunteer, EventKind.APPLIED, actor=user)
            audit.record(action="volunteer.applied", actor=user, target=volunteer, request=request)
        else:
            WORKFLOW.apply(volunteer, "reapply", actor=user, request=request)
            volunteer.refresh_from_db()
        _tell(volunteer, "volunteers.received")
    return volunteer


@transaction.atomic
def update_profile(
    *, volunteer: Volunteer, profile: Profile, actor: User, request: HttpRequest | None = None
) -> Volunteer:
    """The volunteer changes their phone, languages, skills, car, districts or hours."""
    check_profile(profile)
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if volunteer.status == Status.RETIRED:
        raise VolunteerError(_("You have retired: apply again to change your details."))
    _save_profile(volunteer, profile)
    _event(volunteer, EventKind.PROFILE, actor=actor, public=False)
    audit.record(action="volunteer.profile_changed", actor=actor, target=volunteer, request=request)
    return volunteer


@transaction.atomic
def accept_conduct(
    *, volunteer: Volunteer, conduct_version: int, actor: User, request: HttpRequest | None = None
) -> Volunteer:
    """The volunteer accepts the code of conduct in force (the version they were shown)."""
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    conduct = current_conduct()
    if conduct is None or conduct.version != conduct_version:
        raise VolunteerError(
            _("The code of conduct has just changed. Read the new version and accept it.")
        )
    if volunteer.conduct_id == conduct.pk:
        raise VolunteerError(_("You have already accepted this version."))
    _accept(volunteer, conduct, actor)
    audit.record(
        action="volunteer.conduct_accepted",
        actor=actor,
        target=volunteer,
        request=request,
        details={"version": conduct.version},
    )
    return volunteer


@transaction.atomic
def publish_conduct(
    *, conduct: CodeOfConduct, actor: User, request: HttpRequest | None = None
) -> CodeOfConduct:
    """Publish a version of the code of conduct: every current volunteer is asked to accept
    it (by a message now, and on their page until they do)."""
    conduct = CodeOfConduct.objects.select_for_update().get(pk=conduct.pk)
    if conduct.published_at is not None:
        raise VolunteerError(_("This version is already published."))
    newest = current_conduct()
    if newest is not None and newest.version > conduct.version:
        raise VolunteerError(_("A newer version is already in force."))
    conduct.published_at = timezone.now()
    conduct.save(update_fields=["published_at"])
    audit.record(
        action="volunteer.conduct_published",
        actor=actor,
        target=conduct,
        request=request,
        details={"version": conduct.version},
    )
    for volunteer in Volunteer.objects.filter(
        status__in=(Status.APPROVED, Status.PAUSED)
    ).select_related("user"):
        _tell(volunteer, "volunteers.conduct")
    return conduct


# --- Hours ------------------------------------------------------------------------------------


@transaction.atomic
def log_hours(
    *,
    volunteer: Volunteer,
    date: dt.date,
    hours: Decimal,
    description: str,
    actor: User,
    source: str = "",
    reference: str = "",
    request: HttpRequest | None = None,
) -> VolunteerHours:
    """Record hours given on one day. Relief logs a task's hours with its source/reference."""
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if volunteer.status not in (Status.APPROVED, Status.PAUSED, Status.RETIRED):
        raise VolunteerError(_("Hours can be logged once you are approved as a volunteer."))
    if date > timezone.localdate():
        raise VolunteerError(_("Hours cannot be logged for a day that has not come yet."))
    if volunteer.approved_at is not None and date < timezone.localdate(volunteer.approved_at):
        raise VolunteerError(_("That day is before you were approved as a volunteer."))
    if not Decimal("0") < hours <= Decimal("24"):
        raise VolunteerError(_("Give between a quarter of an hour and 24 hours."))
    if not description.strip():
        raise VolunteerError(_("Say what you did."))
    entry = VolunteerHours.objects.create(
        volunteer=volunteer,
        date=date,
        hours=hours,
        description=description.strip()[:300],
        source=source,
        reference=reference,
        logged_by=actor if actor is not None and actor.pk else None,
    )
    audit.record(
        action="volunteer.hours_logged",
        actor=actor,
        target=volunteer,
        request=request,
        details={"date": date.isoformat(), "hours": str(hours), "source": source},
    )
    return entry


# --- Vetting by coordinators -------------------------------------------------------------------


@transaction.atomic
def record_identity_check(
    *,
    volunteer: Volunteer,
    method: str,
    notes: str,
    actor: User,
    request: HttpRequest | None = None,
) -> Volunteer:
    """A coordinator records that (and how) they checked the volunteer's identity."""
    if not actor.has_perm(CHANGE):
        raise VolunteerError(_("You do not have permission to do this."))
    if method not in IdentityMethod.values:
        raise VolunteerError(_("Choose how the identity was checked."))
    if method == IdentityMethod.VERIFIED_ACCOUNT:
        account = Volunteer.objects.select_related("user").get(pk=volunteer.pk).user
        if not account.identity_verified:
            raise VolunteerError(_("This account's identity is not verified."))
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if volunteer.status not in (Status.APPLIED, Status.APPROVED, Status.PAUSED):
        raise VolunteerError(
            _("This cannot be done while it is “%(state)s”.")
            % {"state": volunteer.get_status_display()}
        )
    volunteer.identity_method = method
    volunteer.identity_notes = notes.strip()[:300]
    volunteer.identity_checked_by = actor
    volunteer.identity_checked_at = timezone.now()
    volunteer.save(
        update_fields=[
            "identity_method",
            "identity_notes",
            "identity_checked_by",
            "identity_checked_at",
            "updated_at",
        ]
    )
    _event(
        volunteer,
        EventKind.IDENTITY,
        actor=actor,
        message=volunteer.get_identity_method_display(),
        public=False,
    )
    audit.record(
        action="volunteer.identity_checked",
        actor=actor,
        target=volunteer,
        request=request,
        details={"method": method},
    )
    return volunteer


def check_document(file: UploadedFile) -> CheckedDocument:
    """A PDF, JPEG or PNG within the size limit, judged by its content; a photo is re-encoded
    from its pixels alone (no EXIF: a phone's photo carries where and when it was taken)."""
    return documents.check_document(file, max_bytes=conf.UPLOAD_MAX_BYTES, error=VolunteerError)


@transaction.atomic
def add_document(
    *,
    volunteer: Volunteer,
    label: str,
    document: CheckedDocument,
    actor: User,
    request: HttpRequest | None = None,
) -> VolunteerDocument:
    """A coordinator keeps a document seen while vetting, in private storage."""
    if not actor.has_perm(CHANGE):
        raise VolunteerError(_("You do not have permission to do this."))
    if not label.strip():
        raise VolunteerError(_("Say what the document is."))
    item = VolunteerDocument(
        volunteer=volunteer,
        label=label.strip()[:200],
        original_name=document.name,
        content_type=document.content_type,
        size=len(document.content),
        uploaded_by=actor,
    )
    item.file.save(
        f"v{volunteer.pk}{document.extension}", ContentFile(document.content), save=False
    )
    item.save()
    _event(volunteer, EventKind.DOCUMENT, actor=actor, message=item.label, public=False)
    audit.record(
        action="volunteer.document_added",
        actor=actor,
        target=volunteer,
        request=request,
        details={"document": item.pk},
    )
    return item


def _needs_reason(move: Move) -> None:
    if not move.note:
        raise VolunteerError(_("A reason is needed."))
    move.set("status_reason", move.note)


def _approving(move: Move) -> None:
    volunteer = move.case
    if volunteer.identity_checked_at is None:
        raise VolunteerError(_("Check the volunteer's identity before approving."))
    if needs_conduct(volunteer) is not None:
        raise VolunteerError(_("The volunteer has not accepted the code of conduct in force yet."))
    move.set("status_reason", "")
    if volunteer.approved_at is None:
        move.set("approved_at", move.now)


def _resuming(move: Move) -> None:
    if needs_conduct(move.case) is not None:
        raise VolunteerError(_("Accept the code of conduct in force first."))
    move.set("status_reason", "")


def _reapplying(move: Move) -> None:
    move.set("status_reason", "")
    move.set("closed_at", None)
    move.set("applied_at", move.now)
    for name in ("identity_method", "identity_notes"):
        move.set(name, "")
    for name in ("identity_checked_by", "identity_checked_at", "approved_at"):
        move.set(name, None)


def _self_or_coordinator(volunteer: Volunteer, actor: Any) -> Any:
    if actor is not None and (actor.pk == volunteer.user_id or actor.has_perm(CHANGE)):
        return None
    return _("You do not have permission to do this.")


def _only_self(volunteer: Volunteer, actor: Any) -> Any:
    if actor is not None and actor.pk == volunteer.user_id:
        return None
    return _("You do not have permission to do this.")


def _tell_updated(move: Move) -> None:
    _tell(move.case, "volunteers.updated", move.note)


WORKFLOW = Workflow(
    model=Volunteer,
    error=VolunteerError,
    transitions={
        "approve": Transition(
            sources=(Status.APPLIED,),
            target=Status.APPROVED,
            permission=CHANGE,
            effect=_approving,
            audit_action="volunteer.approved",
        ),
        "reject": Transition(
            sources=(Status.APPLIED,),
            target=Status.REJECTED,
            permission=CHANGE,
            stamp=("closed_at",),
            effect=_needs_reason,
            audit_action="volunteer.rejected",
            details=lambda move: {"reason": move.note[:500]},
        ),
        "pause": Transition(
            sources=(Status.APPROVED,),
            target=Status.PAUSED,
            allowed=_self_or_coordinator,
            effect=_needs_reason,
            audit_action="volunteer.paused",
            details=lambda move: {"reason": move.note[:500]},
        ),
        "resume": Transition(
            sources=(Status.PAUSED,),
            target=Status.APPROVED,
            allowed=_self_or_coordinator,
            effect=_resuming,
            audit_action="volunteer.resumed",
        ),
        "retire": Transition(
            sources=(Status.APPLIED, Status.APPROVED, Status.PAUSED),
            target=Status.RETIRED,
            allowed=_self_or_coordinator,
            stamp=("closed_at",),
            effect=_needs_reason,
            audit_action="volunteer.retired",
            details=lambda move: {"reason": move.note[:500]},
        ),
        "reapply": Transition(
            sources=(Status.REJECTED, Status.RETIRED),
            target=Status.APPLIED,
            allowed=_only_self,
            effect=_reapplying,
            kind=EventKind.APPLIED,
            audit_action="volunteer.reapplied",
            notify=lambda move: None,  # apply_to_volunteer tells them once
        ),
    },
    timeline=VolunteerEvent,
    notify=_tell_updated,
    touch=("updated_at",),
    select_related=("user",),
)


def approve(*, volunteer: Volunteer, actor: User, request: HttpRequest | None = None) -> Volunteer:
    return WORKFLOW.apply(volunteer, "approve", actor=actor, request=request).case  # type: ignore[no-any-return]


def reject(
    *, volunteer: Volunteer, reason: str, actor: User, request: HttpRequest | None = None
) -> Volunteer:
    return WORKFLOW.apply(volunteer, "reject", actor=actor, note=reason, request=request).case  # type: ignore[no-any-return]


def pause(
    *, volunteer: Volunteer, reason: str, actor: User, request: HttpRequest | None = None
) -> Volunteer:
    return WORKFLOW.apply(volunteer, "pause", actor=actor, note=reason, request=request).case  # type: ignore[no-any-return]


def resume(*, volunteer: Volunteer, actor: User, request: HttpRequest | None = None) -> Volunteer:
    return WORKFLOW.apply(volunteer, "resume", actor=actor, request=request).case  # type: ignore[no-any-return]


def retire(
    *, volunteer: Volunteer, reason: str, actor: User, request: HttpRequest | None = None
) -> Volunteer:
    return WORKFLOW.apply(volunteer, "retire", actor=actor, note=reason, request=request).case  # type: ignore[no-any-return]


def record_view(*, volunteer: Volunteer, actor: User, request: HttpRequest | None = None) -> None:
    """A coordinator opened a volunteer's details (page or API): always audited."""
    audit.record(action="volunteer.viewed", actor=actor, target=volunteer, request=request)
