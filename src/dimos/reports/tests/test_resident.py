import pytest
from django.core import mail

from dimos.reports.demo import seed_categories
from dimos.reports.models import Report, Status


@pytest.fixture
def categories(municipality):
    seed_categories()


def _data(**extra):
    return {
        "lat": "41.10",
        "lon": "23.56",
        "address": "Μεραρχίας 10",
        "description": "Βαθιά <b>λακκούβα</b>",
        "submission": "abc123",
        **extra,
    }


def test_category_chooser_lists_categories(client, categories):
    html = client.get("/reports/new/").content.decode()
    assert "/reports/new/pothole/" in html


def test_logged_in_resident_files_a_report(citizen_client, citizen, categories):
    response = citizen_client.post("/reports/new/pothole/", _data())
    report = Report.objects.get()
    assert response.status_code == 302 and response.url == f"/reports/{report.pk}/"
    assert report.status == Status.OPEN and report.reporter == citizen
    assert report.description == "Βαθιά λακκούβα"  # tags stripped
    assert f"/reports/{report.pk}/" in citizen_client.get("/my/").content.decode()


def test_resubmitting_the_same_form_files_one_report(citizen_client, categories):
    citizen_client.post("/reports/new/pothole/", _data())
    citizen_client.post("/reports/new/pothole/", _data())
    assert Report.objects.count() == 1


def test_anonymous_report_is_confirmed_by_email(
    client, categories, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/new/pothole/", _data(email="anon@example.org"))
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.status == Status.UNCONFIRMED
    link = next(w for w in mail.outbox[-1].body.split() if "/reports/confirm/" in w)
    path = link[link.index("/reports/") :]
    assert client.get(path).status_code == 200  # a page with a button, not a GET that acts
    report.refresh_from_db()
    assert report.status == Status.UNCONFIRMED
    response = client.post(path)
    report.refresh_from_db()
    assert report.status == Status.OPEN
    assert response.url == f"/reports/{report.pk}/"


def test_anonymous_report_needs_an_email(client, categories):
    response = client.post("/reports/new/pothole/", _data())
    assert response.status_code == 200
    assert "govgr-error-message" in response.content.decode()
    assert Report.objects.count() == 0


def test_outside_the_boundary_is_a_form_error(citizen_client, categories):
    response = citizen_client.post("/reports/new/pothole/", _data(lat="40.0", lon="22.0"))
    assert response.status_code == 200
    assert "govgr-error-message" in response.content.decode()
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    "bad", [{"lat": "abc"}, {"lat": "91"}, {"lon": "nan"}, {"description": "x" * 5000}]
)
def test_bad_input_is_a_form_error(citizen_client, categories, bad):
    response = citizen_client.post("/reports/new/pothole/", _data(**bad))
    assert response.status_code == 200
    assert Report.objects.count() == 0


def test_required_questions_are_asked(citizen_client, categories):
    response = citizen_client.post("/reports/new/water-leak/", _data())
    assert response.status_code == 200 and Report.objects.count() == 0
    citizen_client.post("/reports/new/water-leak/", _data(attr_size="flow", submission="x2"))
    assert Report.objects.get().attributes == {"size": "flow"}


def test_emergency_notice_stops_the_form(citizen_client, categories):
    html = citizen_client.get("/reports/new/gas-smell/").content.decode()
    assert "199" in html and 'id="id_description"' not in html
    citizen_client.post("/reports/new/gas-smell/", _data())
    assert Report.objects.count() == 0


def test_submissions_are_rate_limited(citizen_client, categories, settings):
    settings.DIMOS_SUBMISSION_RATE = "2/h"
    codes = [
        citizen_client.post("/reports/new/pothole/", _data(submission=f"s{i}")).status_code
        for i in range(3)
    ]
    assert codes == [302, 302, 429]
    assert Report.objects.count() == 2


def test_catalogue_lists_reporting(client, categories):
    assert "/reports/new/" in client.get("/services/").content.decode()


def test_address_search_without_javascript_lists_places_that_fill_the_form(
    client, categories, nominatim
):
    nominatim.add("Μεραρχίας 40, Σέρρες", 41.0921, 23.5478)
    html = client.get("/reports/new/pothole/", {"q": "Μεραρχίας"}).content.decode()
    assert "?lat=41.092100&amp;lon=23.547800&amp;address=" in html
    filled = client.get(
        "/reports/new/pothole/",
        {"lat": "41.092100", "lon": "23.547800", "address": "Μεραρχίας 40, Σέρρες"},
    ).content.decode()
    assert 'value="41.0921' in filled and 'value="Μεραρχίας 40, Σέρρες"' in filled


def test_address_search_that_finds_nothing_says_so(client, categories, nominatim):
    client.cookies["dimos_language"] = "en"
    html = client.get("/reports/new/pothole/", {"q": "Nowhere street"}).content.decode()
    assert "No place in the municipality matches" in html


def test_without_a_geocoder_the_form_has_no_address_search(client, categories, settings):
    settings.DIMOS_GEOCODER = ""
    html = client.get("/reports/new/pothole/", {"q": "Μεραρχίας"}).content.decode()
    assert 'id="address-search"' not in html
    assert 'id="report-map"' in html


def test_a_resident_is_told_the_report_was_received(
    citizen_client, citizen, categories, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "http://192.168.1.20:8080"
    with django_capture_on_commit_callbacks(execute=True):
        citizen_client.post("/reports/new/pothole/", _data())
    report = Report.objects.get()
    email = mail.outbox[-1]
    assert email.to == [citizen.email]
    assert f"#{report.pk}" in email.subject
    assert "Μεραρχίας 10" in email.body
    assert f"http://192.168.1.20:8080/reports/{report.pk}/" in email.body
    assert citizen.notifications.filter(kind="reports.received").exists()  # and in the inbox


def test_a_resident_who_wants_no_email_gets_the_news_only_in_the_inbox(
    citizen_client, citizen, categories, django_capture_on_commit_callbacks
):
    citizen.notify_email = False
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        citizen_client.post("/reports/new/pothole/", _data())
    assert mail.outbox == []
    assert citizen.notifications.filter(kind="reports.received").count() == 1


def test_an_anonymous_report_is_not_told_received_before_it_is_confirmed(
    client, categories, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/reports/new/pothole/", _data(email="anon@example.org"))
    assert len(mail.outbox) == 1 and "/reports/confirm/" in mail.outbox[0].body
