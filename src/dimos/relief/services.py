"""Writes of relief. Each runs in a transaction, audits, and notifies after the commit.

A request's states (the table :data:`WORKFLOW`, applied by the workflow kit)::

    received ──► accepted ──► scheduled ──► out ──► delivered ──► closed
       │            │            ▲  │        │
       ▼            ▼            │  ▼        ▼
    declined (a reason)          └─ failed (a reason; schedule again, or close)

Scheduling plans a visit through ``deliveries.services`` (source ``"relief"``) and sends the
beneficiary a short proof code; the delivery's own moves (out, delivered, failed — from the
courier's day sheet) come back through :func:`delivery_changed`, the listener registered in
``apps.py``. A courier who enters the code completes the delivery with :func:`complete_with_code`.
"""

from __future__ import annotations

import datetime as dt
import io
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from dimos.core import audit
from dimos.core.images import ImageRefused, clean_copy, load_reduced, upright_rgb
from dimos.core.notifications import notify
from dimos.core.selectors import locate
from dimos.core.tasks import enqueue_on_commit
from dimos.core.workflow import Move, Refused, Transition, Workflow
from dimos.relief import consent
from dimos.relief.conf import conf
from dimos.relief.models import (
    ELIGIBLE,
    MERGEABLE,
    OPEN_STATUSES,
    Beneficiary,
    Eligibility,
    EventKind,
    FoodClaim,
    Method,
    Need,
    NeedKind,
    Proof,
    Recurrence,
    Relation,
    ReliefRequest,
    RequestEvent,
    Status,
    Vulnerability,
)

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.http import HttpRequest

    from dimos.accounts.models import User

SOURCE = "relief"
VIEW = "relief.view_reliefrequest"
CHANGE = "relief.change_reliefrequest"
CHANGE_PERSON = "relief.change_beneficiary"
CODE_LENGTH = 4
RECEIPT_SIDE = 2000


class ReliefError(Refused):
    """What the request's state (or the input) does not allow; shown to the person."""


# --- What is asked ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """The beneficiary as the form (or the helpline) tells them."""

    full_name: str
    address: str
    lat: float
    lon: float
    phone: str = ""
    household_size: int = 1
    vulnerabilities: list[str] = field(default_factory=list)
    language: str = "el"
    access_notes: str = ""


@dataclass(frozen=True)
class NeedData:
    kind: str
    description: str = ""
    ceiling: Decimal | None = None
    pharmacy: str = ""
    barcodes: list[str] = field(default_factory=list)


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def check_person(person: Person) -> Any:
    """Refuse a beneficiary a courier could not reach; answers where their point falls."""
    if not person.full_name.strip():
        raise ReliefError(_("Give the full name of the person to help."))
    if not person.address.strip():
        raise ReliefError(_("Give the address where the help is brought."))
    place = locate(person.lat, person.lon)
    if not place.inside:
        raise ReliefError(
            _(
                "This address is outside the municipality: the municipality can bring help only "
                "within its area. Call the helpline of the municipality where the person lives."
            ),
            code="outside",
        )
    if person.phone and not 10 <= len(_digits(person.phone)) <= 15:
        raise ReliefError(_("Give a phone number with 10 to 15 digits, or leave it empty."))
    if not 1 <= person.household_size <= 20:
        raise ReliefError(_("Give the number of people in the household (1 to 20)."))
    if not set(person.vulnerabilities) <= set(Vulnerability.values):
        raise ReliefError(_("Choose why the person must stay home from the list."))
    return place


def check_needs(needs: list[NeedData], *, prescription_later: bool = False) -> None:
    """Refuse needs a courier could not bring. ``prescription_later``: medicine of a
    recurring request, whose new prescription's barcodes are taken each time."""
    if not needs:
        raise ReliefError(_("Say what is needed."))
    for need in needs:
        if need.kind not in NeedKind.values:
            raise ReliefError(_("Say what is needed."))
        if need.kind == NeedKind.SHOPPING:
            if not need.description.strip():
                raise ReliefError(_("Write the shopping list."))
            if need.ceiling is None or need.ceiling <= 0:
                raise ReliefError(_("Give the most that may be spent on the shopping."))
        if need.kind == NeedKind.MEDICINE:
            if not need.pharmacy.strip():
                raise ReliefError(_("Choose the pharmacy the medicine is collected from."))
            if (not need.barcodes and not prescription_later) or any(
                not b.isdigit() or not 6 <= len(b) <= 20 for b in need.barcodes
            ):
                raise ReliefError(
                    _("Give the prescriptions' barcodes as numbers (6 to 20 digits each).")
                )
        if need.kind == NeedKind.ERRAND and not need.description.strip():
            raise ReliefError(_("Describe the errand."))


def check_day(day: dt.date, start: dt.time, end: dt.time) -> None:
    if day < timezone.localdate():
        raise ReliefError(_("Choose today or a later day."))
    if day > timezone.localdate() + dt.timedelta(days=60):
        raise ReliefError(_("Choose a day within the next two months."))
    if end <= start:
        raise ReliefError(_("The time window must end after it starts."))


# --- Beneficiaries ----------------------------------------------------------------------------


def _fill(beneficiary: Beneficiary, person: Person, district: Any) -> None:
    beneficiary.full_name = " ".join(person.full_name.split())[:200]
    beneficiary.address = person.address.strip()[:300]
    beneficiary.lat, beneficiary.lon = person.lat, person.lon
    beneficiary.district = district
    beneficiary.phone = person.phone.strip()[:30]
    beneficiary.household_size = person.household_size
    beneficiary.vulnerabilities = [v for v in Vulnerability.values if v in person.vulnerabilities]
    beneficiary.language = person.language if person.language in ("el", "en") else "el"
    beneficiary.access_notes = person.access_notes.strip()[:300]


def _new_beneficiary(
    person: Person, *, account: Any, actor: Any, method: str, consent_version: int
) -> Beneficiary:
    if consent_version != consent.CURRENT:
        raise ReliefError(
            _("The consent text has just changed. Read the new version and agree to it.")
        )
    place = check_person(person)
    beneficiary = Beneficiary(
        account=account,
        added_by=actor,
        consent_version=consent_version,
        consent_method=method,
        consent_recorded_by=actor,
        consent_at=timezone.now(),
    )
    _fill(beneficiary, person, place.district)
    beneficiary.save()
    return beneficiary


# --- Coordinators keep the record right ------------------------------------------------------

PERSON_FIELDS = (
    "full_name",
    "address",
    "lat",
    "lon",
    "district",
    "phone",
    "household_size",
    "vulnerabilities",
    "language",
    "access_notes",
)


def _refuse_unless_coordinator(actor: Any) -> None:
    if actor is None or not actor.has_perm(CHANGE_PERSON):
        raise ReliefError(_("You do not have permission to do this."))


def _follow_on_deliveries(beneficiary: Beneficiary, actor: Any, request: Any) -> None:
    """The person's visits still to make carry the corrected record (the courier's sheet)."""
    from dimos.deliveries import services as deliveries  # a real need: see pyproject.toml

    for req in ReliefRequest.objects.filter(
        beneficiary=beneficiary, delivery__isnull=False, status__in=OPEN_STATUSES
    ).select_related("delivery"):
        assert req.delivery is not None
        deliveries.update_recipient(
            delivery=req.delivery,
            recipient_name=beneficiary.full_name,
            address=beneficiary.address,
            phone=beneficiary.phone,
            instructions=beneficiary.access_notes,
            lat=beneficiary.lat,
            lon=beneficiary.lon,
            district=beneficiary.district,
            actor=actor,
            request=request,
        )


def update_beneficiary(
    *,
    beneficiary: Beneficiary,
    person: Person,
    actor: User,
    district: Any = None,
    consent_method: str = "",
    request: HttpRequest | None = None,
) -> list[str]:
    """A coordinator corrects the record (the point must be in the municipality; the
    district is the point's unless one is chosen). ``consent_method`` records the consent in
    force given again, as a new version, by whom and how. Audited with the names of the fields
    changed, never their values. Answers those names."""
    _refuse_unless_coordinator(actor)
    if consent_method and consent_method not in Method.values:
        raise ReliefError(_("Say how the consent was given."))
    place = check_person(person)
    with transaction.atomic():
        locked = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
        if locked.erased_at is not None:
            raise ReliefError(_("This person's data was erased: add them again."))
        before = {name: getattr(locked, name) for name in PERSON_FIELDS}
        _fill(locked, person, district if district is not None else place.district)
        changed = [name for name in PERSON_FIELDS if getattr(locked, name) != before[name]]
        now = timezone.now()
        if consent_method:
            locked.consent_version = consent.CURRENT
            locked.consent_method = consent_method
            locked.consent_recorded_by = actor
            locked.consent_at = now
        if changed or consent_method:
            locked.save()
        if changed:
            audit.record(
                action="relief.beneficiary_changed",
                actor=actor,
                target=locked,
                request=request,
                details={"fields": changed},
            )
            _follow_on_deliveries(locked, actor, request)
        if consent_method:
            audit.record(
                action="relief.consent_recorded",
                actor=actor,
                target=locked,
                request=request,
                details={"version": consent.CURRENT, "method": consent_method},
            )
    return changed


@dataclass(frozen=True)
class Merged:
    """What :func:`merge_beneficiaries` did: requests moved, and those joined to another of
    the same day (by the rules of asking twice)."""

    kept: Beneficiary
    moved: int
    joined: list[str]


def _fold(source: ReliefRequest, target: ReliefRequest, actor: Any) -> None:
    """The needs of ``source`` join ``target`` (the same person's request of the same day),
    as asking again would; ``source`` stays, declined, saying where its needs went."""
    kinds = list(source.needs.values_list("kind", flat=True))
    _check_joining(target, kinds)
    source.needs.update(request=target)
    updates = []
    if NeedKind.MEDICINE in kinds and not target.urgent:
        target.urgent = True
        updates.append("urgent")
    if source.food_claim and not target.food_claim:
        target.food_claim = source.food_claim
        updates.append("food_claim")
    if updates:
        target.save(update_fields=[*updates, "updated_at"])
    RequestEvent.objects.create(
        request=target,
        kind=EventKind.MERGED,
        status=target.status,
        message=", ".join(str(NeedKind(k).label) for k in kinds),
        actor=actor,
    )
    note = str(
        _("Joined %(reference)s: the same person asked twice.") % {"reference": target.reference}
    )
    source.status = Status.DECLINED
    source.status_reason = note[:500]
    source.closed_at = timezone.now()
    source.save(update_fields=["status", "status_reason", "closed_at", "updated_at"])
    RequestEvent.objects.create(request=source, status=Status.DECLINED, message=note, actor=actor)


def _joinable(req: ReliefRequest) -> bool:
    return req.status in (Status.RECEIVED, Status.ACCEPTED) and req.delivery_id is None


def merge_beneficiaries(
    *, keep: Beneficiary, drop: Beneficiary, actor: User, request: HttpRequest | None = None
) -> Merged:
    """One person recorded twice becomes one record, in one transaction: ``drop``'s requests
    move to ``keep``; two requests of the same day become one by the rules of asking twice
    (the one not yet under way joins the other, which must still take needs), else nothing is
    written and the merge is refused. The newest consent, the latest help and the latest
    social grocery decision are kept, and blanks filled from ``drop``; then ``drop``'s personal
    data is erased (its row stays, without requests, pointing to ``keep``)."""
    _refuse_unless_coordinator(actor)
    if keep.pk == drop.pk:
        raise ReliefError(_("Choose two different records."))
    with transaction.atomic():
        locked = {
            b.pk: b
            for b in Beneficiary.objects.select_for_update()
            .filter(pk__in=[keep.pk, drop.pk])
            .order_by("pk")
        }
        keep, drop = locked[keep.pk], locked[drop.pk]
        if keep.erased_at is not None or drop.erased_at is not None:
            raise ReliefError(_("This person's data was erased: add them again."))
        mine = {
            r.day: r
            for r in ReliefRequest.objects.select_for_update()
            .filter(beneficiary=keep)
            .exclude(status=Status.DECLINED)
        }
        theirs = list(ReliefRequest.objects.select_for_update().filter(beneficiary=drop))
        joined = []
        for req in theirs:
            other = mine.get(req.day)
            if req.status == Status.DECLINED or other is None:
                continue
            if _joinable(req) and other.status in MERGEABLE:
                _fold(req, other, actor)
                joined.append(req.reference)
            elif _joinable(other) and req.status in MERGEABLE:
                _fold(other, req, actor)
                joined.append(other.reference)
            else:
                raise ReliefError(
                    _(
                        "Both records have a request on %(day)s that is already under way or "
                        "done (%(first)s, %(second)s): they cannot become one. Merge them when "
                        "one of them is declined or closed."
                    )
                    % {
                        "day": formats.date_format(req.day, "j E Y"),
                        "first": other.reference,
                        "second": req.reference,
                    },
                    code="duplicate",
                )
        moved = ReliefRequest.objects.filter(beneficiary=drop).update(beneficiary=keep)
        if drop.consent_at > keep.consent_at:
            keep.consent_version = drop.consent_version
            keep.consent_method = drop.consent_method
            keep.consent_recorded_by = drop.consent_recorded_by
            keep.consent_at = drop.consent_at
        if drop.last_help_at is not None and (
            keep.last_help_at is None or drop.last_help_at > keep.last_help_at
        ):
            keep.last_help_at = drop.last_help_at
        if drop.food_eligibility_at is not None and (
            keep.food_eligibility_at is None or drop.food_eligibility_at > keep.food_eligibility_at
        ):
            for name in (
                "food_eligibility",
                "food_eligibility_reason",
                "food_eligibility_by",
                "food_eligibility_at",
                "food_eligible_until",
            ):
                setattr(keep, name, getattr(drop, name))
        for name in ("phone", "access_notes"):
            if not getattr(keep, name) and getattr(drop, name):
                setattr(keep, name, getattr(drop, name))
        if keep.account_id is None and drop.account_id is not None:
            keep.account_id = drop.account_id
        keep.created_at = min(keep.created_at, drop.created_at)
        keep.save()
        drop.full_name = ""
        drop.address = ""
        drop.lat = drop.lon = None
        drop.phone = ""
        drop.access_notes = ""
        drop.account = None
        _blank_eligibility(drop)
        drop.merged_into = keep
        drop.erased_at = timezone.now()
        drop.save()
        _stop_recurrences(drop)
        Recurrence.objects.filter(beneficiary=drop).update(needs=[])
        audit.record(
            action="relief.beneficiaries_merged",
            actor=actor,
            target=keep,
            request=request,
            details={"merged": drop.pk, "requests": moved, "joined": joined},
        )
        _follow_on_deliveries(keep, actor, request)
        _plan_retention(keep)
    return Merged(kept=keep, moved=moved, joined=joined)


# --- Asking for help --------------------------------------------------------------------------


@dataclass(frozen=True)
class Asked:
    """What :func:`ask_for_help` did: the request, and whether it joined one already there."""

    request: ReliefRequest
    merged: bool = False
    repeated: bool = False


def _add_needs(req: ReliefRequest, needs: list[NeedData]) -> None:
    Need.objects.bulk_create(
        Need(
            request=req,
            kind=n.kind,
            description=n.description.strip()[:2000],
            ceiling=n.ceiling if n.kind == NeedKind.SHOPPING else None,
            pharmacy=n.pharmacy.strip()[:200] if n.kind == NeedKind.MEDICINE else "",
            barcodes=[b for b in n.barcodes if b] if n.kind == NeedKind.MEDICINE else [],
        )
        for n in needs
    )


def _check_joining(existing: ReliefRequest, kinds: list[str]) -> None:
    """Needs may join a request of the same day while it is received, accepted or scheduled;
    a food parcel joins a planned visit only for a person who qualifies for the social
    grocery (an accepted request is checked again when it is scheduled)."""
    if existing.status not in MERGEABLE:
        raise ReliefError(
            _(
                "There is already a request for this person on that day (%(state)s). "
                "Choose another day."
            )
            % {"state": existing.get_status_display()},
            code="duplicate",
        )
    if (
        NeedKind.FOOD in kinds
        and existing.status == Status.SCHEDULED
        and not existing.beneficiary.food_eligible()
    ):
        raise ReliefError(
            _(
                "The visit of that day is already planned, and a food parcel needs the social "
                "grocery's eligibility checked first. Ask for the food parcel on another day."
            ),
            code="eligibility",
        )


def _merge(
    existing: ReliefRequest,
    needs: list[NeedData],
    actor: Any,
    request: HttpRequest | None,
    food_claim: str = "",
    recurrence: Recurrence | None = None,
) -> Asked:
    _check_joining(existing, [n.kind for n in needs])
    _add_needs(existing, needs)
    if recurrence is not None and existing.recurrence_id is None:
        existing.recurrence = recurrence
        existing.save(update_fields=["recurrence", "updated_at"])
    if food_claim and not existing.food_claim:
        existing.food_claim = food_claim
        existing.save(update_fields=["food_claim", "updated_at"])
    if any(n.kind == NeedKind.MEDICINE for n in needs) and not existing.urgent:
        existing.urgent = True
        existing.save(update_fields=["urgent", "updated_at"])
    RequestEvent.objects.create(
        request=existing,
        kind=EventKind.MERGED,
        status=existing.status,
        message=", ".join(str(NeedKind(n.kind).label) for n in needs),
        actor=actor if actor is not None and actor.pk else None,
    )
    audit.record(
        action="relief.merged",
        actor=actor,
        target=existing,
        request=request,
        details={"needs": [n.kind for n in needs]}
        | ({"recurrence": recurrence.pk} if recurrence is not None else {}),
    )
    return Asked(existing, merged=True)


def ask_for_help(
    *,
    needs: list[NeedData],
    day: dt.date,
    window_start: dt.time,
    window_end: dt.time,
    actor: User | None,
    channel: str,
    person: Person | None = None,
    beneficiary: Beneficiary | None = None,
    relation: str = Relation.SELF,
    consent_version: int = 0,
    caller_name: str = "",
    caller_phone: str = "",
    submission_key: str = "",
    food_claim: str = "",
    request: HttpRequest | None = None,
    recurrence: Recurrence | None = None,
) -> Asked:
    """A request for help: online by a resident (for themself or someone else) or by the
    helpline for a caller. A new beneficiary needs the consent in force; a coordinator may
    reuse a beneficiary found by the search. A request for the same person and day joins the
    one already there; the same ``submission_key`` again answers the request it made.

    With ``recurrence`` (relief/recurring.py, which checked who made it recurring): the
    request is that recurrence's, asked by the requester of the request it was made from, its
    medicine without barcodes (a new prescription each time), and nobody is told it was
    received (the requester is told when it is scheduled)."""
    if channel not in Method.values:
        raise ReliefError(_("Unknown channel."))
    if (
        recurrence is None
        and channel == Method.PHONE
        and (actor is None or not actor.has_perm(CHANGE))
    ):
        raise ReliefError(_("You do not have permission to do this."))
    if submission_key:
        done = ReliefRequest.objects.filter(submission_key=submission_key).first()
        if done is not None:
            return Asked(done, repeated=True)
    check_needs(needs, prescription_later=recurrence is not None)
    check_day(day, window_start, window_end)
    if relation not in Relation.values:
        relation = Relation.OTHER
    if food_claim not in FoodClaim.values or not any(n.kind == NeedKind.FOOD for n in needs):
        food_claim = ""
    if beneficiary is None and person is None:
        raise ReliefError(_("Say who the help is for."))
    if channel == Method.PHONE and caller_phone and not 10 <= len(_digits(caller_phone)) <= 15:
        raise ReliefError(_("Give the caller's phone with 10 to 15 digits, or leave it empty."))
    try:
        with transaction.atomic():
            if beneficiary is None:
                assert person is not None
                beneficiary = _new_beneficiary(
                    person,
                    account=actor
                    if relation == Relation.SELF and channel == Method.ONLINE
                    else None,
                    actor=actor,
                    method=channel,
                    consent_version=consent_version,
                )
            else:
                beneficiary = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
                if beneficiary.erased_at is not None:
                    raise ReliefError(_("This person's data was erased: add them again."))
            existing = (
                ReliefRequest.objects.select_for_update()
                .filter(beneficiary=beneficiary, day=day)
                .exclude(status=Status.DECLINED)
                .first()
            )
            if existing is not None:
                return _merge(existing, needs, actor, request, food_claim, recurrence)
            if recurrence is not None:
                requester = recurrence.request.requester
            else:
                requester = actor if channel == Method.ONLINE else None
            with transaction.atomic():  # a savepoint: the constraint may still refuse (a race)
                req = ReliefRequest.objects.create(
                    beneficiary=beneficiary,
                    requester=requester,
                    recurrence=recurrence,
                    relation=relation,
                    channel=channel,
                    caller_name=caller_name.strip()[:200],
                    caller_phone=caller_phone.strip()[:30],
                    day=day,
                    window_start=window_start,
                    window_end=window_end,
                    urgent=any(n.kind == NeedKind.MEDICINE for n in needs),
                    food_claim=food_claim,
                    submission_key=submission_key or None,
                )
            _add_needs(req, needs)
            RequestEvent.objects.create(
                request=req,
                status=req.status,
                actor=actor if actor is not None and actor.pk else None,
            )
            audit.record(
                action="relief.requested",
                actor=actor,
                target=req,
                request=request,
                details={"channel": channel, "needs": [n.kind for n in needs]}
                | ({"recurrence": recurrence.pk} if recurrence is not None else {}),
            )
            if recurrence is None:
                _tell(req, "relief.received")
            _plan_retention(beneficiary)
            return Asked(req)
    except IntegrityError:
        # Two submissions at once: the other one won. Join it (or answer it, if it was ours).
        if submission_key:
            done = ReliefRequest.objects.filter(submission_key=submission_key).first()
            if done is not None:
                return Asked(done, repeated=True)
        existing = (
            ReliefRequest.objects.filter(beneficiary=beneficiary, day=day)
            .exclude(status=Status.DECLINED)
            .first()
        )
        if existing is None:
            raise
        with transaction.atomic():
            return _merge(
                ReliefRequest.objects.select_for_update().get(pk=existing.pk),
                needs,
                actor,
                request,
                food_claim,
                recurrence,
            )


# --- Telling people ---------------------------------------------------------------------------


def _tell(req: ReliefRequest, kind: str, message: str = "", food_declined: str = "") -> None:
    """The requester (their account, or the caller's phone) in the beneficiary's language
    when there is no account to say otherwise."""
    beneficiary = req.beneficiary
    context = {
        "req": req,
        "message": message,
        "status": req.get_status_display(),
        "food_declined": food_declined,
    }
    if req.requester is not None and req.requester.is_active:
        notify(
            kind=kind,
            recipient=req.requester,
            context=context,
            url=reverse("relief:detail", args=[req.pk]),
        )
    elif req.caller_phone:
        notify(kind=kind, phone=req.caller_phone, context=context, language=beneficiary.language)
    elif beneficiary.phone and beneficiary.account_id is None:
        notify(kind=kind, phone=beneficiary.phone, context=context, language=beneficiary.language)


def _send_code(req: ReliefRequest, code: str) -> None:
    beneficiary = req.beneficiary
    if beneficiary.phone:
        notify(
            kind="relief.code",
            phone=beneficiary.phone,
            context={"req": req, "code": code},
            language=beneficiary.language,
            sealed=True,  # the code is never stored readable (ADR 0011)
        )


# --- Proof codes ------------------------------------------------------------------------------


def _digest(req: ReliefRequest, code: str) -> str:
    return salted_hmac("dimos.relief.code", f"{req.pk}:{code}", algorithm="sha256").hexdigest()


def new_code() -> str:
    return "".join(secrets.choice("0123456789") for _i in range(CODE_LENGTH))


# --- The social grocery -----------------------------------------------------------------------


def _set_eligibility(
    beneficiary: Beneficiary, decision: str, reason: str, actor: Any, now: dt.datetime
) -> None:
    """Record a coordinator's decision on the locked beneficiary (refused when incomplete)."""
    if decision not in Eligibility.values:
        raise ReliefError(_("Choose whether and how the person qualifies for the social grocery."))
    reason = " ".join(reason.split())[:300]
    if decision == Eligibility.NOT_ELIGIBLE and not reason:
        raise ReliefError(_("Say why the person does not qualify: they are told."), code="reason")
    beneficiary.food_eligibility = decision
    beneficiary.food_eligibility_reason = reason if decision == Eligibility.NOT_ELIGIBLE else ""
    beneficiary.food_eligibility_by = actor if actor is not None and actor.pk else None
    beneficiary.food_eligibility_at = now
    today = timezone.localdate(now)
    beneficiary.food_eligible_until = add_months(
        dt.datetime.combine(today, dt.time.min), conf.FOOD_ELIGIBILITY_MONTHS
    ).date()
    beneficiary.save(
        update_fields=[
            "food_eligibility",
            "food_eligibility_reason",
            "food_eligibility_by",
            "food_eligibility_at",
            "food_eligible_until",
            "updated_at",
        ]
    )


def record_eligibility(
    *,
    beneficiary: Beneficiary,
    decision: str,
    reason: str = "",
    actor: User,
    request: HttpRequest | None = None,
) -> Beneficiary:
    """A coordinator records whether the person qualifies for the social grocery (registered
    with it, receiving the minimum guaranteed income, assessed by the social service) or not,
    with the reason; it holds ``DIMOS_RELIEF_FOOD_ELIGIBILITY_MONTHS``. Audited, without the
    basis (only whether the person qualifies)."""
    if not actor.has_perm(CHANGE):
        raise ReliefError(_("You do not have permission to do this."))
    with transaction.atomic():
        locked = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
        if locked.erased_at is not None:
            raise ReliefError(_("This person's data was erased: add them again."))
        _set_eligibility(locked, decision, reason, actor, timezone.now())
        audit.record(
            action="relief.eligibility_recorded",
            actor=actor,
            target=locked,
            request=request,
            details={"eligible": decision in ELIGIBLE},
        )
    return locked


def _food_needs(req: ReliefRequest) -> list[Need]:
    return [n for n in req.needs.all() if n.kind == NeedKind.FOOD and not n.declined_reason]


def _food_refusal() -> ReliefError:
    return ReliefError(
        _(
            "This request asks for a food parcel from the social grocery: record first whether "
            "the person qualifies (registered with the social grocery, receiving the minimum "
            "guaranteed income, or assessed by the social service) or not, and why."
        ),
        code="eligibility",
    )


# --- The workflow -----------------------------------------------------------------------------


def _accepting(move: Move) -> None:
    """A food parcel is accepted only for a person who qualifies for the social grocery: the
    decision given with the acceptance is recorded first. A person who does not qualify has
    the food parcel declined with the reason, and the rest of the request accepted; when the
    food parcel was all that was asked, the request is to be declined instead. Other needs
    are not checked."""
    req: ReliefRequest = move.case
    food = _food_needs(req)
    if not food:
        return
    beneficiary = Beneficiary.objects.select_for_update().get(pk=req.beneficiary_id)
    if move.data.get("eligibility"):
        _set_eligibility(
            beneficiary,
            move.data["eligibility"],
            move.data.get("eligibility_reason", ""),
            move.actor,
            move.now,
        )
        move.details["eligibility_recorded"] = True
    req.beneficiary = beneficiary
    today = timezone.localdate(move.now)
    if beneficiary.food_eligible(today):
        return
    if not beneficiary.food_decision_holds(today):
        raise _food_refusal()
    reason = beneficiary.food_eligibility_reason
    if all(n.kind == NeedKind.FOOD for n in req.needs.all() if not n.declined_reason):
        raise ReliefError(
            _(
                "The person does not qualify for the social grocery (%(reason)s), and the food "
                "parcel is all that was asked: decline the request, with the reason."
            )
            % {"reason": reason},
            code="not_eligible",
        )
    Need.objects.filter(pk__in=[n.pk for n in food]).update(declined_reason=reason)
    move.data["food_declined"] = reason
    move.details["food_declined"] = True


def _accepted(move: Move) -> None:
    if move.data.get("quiet"):  # a recurring request's: told when it is scheduled
        return
    _tell(move.case, "relief.updated", food_declined=move.data.get("food_declined", ""))


def _needs_reason(move: Move) -> None:
    if not move.note:
        raise ReliefError(_("A reason is needed."))
    move.set("status_reason", move.note[:500])


def _scheduling(move: Move) -> None:
    """Plan the visit in deliveries (a new one when scheduled again after a failure)."""
    from dimos.deliveries import services as deliveries  # a real need: see pyproject.toml

    req: ReliefRequest = move.case
    # A food parcel may have joined after the acceptance (asked again for the same day).
    today = timezone.localdate(move.now)
    if (
        move.previous == Status.ACCEPTED
        and _food_needs(req)
        and not req.beneficiary.food_eligible(today)
    ):
        raise _food_refusal()
    day: dt.date = move.data.get("day") or req.day
    start: dt.time = move.data.get("window_start") or req.window_start
    end: dt.time = move.data.get("window_end") or req.window_end
    if end <= start:
        raise ReliefError(_("The time window must end after it starts."))
    if day < timezone.localdate():
        raise ReliefError(_("Choose today or a later day."))
    if day != req.day:
        clash = (
            ReliefRequest.objects.filter(beneficiary_id=req.beneficiary_id, day=day)
            .exclude(pk=req.pk)
            .exclude(status=Status.DECLINED)
            .exists()
        )
        if clash:
            raise ReliefError(
                _("There is already a request for this person on that day."), code="duplicate"
            )
    beneficiary = req.beneficiary
    needs = ", ".join(str(NeedKind(n.kind).label) for n in req.needs.all() if not n.declined_reason)
    delivery = deliveries.schedule_delivery(
        source=SOURCE,
        reference=str(req.pk),
        title=f"{req.reference} · {needs}"[:200],
        recipient_name=beneficiary.full_name,
        address=beneficiary.address,
        phone=beneficiary.phone,
        instructions=beneficiary.access_notes,
        date=day,
        window_start=start,
        window_end=end,
        assigned_to=move.data.get("courier"),
        person=beneficiary.account,
        lat=beneficiary.lat,
        lon=beneficiary.lon,
        district=beneficiary.district,
        actor=move.actor,
        request=move.request,
    )
    code = new_code()
    move.data["code"] = code
    move.set("day", day)
    move.set("window_start", start)
    move.set("window_end", end)
    move.set("delivery", delivery)
    move.set("scheduled_by", move.actor)
    move.set("code_digest", _digest(req, code))
    move.set("code_tries", 0)
    for name in ("status_reason", "received_by", "proof_note", "proof"):
        move.set(name, "")
    move.details.update({"day": day.isoformat(), "delivery": delivery.pk})
    if delivery.assigned_to_id is None:
        # Left open for volunteers: coordinators are alerted that day if no one takes it.
        from dimos.relief import volunteering

        volunteering.plan_unassigned_check(req, delivery)


def _scheduled(move: Move) -> None:
    _send_code(move.case, move.data["code"])
    _tell(move.case, "relief.updated")


def _delivering(move: Move) -> None:
    req: ReliefRequest = move.case
    if not req.proof:
        move.set("proof", Proof.NAME)
    if move.data.get("received_by"):
        move.set("received_by", move.data["received_by"][:200])
    move.set("code_digest", "")
    move.details["proof"] = req.proof
    beneficiary = req.beneficiary
    beneficiary.last_help_at = move.now
    beneficiary.save(update_fields=["last_help_at", "updated_at"])
    _plan_retention(beneficiary)


def _failing(move: Move) -> None:
    reason = move.note or move.data.get("reason", "")
    if not reason:
        raise ReliefError(_("A reason is needed."))
    move.set("status_reason", reason[:500])
    move.set("code_digest", "")
    # The history keeps the reason too (a request scheduled again clears status_reason): the
    # figures count failures by it.
    move.note = reason.strip()[:500]


def _replan(move: Move) -> None:
    """A request ended (declined, closed, failed): the retention check moves with it."""
    _plan_retention(move.case.beneficiary)


def _tell_updated(move: Move) -> None:
    _tell(move.case, "relief.updated", move.case.status_reason)


WORKFLOW = Workflow(
    model=ReliefRequest,
    error=ReliefError,
    transitions={
        "accept": Transition(
            sources=(Status.RECEIVED,),
            target=Status.ACCEPTED,
            permission=CHANGE,
            stamp=("accepted_at",),
            effect=_accepting,
            audit_action="relief.accepted",
            notify=_accepted,
        ),
        "decline": Transition(
            sources=(Status.RECEIVED, Status.ACCEPTED),
            target=Status.DECLINED,
            permission=CHANGE,
            stamp=("closed_at",),
            effect=_needs_reason,
            after=_replan,
            audit_action="relief.declined",
            details=lambda move: {"reason": move.note[:500]},
        ),
        "schedule": Transition(
            sources=(Status.ACCEPTED, Status.FAILED),
            target=Status.SCHEDULED,
            permission=CHANGE,
            stamp=("scheduled_at",),
            effect=_scheduling,
            audit_action="relief.scheduled",
            notify=_scheduled,
        ),
        # The next three follow the delivery (delivery_changed), or the courier's code.
        "out": Transition(
            sources=(Status.SCHEDULED,),
            target=Status.OUT,
            audit_action="relief.out",
            notify=lambda move: None,
        ),
        "deliver": Transition(
            sources=(Status.SCHEDULED, Status.OUT),
            target=Status.DELIVERED,
            stamp=("delivered_at",),
            effect=_delivering,
            audit_action="relief.delivered",
        ),
        "fail": Transition(
            sources=(Status.SCHEDULED, Status.OUT),
            target=Status.FAILED,
            effect=_failing,
            after=_replan,
            audit_action="relief.failed",
            details=lambda move: {"reason": move.case.status_reason},
        ),
        "close": Transition(
            sources=(Status.DELIVERED, Status.FAILED),
            target=Status.CLOSED,
            permission=CHANGE,
            stamp=("closed_at",),
            after=_replan,
            audit_action="relief.closed",
            notify=lambda move: None,
        ),
    },
    timeline=RequestEvent,
    notify=_tell_updated,
    touch=("updated_at",),
    select_related=("beneficiary", "requester"),
)


def accept(
    *,
    req: ReliefRequest,
    actor: User,
    eligibility: str = "",
    eligibility_reason: str = "",
    request: HttpRequest | None = None,
) -> ReliefRequest:
    """Accept; for a food parcel, with the social grocery decision when none holds yet
    (``eligibility``: an :class:`Eligibility` value, ``eligibility_reason`` when not)."""
    return WORKFLOW.apply(  # type: ignore[no-any-return]
        req,
        "accept",
        actor=actor,
        request=request,
        eligibility=eligibility,
        eligibility_reason=eligibility_reason,
    ).case


def decline(
    *, req: ReliefRequest, reason: str, actor: User, request: HttpRequest | None = None
) -> ReliefRequest:
    return WORKFLOW.apply(req, "decline", actor=actor, note=reason, request=request).case  # type: ignore[no-any-return]


def schedule(
    *,
    req: ReliefRequest,
    actor: User,
    day: dt.date | None = None,
    window_start: dt.time | None = None,
    window_end: dt.time | None = None,
    courier: User | None = None,
    request: HttpRequest | None = None,
) -> str:
    """Schedule (or schedule again after a failure); answers the proof code, which is kept
    only as a digest: the coordinator may read it to a beneficiary without a mobile phone."""
    try:
        move = WORKFLOW.apply(
            req,
            "schedule",
            actor=actor,
            request=request,
            day=day,
            window_start=window_start,
            window_end=window_end,
            courier=courier,
        )
    except IntegrityError as exc:  # the day was taken at the same moment
        raise ReliefError(
            _("There is already a request for this person on that day."), code="duplicate"
        ) from exc
    return str(move.data["code"])


def close(*, req: ReliefRequest, actor: User, request: HttpRequest | None = None) -> ReliefRequest:
    return WORKFLOW.apply(req, "close", actor=actor, request=request).case  # type: ignore[no-any-return]


def delivery_changed(delivery: Any, actor: User | None) -> None:
    """Listener of the deliveries app: the request follows its delivery (inside its
    transaction). A delivery that is not the request's current one is ignored."""
    from dimos.deliveries.models import DeliveryStatus  # a real need: see pyproject.toml
    from dimos.relief import volunteering

    if not str(delivery.reference).isdigit():
        return
    volunteering.follow_delivery(delivery)
    req = (
        ReliefRequest.objects.filter(pk=int(delivery.reference), delivery_id=delivery.pk)
        .select_related("beneficiary")
        .first()
    )
    if req is None:
        return
    action = {
        DeliveryStatus.OUT: "out",
        DeliveryStatus.DELIVERED: "deliver",
        DeliveryStatus.FAILED: "fail",
    }.get(delivery.status)
    if action is None or not WORKFLOW.allows(req, action):
        return
    data: dict[str, Any] = {}
    if action == "deliver":
        data["received_by"] = delivery.received_by
    if action == "fail":
        data["reason"] = delivery.failure_reason
    WORKFLOW.apply(req, action, actor=actor, authorised=True, **data)


# --- The courier completes --------------------------------------------------------------------


def may_deliver(req: ReliefRequest, actor: Any) -> bool:
    """The courier of the request's delivery, or a coordinator."""
    if actor is None or not actor.is_authenticated:
        return False
    if actor.has_perm(CHANGE):
        return True
    courier = (
        ReliefRequest.objects.filter(pk=req.pk)
        .values_list("delivery__assigned_to", flat=True)
        .first()
    )
    return courier is not None and courier == actor.pk


@dataclass(frozen=True)
class Money:
    amount: Decimal
    receipt: bytes = b""
    extension: str = ".jpg"


def check_receipt(file: UploadedFile) -> tuple[bytes, str]:
    """A JPEG or PNG photo of the receipt, re-encoded from its pixels alone (no EXIF)."""
    limit = conf.RECEIPT_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise ReliefError(_("The photo is larger than %(size)s MB.") % {"size": limit // 2**20})
    content = file.read(limit + 1)
    if len(content) > limit:
        raise ReliefError(_("The photo is larger than %(size)s MB.") % {"size": limit // 2**20})
    fmt = "PNG" if content.startswith(b"\x89PNG\r\n\x1a\n") else "JPEG"
    if fmt == "JPEG" and not content.startswith(b"\xff\xd8\xff"):
        raise ReliefError(_("Send a photo of the receipt (JPEG or PNG)."))
    try:
        image = load_reduced(io.BytesIO(content), formats=(fmt,), max_side=RECEIPT_SIDE)
    except ImageRefused as exc:
        raise ReliefError(_("The photo could not be read.")) from exc
    with image:
        pixels = upright_rgb(image)
    clean = clean_copy(pixels, fmt, **({"quality": 85} if fmt == "JPEG" else {}))
    return clean, ".png" if fmt == "PNG" else ".jpg"


def _record_money(req: ReliefRequest, money: Money | None) -> None:
    if money is None:
        return
    if money.amount < 0:
        raise ReliefError(_("The amount cannot be negative."))
    ceiling = sum((n.ceiling or Decimal(0) for n in req.needs.all()), Decimal(0))
    if ceiling and money.amount > ceiling:
        raise ReliefError(
            _("The amount is more than the most that may be spent (%(ceiling)s €).")
            % {"ceiling": ceiling}
        )
    req.money_amount = money.amount
    fields = ["money_amount"]
    if money.receipt:
        req.receipt.save(f"r{req.pk}{money.extension}", ContentFile(money.receipt), save=False)
        fields.append("receipt")
    req.save(update_fields=fields)


def _alert_coordinator(req: ReliefRequest) -> None:
    coordinator = req.scheduled_by
    if coordinator is not None and coordinator.is_active:
        notify(
            kind="relief.code_alert",
            recipient=coordinator,
            context={"req": req},
            url=reverse("relief_staff:detail", args=[req.pk]),
        )


def complete_with_code(
    *,
    req: ReliefRequest,
    code: str,
    actor: User,
    money: Money | None = None,
    request: HttpRequest | None = None,
) -> ReliefRequest:
    """The courier enters the code the beneficiary tells them. A wrong code counts; after
    ``DIMOS_RELIEF_CODE_TRIES`` the coordinator who scheduled it is alerted and only a name
    and a note complete it (:func:`complete_with_name`)."""
    from dimos.deliveries import services as deliveries  # a real need: see pyproject.toml

    if not may_deliver(req, actor):
        raise ReliefError(_("You do not have permission to do this."))
    code = _digits(code)
    with transaction.atomic():
        locked = (
            ReliefRequest.objects.select_for_update(of=("self",))
            .select_related("beneficiary", "delivery")
            .get(pk=req.pk)
        )
        WORKFLOW.check(locked, "deliver")
        if not locked.code_digest or locked.code_tries >= conf.CODE_TRIES:
            raise ReliefError(
                _("The code can no longer be used: record who received it and a note."),
                code="locked",
            )
        right = constant_time_compare(_digest(locked, code), locked.code_digest)
        if not right:
            locked.code_tries += 1
            locked.save(update_fields=["code_tries"])
            RequestEvent.objects.create(
                request=locked, kind=EventKind.CODE, status=locked.status, actor=actor
            )
            audit.record(
                action="relief.code_wrong",
                actor=actor,
                target=locked,
                request=request,
                details={"tries": locked.code_tries},
            )
            if locked.code_tries >= conf.CODE_TRIES:
                _alert_coordinator(locked)
            left = conf.CODE_TRIES - locked.code_tries
    if not right:
        # Outside the block: the count of tries is kept although the move is refused.
        if left <= 0:
            raise ReliefError(
                _(
                    "Wrong code, too many times: the coordinator was alerted. Record who received "
                    "it and a note instead."
                ),
                code="locked",
            )
        raise ReliefError(
            _("This code is not right. Tries left: %(left)s.") % {"left": left}, code="wrong_code"
        )
    with transaction.atomic():
        locked = ReliefRequest.objects.select_for_update().get(pk=req.pk)
        locked.proof = Proof.CODE
        locked.save(update_fields=["proof"])
        _record_money(locked, money)
        delivery = locked.delivery
        assert delivery is not None
        deliveries.mark_delivered(
            delivery=delivery,
            received_by=req.beneficiary.full_name,
            actor=actor,
            request=request,
        )
    locked.refresh_from_db()
    return locked


def complete_with_name(
    *,
    req: ReliefRequest,
    received_by: str,
    note: str,
    actor: User,
    money: Money | None = None,
    request: HttpRequest | None = None,
) -> ReliefRequest:
    """When no code is possible: the name of who received it and a note saying why."""
    from dimos.deliveries import services as deliveries  # a real need: see pyproject.toml

    if not may_deliver(req, actor):
        raise ReliefError(_("You do not have permission to do this."))
    if not received_by.strip():
        raise ReliefError(_("The name of the person who received it is needed."))
    if not note.strip():
        raise ReliefError(_("Say why there is no code."))
    with transaction.atomic():
        locked = ReliefRequest.objects.select_for_update().get(pk=req.pk)
        WORKFLOW.check(locked, "deliver")
        locked.proof = Proof.NAME
        locked.proof_note = note.strip()[:300]
        locked.save(update_fields=["proof", "proof_note"])
        _record_money(locked, money)
        assert locked.delivery is not None
        deliveries.mark_delivered(
            delivery=locked.delivery, received_by=received_by, actor=actor, request=request
        )
    locked.refresh_from_db()
    return locked


def fail_delivery(
    *, req: ReliefRequest, reason: str, actor: User, request: HttpRequest | None = None
) -> ReliefRequest:
    """The courier could not deliver (nobody home, the pharmacy was closed)."""
    from dimos.deliveries import services as deliveries  # a real need: see pyproject.toml

    if not may_deliver(req, actor):
        raise ReliefError(_("You do not have permission to do this."))
    with transaction.atomic():
        locked = ReliefRequest.objects.select_for_update().get(pk=req.pk)
        WORKFLOW.check(locked, "fail")
        assert locked.delivery is not None
        deliveries.mark_failed(
            delivery=locked.delivery, reason=reason, actor=actor, request=request
        )
    locked.refresh_from_db()
    return locked


# --- Reading, audited -------------------------------------------------------------------------


def record_view(*, target: Any, actor: Any, request: HttpRequest | None = None) -> None:
    """A coordinator (or the courier) saw a beneficiary's data: always audited."""
    action = "relief.beneficiary_viewed" if isinstance(target, Beneficiary) else "relief.viewed"
    audit.record(action=action, actor=actor, target=target, request=request)


# --- Retention --------------------------------------------------------------------------------


def add_months(value: dt.datetime, months: int) -> dt.datetime:
    """``value`` moved by whole months (the day kept, or the month's last day)."""
    year, month = divmod(value.month - 1 + months, 12)
    year += value.year
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return value.replace(year=year, month=month, day=min(value.day, last))


def _request_end(req: ReliefRequest) -> dt.datetime:
    """When a request that brought no help stopped keeping its beneficiary's data: when it
    was declined or closed; for one still waiting (received, accepted, failed), the end of
    its day."""
    if req.status in (Status.DECLINED, Status.CLOSED) and req.closed_at is not None:
        return req.closed_at
    next_day = req.day + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(next_day, dt.time.min))


def retention_due(beneficiary: Beneficiary) -> dt.datetime:
    """When the beneficiary's personal data is erased, if nothing happens until then.

    A person helped keeps ``DIMOS_RELIEF_RETENTION_MONTHS`` from the last help (a delivery).
    A request that brought no help (declined, or never acted on before its day passed)
    keeps the data ``DIMOS_RELIEF_UNHELPED_RETENTION_DAYS`` after it ended. The later of the
    two counts: being asked for alone never starts the year."""
    dues = []
    ends = [_request_end(r) for r in beneficiary.requests.all() if r.delivered_at is None]
    if ends:
        dues.append(max(ends) + dt.timedelta(days=conf.UNHELPED_RETENTION_DAYS))
    if beneficiary.last_help_at is not None:
        dues.append(add_months(beneficiary.last_help_at, conf.RETENTION_MONTHS))
    if not dues:
        dues.append(beneficiary.created_at + dt.timedelta(days=conf.UNHELPED_RETENTION_DAYS))
    return max(dues)


def _plan_retention(beneficiary: Beneficiary) -> None:
    """A check at the time :func:`retention_due` answers now; anything later (a new request,
    a help) plans its own, and this one then finds the person not due and leaves them."""
    from dimos.relief.tasks import erase_if_lapsed

    enqueue_on_commit(erase_if_lapsed, beneficiary.pk, run_after=retention_due(beneficiary))


def _blank_eligibility(beneficiary: Beneficiary) -> None:
    beneficiary.food_eligibility = ""
    beneficiary.food_eligibility_reason = ""
    beneficiary.food_eligibility_by = None
    beneficiary.food_eligibility_at = None
    beneficiary.food_eligible_until = None


def erase_beneficiary(beneficiary: Beneficiary, *, actor: Any = None, why: str = "") -> None:
    """Blank what identifies the person, in the record, its requests, their needs and
    history, their deliveries and the messages sent to their phone; the rows stay for the
    counts (district, day, what was needed, how it went)."""
    from dimos.core.personal_data import erase_messages_to
    from dimos.deliveries import services as deliveries  # a real need: see pyproject.toml

    with transaction.atomic():
        beneficiary = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
        if beneficiary.erased_at is not None:
            return
        phones = {beneficiary.phone}
        requests = list(beneficiary.requests.all())
        from dimos.relief import volunteering

        volunteering.withdraw_claims([req.pk for req in requests])
        for req in requests:
            phones.add(req.caller_phone)
            if req.receipt:
                req.receipt.delete(save=False)
            if req.delivery_id is not None:
                deliveries.erase_delivery(delivery_id=req.delivery_id)
        ReliefRequest.objects.filter(beneficiary=beneficiary).update(
            caller_name="",
            caller_phone="",
            received_by="",
            proof_note="",
            receipt="",
            code_digest="",
            status_reason="",
            food_claim="",
            submission_key=None,
        )
        Need.objects.filter(request__beneficiary=beneficiary).update(
            description="", pharmacy="", barcodes=[], declined_reason=""
        )
        RequestEvent.objects.filter(request__beneficiary=beneficiary).update(message="")
        _stop_recurrences(beneficiary)
        Recurrence.objects.filter(beneficiary=beneficiary).update(needs=[])
        beneficiary.full_name = ""
        beneficiary.address = ""
        beneficiary.lat = beneficiary.lon = None
        beneficiary.phone = ""
        beneficiary.access_notes = ""
        beneficiary.account = None
        _blank_eligibility(beneficiary)
        beneficiary.erased_at = timezone.now()
        beneficiary.save()
        for phone in phones - {""}:
            erase_messages_to(phone=phone)
        audit.record(
            action="relief.beneficiary_erased",
            actor=actor,
            target=beneficiary,
            details={"why": why} if why else None,
        )


def _stop_recurrences(beneficiary: Beneficiary) -> None:
    """An erased or merged-away person's recurring requests make nothing more."""
    Recurrence.objects.filter(beneficiary=beneficiary, stopped_at__isnull=True).update(
        stopped_at=timezone.now()
    )


def erase_if_lapsed(*, beneficiary_id: int, now: dt.datetime | None = None) -> bool:
    """The retention rule for one beneficiary (:func:`retention_due`): erased once due, unless
    a visit is planned or on its way. Safe to run twice."""
    now = now or timezone.now()
    beneficiary = Beneficiary.objects.filter(pk=beneficiary_id, erased_at__isnull=True).first()
    if beneficiary is None:
        return False
    if beneficiary.requests.filter(status__in=(Status.SCHEDULED, Status.OUT)).exists():
        return False
    if retention_due(beneficiary) > now:
        return False
    erase_beneficiary(beneficiary, why="retention")
    return True


def erase_lapsed(*, now: dt.datetime | None = None) -> int:
    """Every beneficiary past the retention period (the sweep the task also runs). Only
    those helped before the retention months, or never helped and added before the shorter
    period, are looked at one by one."""
    now = now or timezone.now()
    helped_before = add_months(now, -conf.RETENTION_MONTHS)
    added_before = now - dt.timedelta(days=conf.UNHELPED_RETENTION_DAYS)
    ids = (
        Beneficiary.objects.filter(erased_at__isnull=True)
        .filter(
            Q(last_help_at__isnull=True, created_at__lte=added_before)
            | Q(last_help_at__lte=helped_before)
        )
        .values_list("pk", flat=True)
    )
    return sum(erase_if_lapsed(beneficiary_id=pk, now=now) for pk in list(ids))
