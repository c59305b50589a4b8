"""Assistance at Home: issuing schedules a delivery; the request's history follows it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dimos.certificates import services
from dimos.certificates.models import EventKind
from dimos.certificates.tests.conftest import make_request
from dimos.deliveries import selectors as deliveries
from dimos.deliveries import services as delivery_services

pytestmark = pytest.mark.django_db


def test_issuing_a_home_delivery_request_schedules_and_tracks_the_delivery(
    residence: Any, resident: Any, issuer: Any, municipality: Any
) -> None:
    req = make_request(
        residence,
        resident,
        home_delivery=True,
        holder_birth_date=dt.date(1940, 1, 1),
        contact_phone="+30 6900000000",
    )
    services.issue(req=req, actor=issuer)
    (delivery,) = deliveries.deliveries_for(source="certificates", reference=str(req.pk))
    assert delivery.address == "Merarchias 12, Serres" and delivery.phone == "+30 6900000000"
    delivery_services.set_out(delivery=delivery, actor=issuer)
    delivery_services.mark_delivered(delivery=delivery, received_by="Alice", actor=issuer)
    messages = list(req.events.filter(kind=EventKind.DELIVERY).values_list("message", flat=True))
    assert any("Alice" in m for m in messages)
    assert resident.notifications.filter(kind="certificates.updated").exists()


def test_home_delivery_is_only_for_older_people_or_a_mobility_need(
    residence: Any, resident: Any
) -> None:
    with pytest.raises(services.CertificateError):
        make_request(residence, resident, home_delivery=True, holder_birth_date=dt.date(1990, 1, 1))
    req = make_request(residence, resident, home_delivery=True, mobility_need=True)
    assert req.home_delivery
