from django.core import mail
from django.test import Client

from dimos.core.models import District
from dimos.reports.models import ReportUpdate, Status, Subscription
from dimos.reports.services import change_status
from dimos.reports.tests.factories import CategoryFactory, ReportFactory


def test_me_too_follows_once_and_counts(citizen_client, citizen, municipality):
    report = ReportFactory.create()
    citizen_client.post(f"/reports/{report.pk}/follow/")
    citizen_client.post(f"/reports/{report.pk}/follow/")
    assert Subscription.objects.filter(report=report, user=citizen).count() == 1
    assert ReportUpdate.objects.filter(report=report, kind="followed").count() == 1


def test_followers_are_told_of_public_changes(
    citizen_client, citizen, clerk, municipality, django_capture_on_commit_callbacks
):
    report = ReportFactory.create(reporter_email="first@example.org")
    citizen_client.post(f"/reports/{report.pk}/follow/")
    with django_capture_on_commit_callbacks(execute=True):
        change_status(report=report, to=Status.FIXED, actor=clerk, note="Έτοιμο")
    # The reporter is also asked to rate the fixed report (the feedback app): not counted here.
    recipients = sorted(m.to[0] for m in mail.outbox if "/feedback/rate/" not in m.body)
    assert recipients == sorted(["first@example.org", citizen.email])
    follower_mail = next(m for m in mail.outbox if m.to == [citizen.email])
    assert "/reports/unsubscribe/" in follower_mail.body


def test_district_followers_are_told(
    citizen, clerk, municipality, django_capture_on_commit_callbacks
):
    district = District.objects.get(code="serres")
    client = Client()
    client.force_login(citizen)
    client.post(f"/reports/district/{district.code}/follow/")
    report = ReportFactory.create(district=district)
    with django_capture_on_commit_callbacks(execute=True):
        change_status(report=report, to=Status.ACKNOWLEDGED, actor=clerk)
    assert citizen.email in [m.to[0] for m in mail.outbox]


def test_following_needs_login(client, municipality):
    report = ReportFactory.create()
    assert client.post(f"/reports/{report.pk}/follow/").status_code == 302
    assert not Subscription.objects.exists()


def test_unsubscribe_by_link_needs_a_button_press(client, citizen, municipality):
    report = ReportFactory.create()
    subscription = Subscription.objects.create(report=report, user=citizen)
    assert client.get(f"/reports/unsubscribe/{subscription.token}/").status_code == 200
    assert Subscription.objects.exists()
    client.post(f"/reports/unsubscribe/{subscription.token}/")
    assert not Subscription.objects.exists()


def test_nearby_open_reports_of_the_same_category(client, municipality):
    category = CategoryFactory.create(duplicate_radius_m=100)
    close = ReportFactory.create(category=category, lat=41.1000, lon=23.5600)
    ReportFactory.create(category=category, lat=41.1100, lon=23.5600)  # ~1.1 km away
    ReportFactory.create(category=category, lat=41.1001, lon=23.5601, status=Status.FIXED)
    ReportFactory.create(lat=41.1000, lon=23.5600)  # another category
    body = client.get(
        "/reports/nearby.json", {"category": category.pk, "lat": 41.1002, "lon": 23.5601}
    ).json()
    assert [r["id"] for r in body["reports"]] == [close.pk]
    assert body["reports"][0]["distance_m"] < 100


def test_nearby_rejects_bad_input(client, db):
    assert client.get("/reports/nearby.json", {"category": "x"}).status_code == 400
    assert (
        client.get("/reports/nearby.json", {"category": 1, "lat": 99, "lon": 0}).status_code == 400
    )


def test_the_page_shows_that_you_follow_and_lets_you_stop(citizen_client, citizen, municipality):
    report = ReportFactory.create()
    citizen_client.cookies["dimos_language"] = "en"
    page = citizen_client.get(f"/reports/{report.pk}/").content.decode()
    assert "follow this report" in page and "You follow this report" not in page
    response = citizen_client.post(f"/reports/{report.pk}/follow/", follow=True)
    page = response.content.decode()
    assert "You follow this report" in page
    assert f'action="/reports/{report.pk}/unfollow/"' in page
    response = citizen_client.post(f"/reports/{report.pk}/unfollow/", follow=True)
    page = response.content.decode()
    assert "You no longer follow this report." in page and "You follow this report<" not in page
    assert not Subscription.objects.filter(report=report, user=citizen).exists()


def test_stopping_needs_a_post_and_touches_only_your_own(
    citizen_client, citizen, other_citizen, municipality
):
    report = ReportFactory.create()
    Subscription.objects.create(report=report, user=other_citizen)
    assert citizen_client.get(f"/reports/{report.pk}/unfollow/").status_code == 405
    citizen_client.post(f"/reports/{report.pk}/unfollow/")
    assert Subscription.objects.filter(report=report, user=other_citizen).exists()


def test_the_reporter_is_not_offered_to_follow_their_own_report(
    citizen_client, citizen, municipality
):
    report = ReportFactory.create(reporter=citizen)
    citizen_client.cookies["dimos_language"] = "en"
    page = citizen_client.get(f"/reports/{report.pk}/").content.decode()
    assert "You made this report" in page and "I have the same problem" not in page
