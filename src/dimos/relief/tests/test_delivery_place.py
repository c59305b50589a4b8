"""Relief tells deliveries where the visit is, and links the day sheet to its code form."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dimos.core.models import AuditEntry
from dimos.relief.tests.conftest import INSIDE

pytestmark = pytest.mark.django_db


def test_the_scheduled_delivery_has_the_beneficiarys_point_and_district(
    scheduled: tuple[Any, str],
) -> None:
    req, _code = scheduled
    delivery = req.delivery
    assert (delivery.lat, delivery.lon) == INSIDE
    assert delivery.district == req.beneficiary.district and delivery.district is not None


def test_the_day_sheet_leads_the_courier_to_the_code_form(
    scheduled: tuple[Any, str], courier: Any
) -> None:
    req, _code = scheduled
    client = login_en(courier)
    sheet = client.get(reverse("deliveries:day"), {"date": req.day.isoformat()}).content.decode()
    visit = reverse("relief_staff:visit", args=[req.pk])
    assert f'href="{visit}"' in sheet
    # The code (or a name and a note) completes a relief visit: no bare "received by" form.
    assert f'action="{reverse("deliveries:act", args=[req.delivery.pk, "delivered"])}"' not in sheet
    assert client.get(visit).status_code == 200
    assert AuditEntry.objects.filter(
        action="delivery.viewed", target_id=str(req.delivery.pk), actor=courier
    ).exists()


def test_another_courier_sees_neither_the_name_nor_the_address(
    scheduled: tuple[Any, str],
) -> None:
    from dimos.testing.personas import staff

    req, _code = scheduled
    other = login_en(staff("other-courier@example.org", "delivery_staff"))
    sheet = other.get(reverse("deliveries:day"), {"date": req.day.isoformat()}).content.decode()
    assert req.beneficiary.full_name not in sheet and req.beneficiary.address not in sheet
    assert "Seen only by the coordinators" in sheet


def login_en(user: Any) -> Client:
    from dimos.testing.personas import login

    client = login(user)
    client.cookies["dimos_language"] = "en"
    return client
