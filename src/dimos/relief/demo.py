"""Demo data: a Serres emergency week — 320 requests for help across the districts, in every
state, from three days ago to three days ahead, taken by the demo clerk, who is made relief
coordinator and courier (the deliveries of the scheduled ones are on the day sheets, with
their map points; today's clerk's visits of the busiest district are one run). Then
(:func:`seed_tasks`) some demo volunteers hold the visits left without a courier; the others
stay open for volunteers to take.

Idempotent: it does nothing once the demo beneficiaries are there.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from dimos.relief import consent
from dimos.relief.models import (
    Beneficiary,
    ClaimStatus,
    Method,
    Need,
    NeedKind,
    Proof,
    Relation,
    ReliefRequest,
    RequestEvent,
    Status,
    TaskClaim,
    Vulnerability,
)

HOW_MANY = 320
# Why a delivery failed, as couriers write it (the figures count failures by it).
FAILURES = [
    "Δεν απάντησε κανείς στην πόρτα.",
    "Δεν απάντησε κανείς στην πόρτα.",
    "Το φαρμακείο ήταν κλειστό.",
    "Λάθος διεύθυνση.",
]
FIRST = [
    "Ευαγγελία",
    "Γεώργιος",
    "Αικατερίνη",
    "Δημήτριος",
    "Σοφία",
    "Κωνσταντίνος",
    "Ελένη",
    "Ιωάννης",
    "Παρασκευή",
    "Αθανάσιος",
    "Βασιλική",
    "Χρήστος",
    "Αναστασία",
    "Στέφανος",
]
LAST = [
    "Καραγιάννη",
    "Παπαδόπουλος",
    "Τσολάκη",
    "Γεωργίου",
    "Μαυρίδου",
    "Αθανασίου",
    "Χατζηδάκη",
    "Δημητρίου",
    "Ζαχαρίου",
    "Κυριακίδης",
    "Στεφανίδου",
    "Νικολάου",
]
STREETS = [
    "Μεραρχίας",
    "Κωνσταντινουπόλεως",
    "Βενιζέλου",
    "Εθνικής Αντιστάσεως",
    "Μητροπόλεως",
    "Αγίου Νικολάου",
    "Ομονοίας",
    "Κερασούντος",
    "Τσαλοπούλου",
    "Π. Μελά",
]
NOTES = [
    "Χτυπήστε δύο φορές, τρίτος όροφος.",
    "Ισόγειο, η πόρτα στο πλάι.",
    "",
    "Το κουδούνι δεν δουλεύει: τηλεφωνήστε.",
    "Δεύτερος όροφος, χωρίς ασανσέρ.",
]
WINDOWS = [(dt.time(9), dt.time(13)), (dt.time(13), dt.time(17)), (dt.time(17), dt.time(20))]
# The week's mix: past days mostly done, today under way, the days ahead still to triage.
PAST = [Status.DELIVERED] * 6 + [Status.CLOSED] * 4 + [Status.FAILED, Status.DECLINED]
TODAY = (
    [Status.SCHEDULED] * 3
    + [Status.OUT] * 2
    + [Status.DELIVERED] * 2
    + [Status.ACCEPTED, Status.RECEIVED, Status.FAILED]
)
AHEAD = [Status.RECEIVED] * 4 + [Status.ACCEPTED] * 3 + [Status.SCHEDULED] * 2 + [Status.DECLINED]


def _point(rng: random.Random, district: object) -> tuple[float, float]:
    """A point inside the district (its bounding box, tried until the outline holds it)."""
    from dimos.core.selectors import locate

    d = district
    for _attempt in range(50):
        lat = rng.uniform(d.min_lat, d.max_lat)  # type: ignore[attr-defined]
        lon = rng.uniform(d.min_lon, d.max_lon)  # type: ignore[attr-defined]
        if locate(lat, lon).district == d:
            return lat, lon
    return (d.min_lat + d.max_lat) / 2, (d.min_lon + d.max_lon) / 2  # type: ignore[attr-defined]


def _needs(rng: random.Random, req: ReliefRequest) -> None:
    kinds = rng.sample(list(NeedKind.values), rng.choice([1, 1, 1, 2]))
    for kind in kinds:
        if kind == NeedKind.SHOPPING:
            Need.objects.create(
                request=req,
                kind=kind,
                description="Ψωμί, γάλα, φρούτα, μακαρόνια, απορρυπαντικό",
                ceiling=Decimal(rng.choice([30, 40, 50, 60])),
            )
        elif kind == NeedKind.MEDICINE:
            Need.objects.create(
                request=req,
                kind=kind,
                pharmacy=rng.choice(["Φαρμακείο Κεντρικής Πλατείας", "Φαρμακείο Μεραρχίας 12"]),
                barcodes=[str(rng.randrange(10**10, 10**11)) for _b in range(rng.randint(1, 3))],
            )
        elif kind == NeedKind.ERRAND:
            Need.objects.create(request=req, kind=kind, description="Πληρωμή λογαριασμού ρεύματος")
        else:
            Need.objects.create(request=req, kind=kind)
    if NeedKind.MEDICINE in kinds:
        req.urgent = True
        req.save(update_fields=["urgent"])


@transaction.atomic
def _delivered_at(
    rng: random.Random, day: dt.date, start: dt.time, end: dt.time, now: dt.datetime
) -> dt.datetime:
    """Within the window of a past day (now and then the next morning), or now."""
    if day >= timezone.localdate():
        return now
    zone = timezone.get_current_timezone()
    opens = dt.datetime.combine(day, start, tzinfo=zone)
    minutes = (end.hour - start.hour) * 60
    if rng.random() < 0.15:
        return opens + dt.timedelta(days=1, minutes=rng.randint(0, 120))
    return opens + dt.timedelta(minutes=rng.randint(0, max(minutes - 1, 0)))


def seed() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from dimos.core.selectors import districts
    from dimos.deliveries import services as deliveries  # a real need: see pyproject.toml

    User = get_user_model()
    clerk = User.objects.filter(email="clerk@demo.dimos.gr").first()
    if clerk is not None:
        clerk.groups.add(*Group.objects.filter(name__in=["relief_coordinator", "delivery_staff"]))
    if Beneficiary.objects.filter(added_by=clerk).exists() or clerk is None:
        return
    places = list(districts())
    if not places:
        return
    rng = random.Random(2020)
    today = timezone.localdate()
    now = timezone.now()
    for index in range(HOW_MANY):
        offset = index % 7 - 3
        day = today + dt.timedelta(days=offset)
        mix = PAST if offset < 0 else TODAY if offset == 0 else AHEAD
        status = mix[index // 7 % len(mix)]
        district = places[index % len(places)]
        lat, lon = _point(rng, district)
        by_phone = rng.random() < 0.6
        beneficiary = Beneficiary.objects.create(
            full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            address=f"{rng.choice(STREETS)} {rng.randint(1, 120)}, {district.name_el}",
            lat=lat,
            lon=lon,
            district=district,
            phone=f"69{rng.randrange(10**7, 10**8)}" if rng.random() < 0.8 else "",
            household_size=rng.choice([1, 1, 1, 2, 2, 3, 4]),
            vulnerabilities=rng.sample(list(Vulnerability.values)[:4], rng.randint(1, 2)),
            language="el" if rng.random() < 0.9 else "en",
            access_notes=rng.choice(NOTES),
            added_by=clerk,
            consent_version=consent.CURRENT,
            consent_method=Method.PHONE if by_phone else Method.ONLINE,
            consent_recorded_by=clerk,
            consent_at=now - dt.timedelta(days=4),
        )
        start, end = WINDOWS[index % 3]
        req = ReliefRequest.objects.create(
            beneficiary=beneficiary,
            relation=Relation.SELF
            if by_phone
            else rng.choice([Relation.RELATIVE, Relation.NEIGHBOUR]),
            channel=Method.PHONE if by_phone else Method.ONLINE,
            caller_name="" if by_phone else f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            day=day,
            window_start=start,
            window_end=end,
            status=status,
            created_at=now - dt.timedelta(days=max(1, 4 - offset)),
        )
        _needs(rng, req)
        RequestEvent.objects.create(request=req, status=Status.RECEIVED, actor=clerk)
        if status == Status.RECEIVED:
            continue
        if status == Status.DECLINED:
            req.status_reason = "Εξυπηρετείται ήδη από το Βοήθεια στο Σπίτι."
            req.closed_at = now
            req.save()
            RequestEvent.objects.create(
                request=req, status=status, actor=clerk, message=req.status_reason
            )
            continue
        req.accepted_at = now - dt.timedelta(days=1)
        if status == Status.ACCEPTED:
            req.save()
            RequestEvent.objects.create(request=req, status=status, actor=clerk)
            continue
        delivery = deliveries.schedule_delivery(
            source="relief",
            reference=str(req.pk),
            title=f"{req.reference} · {', '.join(n.get_kind_display() for n in req.needs.all())}",
            recipient_name=beneficiary.full_name,
            address=beneficiary.address,
            phone=beneficiary.phone,
            instructions=beneficiary.access_notes,
            date=day,
            window_start=start,
            window_end=end,
            assigned_to=clerk if rng.random() < 0.7 else None,
            lat=beneficiary.lat,
            lon=beneficiary.lon,
            district=beneficiary.district,
            actor=clerk,
        )
        req.delivery = delivery
        req.scheduled_by = clerk
        req.scheduled_at = now - dt.timedelta(hours=20)
        if status in (Status.DELIVERED, Status.CLOSED):
            req.proof = Proof.CODE if rng.random() < 0.8 else Proof.NAME
            req.received_by = beneficiary.full_name
            req.delivered_at = _delivered_at(rng, day, start, end, now)
            beneficiary.last_help_at = req.delivered_at
            beneficiary.save(update_fields=["last_help_at"])
            if any(n.kind == NeedKind.SHOPPING for n in req.needs.all()):
                req.money_amount = Decimal(rng.randint(15, 30))
        if status == Status.FAILED:
            req.status_reason = rng.choice(FAILURES)
        if status == Status.CLOSED:
            req.closed_at = now
        req.save()
        RequestEvent.objects.create(
            request=req,
            status=status,
            actor=clerk,
            message=req.status_reason if status == Status.FAILED else "",
        )
        # The delivery follows; the request is already in its state, so the listener leaves it.
        if status == Status.OUT:
            deliveries.set_out(delivery=delivery, actor=clerk)
        elif status in (Status.DELIVERED, Status.CLOSED):
            deliveries.mark_delivered(delivery=delivery, received_by=req.received_by, actor=clerk)
        elif status == Status.FAILED:
            deliveries.mark_failed(delivery=delivery, reason=req.status_reason, actor=clerk)
    _seed_run(clerk, today)


def _seed_run(clerk: Any, today: dt.date) -> None:
    """Today's visits the clerk still has to make in the busiest district: one run, in order
    along the way (the coordinator's run sheet and map)."""
    from django.db.models import Count

    from dimos.deliveries import services as deliveries  # a real need: see pyproject.toml
    from dimos.deliveries.models import Delivery

    planned = Delivery.objects.filter(
        source="relief", date=today, status="scheduled", assigned_to=clerk
    ).exclude(district=None)
    busiest = planned.values("district").annotate(n=Count("pk")).order_by("-n", "district").first()
    if busiest is None:
        return
    stops = list(planned.filter(district=busiest["district"]))
    deliveries.create_run(
        date=today,
        district=stops[0].district,
        deliveries=stops,
        courier=clerk,
        actor=clerk,
    )


@transaction.atomic
def seed_tasks() -> None:
    """Every other open visit given to a demo volunteer who suit them (district and
    skills); the demo resident is never made a volunteer."""
    from dimos.deliveries import services as deliveries  # a real need: see pyproject.toml
    from dimos.relief import volunteering
    from dimos.volunteers.models import Status as VolunteerStatus
    from dimos.volunteers.models import Volunteer

    if TaskClaim.objects.exists():
        return
    volunteers = list(
        Volunteer.objects.filter(
            status=VolunteerStatus.APPROVED, user__email__endswith="@volunteers.demo.dimos.gr"
        )
        .select_related("user")
        .prefetch_related("districts", "skills")
    )
    rng = random.Random(2021)
    for index, req in enumerate(volunteering.open_tasks().order_by("pk")):
        if index % 2:
            continue  # every other one stays open for volunteers to take
        kinds = {n.kind for n in req.needs.all()}
        suited = [
            v
            for v in volunteers
            if req.beneficiary.district_id in {d.pk for d in v.districts.all()}
            and kinds <= volunteering.kinds_for({s.code for s in v.skills.all()})
        ]
        if not suited:
            continue
        volunteer = rng.choice(suited)
        assert req.delivery is not None
        deliveries.take_delivery(
            delivery_id=req.delivery.pk, courier=volunteer.user, actor=volunteer.user
        )
        TaskClaim.objects.create(
            request=req, delivery=req.delivery, volunteer=volunteer, status=ClaimStatus.ACTIVE
        )
