"""Staff pages share the centred container, and the deliveries ask before a later day, in a
real browser."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from dimos.accounts.models import User
from dimos.deliveries import services as deliveries
from dimos.deliveries.models import Delivery, DeliveryStatus
from dimos.testing.browser import click_visible, fill_visible, log_in_as, look, use_language
from dimos.testing.data import seed, seed_staff_records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _container(page: Page) -> tuple[float, float]:
    box = page.locator("#main-content").locator("xpath=..").bounding_box()
    assert box is not None
    return round(box["x"]), round(box["width"])


@pytest.mark.parametrize("language", ["el", "en"])
def test_staff_pages_share_the_centred_container_and_deliveries_ask_before_a_later_day(
    page: Page, live_server: Any, admin_user: User, clerk: User, language: str
) -> None:

    seed()
    seed_staff_records(admin_user, clerk)
    later = timezone.localdate() + dt.timedelta(days=2)
    deliveries.schedule_delivery(
        source="certificates",
        reference="7",
        title="Πιστοποιητικό μόνιμης κατοικίας",
        recipient_name="Ελένη Πέτρου",
        address="Μεραρχίας 3, Σέρρες",
        phone="+30 6912345678",
        date=later,
        window_start=dt.time(9),
        window_end=dt.time(12),
    )
    use_language(page.context, live_server, language)
    log_in_as(page.context, live_server, admin_user)
    journey, url = f"staff-{language}", live_server.url
    page.goto(url + "/")
    public = _container(page)
    for step, path in (
        ("1-home", "/staff/"),
        ("2-audit", "/staff/audit/"),
        ("3-sent", "/staff/notifications/"),
        ("4-team", "/staff/team/"),
    ):
        page.goto(url + path)
        assert _container(page) == public, path
        look(page, journey, step)

    # The staff home's count of deliveries leads to the day that has them.
    page.goto(url + "/staff/")
    queue = {"el": "Παραδόσεις στο σπίτι", "en": "Deliveries at home"}[language]
    click_visible(page.get_by_role("link", name=queue))
    expect(page).to_have_url(re.compile(rf"/staff/deliveries/\?date={later:%Y-%m-%d}$"))
    expect(page.get_by_role("main")).to_contain_text("Ελένη Πέτρου")
    expect(page.locator("main a[href='tel:+306912345678']")).to_be_visible()
    look(page, journey, "5-deliveries")

    # Marking it delivered before its day asks first, without JavaScript.
    fill_visible(page.locator("main input[name=received_by]"), "Ελένη Πέτρου")
    click_visible(page.locator("main form[action$='/delivered/'] button[type=submit]"))
    expect(page.locator(".govgr-warning-text")).to_be_visible()
    look(page, journey, "6-confirm-delivered")
    assert Delivery.objects.get().status == DeliveryStatus.SCHEDULED
    click_visible(page.locator("main form button[type=submit]"))
    expect(page.locator(".govgr-notification-banner--success, [role=status]").first).to_be_visible()
    assert Delivery.objects.get().status == DeliveryStatus.DELIVERED
