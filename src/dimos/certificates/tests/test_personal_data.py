"""The certificates app's part of a person's data (the whole walk is in accounts' tests)."""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps

from dimos.certificates.tests.conftest import make_request
from dimos.deliveries.models import Delivery

pytestmark = pytest.mark.django_db


def _delivery(source: str, reference: str) -> Delivery:
    return Delivery.objects.create(
        source=source,
        reference=reference,
        title="Certificate",
        recipient_name="Alice Resident",
        address="Merarchias 12, Serres",
        date=dt.date(2026, 12, 1),
        window_start=dt.time(9),
        window_end=dt.time(12),
    )


def test_the_migration_links_earlier_deliveries_to_their_applicants(
    residence: Any, resident: Any
) -> None:
    migration = import_module("dimos.certificates.migrations.0002_link_deliveries_to_applicants")
    req = make_request(residence, resident)
    mine, other_app, gone = (
        _delivery("certificates", str(req.pk)),
        _delivery("relief", str(req.pk)),
        _delivery("certificates", "999999"),
    )
    migration.link(apps, None)
    for delivery in (mine, other_app, gone):
        delivery.refresh_from_db()
    assert mine.person == resident
    assert other_app.person is None and gone.person is None


def test_issuing_with_home_delivery_plans_it_for_the_applicants_account(
    residence: Any, resident: Any, issuer: Any
) -> None:
    from dimos.certificates import services

    req = make_request(
        residence, resident, home_delivery=True, mobility_need=True, delivery_address="Here 1"
    )
    services.issue(req=req, actor=issuer)
    assert Delivery.objects.get(reference=str(req.pk)).person == resident
