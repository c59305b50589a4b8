"""Test data for appointments: a centre open on weekdays, a service, desks and a free slot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from django.utils import timezone

from dimos.appointments.models import Centre, Desk, OpeningHours, ServiceType
from dimos.appointments.slots import SlotView, availability
from dimos.core.workdays import is_working_day


def working_day(after: int = 2) -> date:
    day = timezone.localdate() + timedelta(days=after)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


@dataclass
class Setup:
    service: ServiceType
    centre: Centre
    desks: list[Desk]

    def slots(self, day: date | None = None) -> list[SlotView]:
        day = day or working_day()
        return availability(self.service, self.centre, day, day)[0].slots

    def slot(self, day: date | None = None, index: int = 0) -> SlotView:
        return self.slots(day)[index]


def make_setup(
    desks: int = 1,
    *,
    slug: str = "certificates",
    centre_slug: str = "kep-a",
    confidential: bool = False,
    staff: Any = None,
    **service_fields: Any,
) -> Setup:
    service = ServiceType.objects.create(
        slug=slug,
        name_el=f"Υπηρεσία {slug}",
        name_en=f"Service {slug}",
        documents_el="Ταυτότητα",
        documents_en="Identity card",
        duration_minutes=service_fields.pop("duration_minutes", 15),
        min_notice_hours=service_fields.pop("min_notice_hours", 1),
        max_days_ahead=service_fields.pop("max_days_ahead", 30),
        change_deadline_hours=service_fields.pop("change_deadline_hours", 24),
        is_confidential=confidential,
        **service_fields,
    )
    centre = Centre.objects.filter(slug=centre_slug).first() or Centre.objects.create(
        slug=centre_slug,
        name_el=f"ΚΕΠ {centre_slug}",
        name_en=f"KEP {centre_slug}",
        address_el="Μεραρχίας 1, Σέρρες",
        address_en="1 Merarchias St, Serres",
        lat=41.09,
        lon=23.55,
    )
    if not centre.hours.exists():
        for weekday in range(5):
            OpeningHours.objects.create(
                centre=centre, weekday=weekday, opens=time(8), closes=time(15)
            )
    made = []
    for n in range(desks):
        desk = Desk.objects.create(centre=centre, name=f"Desk {n + 1}", staff=staff)
        desk.services.add(service)
        made.append(desk)
    return Setup(service, centre, made)
