"""The pages: the catalogue and its filters without JavaScript, the link never public, the
feed, a family's registration by forms, organisers' scope, bad ids."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from dimos.activities import services
from dimos.activities.models import Audience, Mode, Registration, Session
from dimos.activities.tests.conftest import child_of, family, make_programme
from dimos.core.models import AuditEntry
from dimos.testing.personas import login, staff

pytestmark = pytest.mark.django_db

SECRET = "meet.jit.si/serres-zografiki-secret"


def test_the_catalogue_filters_by_age_subject_day_and_place(client: Any, organiser: Any) -> None:
    painting = make_programme(organiser, subject="arts")
    coding = make_programme(
        organiser,
        title_el="Προγραμματισμός",
        subject="technology",
        age_min=11,
        age_max=14,
        mode=Mode.IN_PERSON,
        video_url="",
        place_name="Βιβλιοθήκη",
        address="Μεραρχίας 2",
        lat=41.09,
        lon=23.55,
    )
    url = reverse("activities:catalogue")
    page = client.get(url).content.decode()
    assert painting.title_el in page and coding.title_el in page
    assert SECRET not in page
    page = client.get(url, {"age": 12}).content.decode()
    assert coding.title_el in page and painting.title_el not in page
    page = client.get(url, {"subject": "arts"}).content.decode()
    assert painting.title_el in page and coding.title_el not in page
    page = client.get(url, {"where": "online"}).content.decode()
    assert painting.title_el in page and coding.title_el not in page
    weekday = timezone.localtime(painting.first_start).isoweekday()
    other = weekday % 7 + 1
    assert painting.title_el in client.get(url, {"day": weekday}).content.decode()
    assert painting.title_el not in client.get(url, {"day": other}).content.decode()
    # Nonsense in the address is a form error, never a 500.
    assert client.get(url, {"age": "x", "day": "99", "page": "zz"}).status_code == 400


def test_the_link_is_only_for_confirmed_places(client: Any, programme: Any) -> None:
    detail = reverse("activities:detail", args=[programme.pk])
    assert SECRET not in client.get(detail).content.decode()
    feed = client.get(reverse("activities:feed")).content.decode()
    assert "BEGIN:VEVENT" in feed and SECRET not in feed
    assert SECRET not in client.get("/api/v1/activities/programmes").content.decode()
    parent = family("link@example.org")
    browser = login(parent)
    assert SECRET not in browser.get(detail).content.decode()
    services.register(programme=programme, account=parent, child=child_of(parent))
    assert SECRET in browser.get(detail).content.decode()


def test_a_family_adds_a_child_and_registers_by_forms(programme: Any) -> None:
    parent = family("forms@example.org")
    browser = login(parent)
    year = timezone.localdate().year
    response = browser.post(
        reverse("activities:family"),
        {"first_name": "Ελένη", "birth_year": year - 7, "consent_version": 1},
    )
    assert response.status_code == 400  # no consent
    response = browser.post(
        reverse("activities:family"),
        {"first_name": "Ελένη", "birth_year": year - 7, "consent": "on", "consent_version": 1},
    )
    assert response.status_code == 302
    child = parent.activity_children.get()
    response = browser.post(reverse("activities:register", args=[programme.pk]), {"who": child.pk})
    assert response.status_code == 302
    reg = Registration.objects.get(child=child)
    assert reg.status == "confirmed"
    page = browser.get(reverse("activities:mine")).content.decode()
    assert "Ελένη" in page
    # Twice: a clear message, nothing written.
    response = browser.post(reverse("activities:register", args=[programme.pk]), {"who": child.pk})
    assert response.status_code == 400
    assert Registration.objects.filter(child=child).count() == 1
    # Tampered ids: someone else's child, someone else's registration.
    stranger = family("stranger@example.org")
    other = login(stranger)
    response = other.post(reverse("activities:register", args=[programme.pk]), {"who": child.pk})
    assert response.status_code == 400
    assert other.post(reverse("activities:act", args=[reg.pk, "cancel"])).status_code == 404
    assert other.post(reverse("activities:remove_child", args=[child.pk])).status_code == 404
    assert browser.post(reverse("activities:act", args=[reg.pk, "explode"])).status_code == 404
    assert browser.post(reverse("activities:act", args=[reg.pk, "cancel"])).status_code == 302
    reg.refresh_from_db()
    assert reg.status == "cancelled"


def test_organisers_see_only_their_programmes_and_every_look_is_audited(
    programme: Any, organiser: Any
) -> None:
    parent = family("scope@example.org")
    services.register(programme=programme, account=parent, child=child_of(parent, "Ιάσονας"))
    other_teacher = staff("other-teacher@example.org", "activities_organiser")
    coordinator = staff("coordinator@example.org", "activities_coordinator")
    detail = reverse("activities_staff:detail", args=[programme.pk])
    assert login(other_teacher).get(detail).status_code == 404
    assert "Ιάσονας" not in login(coordinator).get(detail).content.decode()
    assert (
        login(coordinator).get(reverse("activities_staff:export", args=[programme.pk])).status_code
        == 403
    )
    page = login(organiser).get(detail).content.decode()
    assert "Ιάσονας" in page
    assert AuditEntry.objects.filter(
        action="activity.participants_viewed", actor=organiser
    ).exists()
    csv = login(organiser).get(reverse("activities_staff:export", args=[programme.pk]))
    assert "Ιάσονας" in csv.content.decode() and "scope@example.org" in csv.content.decode()
    assert login(parent).get(detail).status_code in (302, 403)


def test_an_organiser_creates_a_programme_with_the_form(organiser: Any) -> None:
    browser = login(organiser)
    start = (timezone.localtime() + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    opens = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    closes = (timezone.localtime() + dt.timedelta(days=4)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "kind": "lesson",
        "title_el": "Αγγλικά με τραγούδια",
        "subject": "languages",
        "organiser_name": "Εθελοντές δάσκαλοι",
        "audience": "children",
        "age_min": 5,
        "age_max": 7,
        "mode": "online",
        "video_url": "https://bbb.example.org/b/abc",
        "languages": ["el", "en"],
        "capacity": 10,
        "registration_opens": opens,
        "registration_closes": closes,
        "first_start": start,
        "duration_minutes": 45,
        "repeat": "weekly",
        "repeat_until": (timezone.localdate() + dt.timedelta(days=40)).isoformat(),
        "skip_holidays": "on",
        "exceptions": "",
        "publish": "1",
    }
    response = browser.post(reverse("activities_staff:new"), {**data, "exceptions": "not a day"})
    assert response.status_code == 400
    response = browser.post(reverse("activities_staff:new"), {**data, "age_min": 9, "age_max": 3})
    assert response.status_code == 400
    response = browser.post(reverse("activities_staff:new"), data)
    assert response.status_code == 302
    programme = organiser.organised_programmes.get()
    assert programme.sessions.count() >= 5 and programme.status == "published"


def test_cancelling_a_session_tells_everyone(programme: Any, organiser: Any) -> None:
    from dimos.core.models import Notification

    parent = family("cancel-session@example.org")
    services.register(programme=programme, account=parent, child=child_of(parent))
    session = programme.sessions.get()
    url = reverse("activities_staff:session_action", args=[programme.pk, session.pk, "cancel"])
    assert login(organiser).post(url, {"reason": ""}).status_code == 400
    assert login(organiser).post(url, {"reason": "Ασθένεια"}).status_code == 302
    session.refresh_from_db()
    assert session.cancelled
    assert Notification.objects.filter(recipient=parent, kind="activities.session_changed").exists()


def test_a_certificate_after_attendance(programme: Any, organiser: Any) -> None:
    parent = family("cert@example.org")
    reg = services.register(programme=programme, account=parent, child=child_of(parent, "Μυρτώ"))
    url = reverse("activities:certificate", args=[reg.pk])
    assert login(parent).get(url).status_code == 404
    session = programme.sessions.get()
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=1), ends_at=timezone.now()
    )
    session.refresh_from_db()
    response = login(organiser).post(
        reverse("activities_staff:attendance", args=[programme.pk, session.pk]),
        {"present": [reg.pk, "x"]},
    )
    assert response.status_code == 302
    response = login(parent).get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert login(family("nosy@example.org")).get(url).status_code == 404


def test_the_api_lists_programmes_and_registers(programme: Any) -> None:
    parent = family("api@example.org")
    child = child_of(parent)
    browser = login(parent)
    listing = browser.get("/api/v1/activities/programmes").json()
    assert listing["items"][0]["id"] == programme.pk and "video" not in str(listing)
    bad = browser.post(
        "/api/v1/activities/registrations",
        {"programme": programme.pk},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["error"]["message"]
    ok = browser.post(
        "/api/v1/activities/registrations",
        {"programme": programme.pk, "child": child.pk},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["status"] == "confirmed"
    assert (
        browser.post(
            "/api/v1/activities/registrations",
            {"programme": 999999},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert browser.delete(f"/api/v1/activities/registrations/{ok.json()['id']}").status_code == 200


def test_an_event_ticket_has_a_qr_code_and_organisers_check_in(organiser: Any) -> None:
    event = make_programme(
        organiser,
        audience=Audience.ADULTS,
        age_min=None,
        age_max=None,
        kind="event",
        teams=True,
        check_in=True,
        mode=Mode.IN_PERSON,
        video_url="",
        place_name="OK!Thess",
    )
    person = family("ticket@example.org")
    reg = services.register(programme=event, account=person, team_name="Ομάδα Α")
    page = login(person).get(reverse("activities:ticket", args=[reg.pk])).content.decode()
    assert "<svg" in page and reg.check_in_code in page
    check = login(organiser)
    assert (
        reg.check_in_code
        in check.get(
            reverse("activities_staff:check_in_code", args=[reg.check_in_code])
        ).content.decode()
    )
    reg.refresh_from_db()
    assert reg.checked_in_at is None  # a GET changes nothing
    response = check.post(reverse("activities_staff:check_in"), {"code": reg.check_in_code})
    assert response.status_code == 200 and "Ομάδα Α" in response.content.decode()
    assert check.post(reverse("activities_staff:check_in"), {"code": "wrong"}).status_code == 400


def test_a_coordinator_names_the_organisers(organiser: Any) -> None:
    coordinator = staff("coordinator2@example.org", "activities_coordinator")
    programme = make_programme(coordinator)
    browser = login(coordinator)
    page = browser.get(reverse("activities_staff:edit", args=[programme.pk])).content.decode()
    assert "teacher@example.org" in page
    # An organiser's own form has no such field.
    assert (
        'name="organisers"'
        not in login(organiser).get(reverse("activities_staff:new")).content.decode()
    )
    services.update_programme(programme=programme, actor=coordinator, organisers=[organiser])
    assert list(programme.organisers.all()) == [organiser]
    assert (
        login(organiser).get(reverse("activities_staff:detail", args=[programme.pk])).status_code
        == 200
    )


def test_the_feed_marks_moved_and_cancelled_sessions(
    programme: Any, organiser: Any, client: Any
) -> None:
    start = timezone.now() + dt.timedelta(days=1)
    weekly = make_programme(
        organiser,
        first_start=start,
        repeat="weekly",
        repeat_until=(start + dt.timedelta(days=14)).date(),
        skip_holidays=False,
    )
    first, second, _third = weekly.sessions.order_by("starts_at")
    services.cancel_session(session=first, reason="Αργία", actor=organiser)
    services.move_session(
        session=second,
        starts_at=second.starts_at + dt.timedelta(hours=1),
        reason="",
        actor=organiser,
    )
    feed = client.get(reverse("activities:programme_feed", args=[weekly.pk])).content.decode()
    assert feed.count("BEGIN:VEVENT") == 3
    assert "STATUS:CANCELLED" in feed and f"activities-session-{second.pk}@" in feed
    assert SECRET not in feed


def test_organisers_write_to_families_and_share_materials(
    programme: Any, organiser: Any, settings: Any, tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DIMOS_PRIVATE_DIR = tmp_path

    from dimos.core.models import Notification

    parent = family("msg@example.org")
    services.register(programme=programme, account=parent, child=child_of(parent))
    url = reverse("activities_staff:act", args=[programme.pk, "message"])
    assert login(organiser).post(url, {"message": ""}).status_code == 400
    assert login(organiser).post(url, {"message": "Φέρτε νερομπογιές"}).status_code == 302
    note = Notification.objects.get(recipient=parent, kind="activities.message")
    assert "νερομπογιές" in note.body
    material_url = reverse("activities_staff:act", args=[programme.pk, "material"])
    upload = SimpleUploadedFile("fyllo.pdf", b"%PDF-1.4 fyllo", "application/pdf")
    assert (
        login(organiser).post(material_url, {"title": "Φύλλο εργασίας", "file": upload}).status_code
        == 302
    )
    material = programme.materials.get()
    detail = login(parent).get(reverse("activities:detail", args=[programme.pk])).content.decode()
    assert "Φύλλο εργασίας" in detail
    got = login(parent).get(reverse("activities:material", args=[programme.pk, material.pk]))
    assert got.status_code == 200
    assert (
        login(family("no@example.org"))
        .get(reverse("activities:material", args=[programme.pk, material.pk]))
        .status_code
        == 404
    )
