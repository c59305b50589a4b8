"""Deliveries: the state machine, the listener of the source app, staff pages and permissions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dimos.core.models import AuditEntry
from dimos.deliveries import selectors, services, sources
from dimos.deliveries.models import Delivery, DeliveryStatus
from dimos.testing.personas import login, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def courier(db: Any) -> Any:
    return staff("courier@example.org", "delivery_staff")


@pytest.fixture
def courier_client(courier: Any) -> Client:
    client = login(courier)
    client.cookies["dimos_language"] = "en"
    return client


@pytest.fixture
def delivery(db: Any) -> Delivery:
    return services.schedule_delivery(
        source="errands",
        reference="basket-7",
        title="Food basket",
        recipient_name="Kostas Georgiou",
        address="Ethnikis Antistaseos 5",
        phone="+30 2321000000",
        date=timezone.localdate(),
        window_start=dt.time(9),
        window_end=dt.time(12),
    )


def test_scheduled_out_delivered(delivery: Delivery, courier: Any, monkeypatch: Any) -> None:
    seen: list[str] = []
    # A source app's listener, registered for this test only.
    monkeypatch.setitem(
        sources._sources,
        "errands",
        sources.Source(key="errands", listener=lambda d, actor: seen.append(d.status)),
    )
    services.set_out(delivery=delivery, actor=courier)
    services.mark_delivered(delivery=delivery, received_by="Maria Georgiou", actor=courier)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.received_by == "Maria Georgiou" and delivery.completed_at is not None
    assert seen == ["out", "delivered"]
    assert AuditEntry.objects.filter(action="delivery.delivered").exists()
    with pytest.raises(services.DeliveryError):
        services.mark_failed(delivery=delivery, reason="late", actor=courier)


def test_failed_needs_a_reason_and_window_must_be_sane(delivery: Delivery, courier: Any) -> None:
    with pytest.raises(services.DeliveryError):
        services.mark_failed(delivery=delivery, reason=" ", actor=courier)
    with pytest.raises(services.DeliveryError):
        services.mark_delivered(delivery=delivery, received_by="", actor=courier)
    services.mark_failed(delivery=delivery, reason="Nobody home", actor=courier)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.failure_reason == "Nobody home"
    with pytest.raises(services.DeliveryError):
        services.schedule_delivery(
            source="errands",
            reference="x",
            title="x",
            recipient_name="x",
            address="x",
            date=timezone.localdate(),
            window_start=dt.time(12),
            window_end=dt.time(9),
        )


def test_staff_pages_need_the_role(
    delivery: Delivery, client: Client, citizen_client: Client, clerk_client: Client
) -> None:
    urls = [
        ("get", reverse("deliveries:day")),
        ("get", reverse("deliveries:print")),
        ("get", reverse("deliveries:plan", args=[delivery.pk])),
        ("post", reverse("deliveries:act", args=[delivery.pk, "out"])),
    ]
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 302, url
        assert getattr(citizen_client, method)(url).status_code == 403, url
        assert getattr(clerk_client, method)(url).status_code == 403, url
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SCHEDULED


def test_day_list_print_and_actions(
    delivery: Delivery, courier: Any, courier_client: Client
) -> None:
    day = courier_client.get(reverse("deliveries:day"))
    assert "Kostas Georgiou" in day.content.decode()
    printed = courier_client.get(reverse("deliveries:print"), {"date": delivery.date.isoformat()})
    assert "Ethnikis Antistaseos 5" in printed.content.decode()
    other_day = courier_client.get(reverse("deliveries:print"), {"date": "2001-01-01"})
    assert "Kostas Georgiou" not in other_day.content.decode()
    assert courier_client.get(reverse("deliveries:day"), {"date": "nonsense"}).status_code == 200
    act = reverse("deliveries:act", args=[delivery.pk, "delivered"])
    assert courier_client.post(act, {"received_by": ""}).status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SCHEDULED
    courier_client.post(reverse("deliveries:act", args=[delivery.pk, "out"]))
    courier_client.post(act, {"received_by": "Maria"})
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert (
        courier_client.post(reverse("deliveries:act", args=[delivery.pk, "zap"])).status_code == 404
    )


def test_plan_assigns_and_rejects_a_bad_window(
    delivery: Delivery, courier: Any, courier_client: Client
) -> None:
    url = reverse("deliveries:plan", args=[delivery.pk])
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    bad = courier_client.post(
        url, {"date": tomorrow, "window_start": "12:00", "window_end": "10:00"}
    )
    assert bad.status_code == 400
    ok = courier_client.post(
        url,
        {
            "date": tomorrow,
            "window_start": "10:00",
            "window_end": "12:00",
            "assigned_to": courier.pk,
        },
    )
    assert ok.status_code == 302
    delivery.refresh_from_db()
    assert delivery.assigned_to == courier and delivery.date.isoformat() == tomorrow
    mine = selectors.day_list(day=delivery.date, assigned_to=courier)
    assert list(mine) == [delivery]


def test_queue_counts_overdue(delivery: Delivery, courier: Any) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(date=timezone.localdate() - dt.timedelta(days=2))
    counts = selectors.queue_counts(courier)
    assert counts.open == 1 and counts.overdue == 1


def _schedule(day: dt.date, reference: str) -> Delivery:
    return services.schedule_delivery(
        source="errands",
        reference=reference,
        title="Food basket",
        recipient_name="Eleni Petrou",
        address="Merarchias 3",
        date=day,
        window_start=dt.time(9),
        window_end=dt.time(12),
    )


def test_the_staff_home_count_leads_to_the_first_day_with_deliveries(
    courier: Any, courier_client: Client
) -> None:
    later = timezone.localdate() + dt.timedelta(days=3)
    _schedule(later, "later")
    home = courier_client.get("/staff/").content.decode()
    assert f'href="{reverse("deliveries:first_open")}"' in home
    answer = courier_client.get(reverse("deliveries:first_open"))
    assert answer.status_code == 302
    assert answer["Location"] == f"{reverse('deliveries:day')}?date={later:%Y-%m-%d}"
    assert "Eleni Petrou" in courier_client.get(answer["Location"]).content.decode()
    # An overdue delivery comes first; with none open, today.
    overdue = _schedule(timezone.localdate() - dt.timedelta(days=2), "overdue")
    assert selectors.first_open_day() == overdue.date
    Delivery.objects.update(status=DeliveryStatus.DELIVERED)
    today = courier_client.get(reverse("deliveries:first_open"))["Location"]
    assert today.endswith(f"{timezone.localdate():%Y-%m-%d}")


def test_marking_a_later_delivery_delivered_asks_first(
    courier: Any, courier_client: Client
) -> None:
    later = _schedule(timezone.localdate() + dt.timedelta(days=2), "later")
    url = reverse("deliveries:act", args=[later.pk, "delivered"])
    asked = courier_client.post(url, {"received_by": "Eleni Petrou"})
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Mark a later delivery as delivered?" in page
    assert 'name="confirm_early" value="on"' in page and 'value="Eleni Petrou"' in page
    later.refresh_from_db()
    assert later.status == DeliveryStatus.SCHEDULED
    done = courier_client.post(url, {"received_by": "Eleni Petrou", "confirm_early": "on"})
    assert done.status_code == 302
    later.refresh_from_db()
    assert later.status == DeliveryStatus.DELIVERED and later.received_by == "Eleni Petrou"


def test_todays_delivery_is_marked_without_asking(
    delivery: Delivery, courier_client: Client
) -> None:
    url = reverse("deliveries:act", args=[delivery.pk, "delivered"])
    assert courier_client.post(url, {"received_by": "Maria Georgiou"}).status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
