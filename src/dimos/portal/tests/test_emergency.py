"""The stay-at-home emergency: only administrators switch it, audited; the home page's banner
and the catalogue follow at once, even from the page cache, in Greek and English."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dimos.core.audit import AuditEntry
from dimos.core.registry import registry
from dimos.portal import emergency
from dimos.portal.models import Emergency
from dimos.portal.selectors import catalogue
from dimos.testing.personas import login, staff

pytestmark = pytest.mark.django_db

GREEK = "Μένουμε σπίτι: μην βγαίνετε χωρίς λόγο."
ENGLISH = "Stay at home: go out only if you must."


def _emergency_urls() -> list[str]:
    """The services whose catalogue entry says emergency=True (relief, in this platform)."""
    return [reverse(e.url_name) for e in registry.catalogue.values() if e.emergency]


def _switch_on(admin: Any, **changes: Any) -> Emergency:
    values: dict[str, Any] = {"actor": admin, "message_el": GREEK, "message_en": ENGLISH}
    values.update(changes)
    return emergency.switch_on(**values)


def test_some_service_is_marked_for_emergencies() -> None:
    assert _emergency_urls()  # relief declares itself; the portal names no service


def test_the_banner_shows_and_goes_at_once_on_the_cached_home_page(
    client: Client, municipality: Any, admin_user: Any
) -> None:
    first = client.get("/")
    assert "stay-home-title" not in first.content.decode()
    assert client.get("/")["X-Dimos-Cache"] == "hit"  # the anonymous page is cached
    _switch_on(admin_user)
    page = client.get("/").content.decode()
    assert GREEK in page and "Μείνετε σπίτι" in page
    for url in _emergency_urls():
        assert f'href="{url}"' in page.split('id="stay-home-title"')[1].split("</section>")[0]
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ENGLISH in english and "Stay at home" in english and GREEK not in english
    emergency.switch_off(actor=admin_user)
    assert "stay-home-title" not in client.get("/").content.decode()


def test_the_catalogue_lists_the_emergency_services_first(
    client: Client, municipality: Any, admin_user: Any
) -> None:
    urls = set(_emergency_urls())
    before = catalogue()
    assert before[0][0].key != "emergency"
    _switch_on(admin_user)
    topic, items = catalogue()[0]
    assert topic.key == "emergency" and {i.url for i in items} == urls
    # Listed once: taken out of their own topic.
    rest = [i.url for _t, group in catalogue()[1:] for i in group]
    assert not urls & set(rest)
    page = client.get("/services/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.index('id="topic-emergency"') == page.index('id="topic-')  # the first group
    assert "Help while you stay at home" in page
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Help while you stay at home" in home


def test_a_planned_emergency_shows_from_its_start_until_its_end(
    municipality: Any, admin_user: Any
) -> None:
    now = timezone.now()
    _switch_on(admin_user, starts_at=now + dt.timedelta(hours=1))
    assert emergency.current() is None
    ended = Emergency.objects.get()
    ended.starts_at = now - dt.timedelta(hours=2)
    ended.ends_at = now - dt.timedelta(hours=1)
    ended.save()
    emergency.VERSION.bump()
    assert emergency.current() is None
    ended.ends_at = now + dt.timedelta(hours=1)
    ended.save()
    emergency.VERSION.bump()
    current = emergency.current()
    assert current is not None and current.pk == ended.pk


def test_switching_again_replaces_and_everything_is_audited(
    municipality: Any, admin_user: Any
) -> None:
    first = _switch_on(admin_user)
    second = _switch_on(admin_user, message_en="Stay in.", message_el="Μείνετε μέσα.")
    first.refresh_from_db()
    assert first.switched_off_at is not None and emergency.current().pk == second.pk  # type: ignore[union-attr]
    assert emergency.switch_off(actor=admin_user) == 1
    actions = list(AuditEntry.objects.values_list("action", flat=True).order_by("pk"))
    assert actions.count("emergency.switched_on") == 2
    assert actions.count("emergency.switched_off") == 1
    with pytest.raises(emergency.EmergencyError):
        emergency.switch_off(actor=admin_user)  # nothing left to switch off


def test_bad_input_is_refused(municipality: Any, admin_user: Any) -> None:
    with pytest.raises(emergency.EmergencyError):
        _switch_on(admin_user, message_en="  ")
    with pytest.raises(emergency.EmergencyError):
        _switch_on(admin_user, ends_at=timezone.now() - dt.timedelta(minutes=1))
    assert not Emergency.objects.exists()


def test_only_administrators_switch_it(
    municipality: Any, admin_user: Any, clerk: Any, citizen: Any
) -> None:
    with pytest.raises(emergency.EmergencyError):
        _switch_on(clerk)  # a news editor is not an emergency administrator
    assert login(clerk).get("/staff/emergency/").status_code == 403
    assert login(citizen).get("/staff/emergency/").status_code in (302, 403)
    holder = staff("emergencies@example.org", "emergency_admin")
    assert login(holder).get("/staff/emergency/").status_code == 200
    assert not Emergency.objects.exists()


def test_the_switch_page_turns_it_on_and_off(municipality: Any, admin_user: Any) -> None:
    client = login(admin_user)
    client.cookies["dimos_language"] = "en"
    page = client.get("/staff/emergency/")
    assert page.status_code == 200 and "No emergency is on." in page.content.decode()
    wrong = client.post("/staff/emergency/", {"action": "on", "message_el": GREEK})
    assert wrong.status_code == 400 and "This field is required." in wrong.content.decode()
    answer = client.post(
        "/staff/emergency/", {"action": "on", "message_el": GREEK, "message_en": ENGLISH}
    )
    assert answer.status_code == 302 and emergency.current() is not None
    on = client.get("/staff/emergency/").content.decode()
    assert "The emergency is on since" in on and ENGLISH in on
    off = client.post("/staff/emergency/", {"action": "off"})
    assert off.status_code == 302 and emergency.current() is None
    greek = login(admin_user).get("/staff/emergency/").content.decode()
    assert "Έκτακτη ανάγκη" in greek


def test_the_switches_are_kept_when_the_admin_is_erased(municipality: Any, admin_user: Any) -> None:
    from dimos.portal.personal_data import export_for

    _switch_on(admin_user)
    exported = export_for(admin_user)["emergencies_switched"]
    assert len(exported) == 1 and exported[0]["switched_on"] is True
