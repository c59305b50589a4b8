"""Back-office tools: response templates, re-routing, moving the pin, the queue's filters and
bulk actions."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from dimos.core.models import AuditEntry
from dimos.reports import services
from dimos.reports.models import Report, ReportUpdate, ResponseTemplate, Status
from dimos.reports.tests.factories import CategoryFactory, ReportFactory


@pytest.fixture
def template(municipality):
    return ResponseTemplate.objects.create(
        title="Received",
        text_el="Λάβαμε την #{number} ({category}) στη θέση {address}. {unknown}",
        text_en="We received #{number} ({category}) at {address}. {unknown}",
    )


def test_a_template_is_filled_in_for_the_report_in_the_reporters_language(
    template, roads_report, citizen
):
    roads_report.address = "Μεραρχίας 3"
    text = services.render_template(template, roads_report)
    assert text == (
        f"Λάβαμε την #{roads_report.pk} ({roads_report.category.name}) στη θέση Μεραρχίας 3. "
        "{unknown}"
    )
    citizen.preferred_language = "en"
    roads_report.reporter = citizen
    assert services.render_template(template, roads_report).startswith("We received")


def test_a_stray_brace_leaves_the_text_as_written(roads_report, municipality):
    broken = ResponseTemplate(title="x", text_el="Ποσοστό {0 και {number")
    assert services.render_template(broken, roads_report) == "Ποσοστό {0 και {number"


def test_templates_of_another_category_are_not_offered(template, roads_report):
    other = ResponseTemplate.objects.create(
        title="Trees", text_el="Κλαδέψαμε", category=CategoryFactory.create(code="trees")
    )
    offered = services.templates_for(roads_report)
    assert template in offered and other not in offered


def test_a_public_note_from_a_template_reaches_the_reporter(
    roads_client, roads_report, template, django_capture_on_commit_callbacks
):
    page = roads_client.get(f"/staff/reports/{roads_report.pk}/").content.decode()
    assert 'id="response-templates"' in page and "Received" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = roads_client.post(
            f"/staff/reports/{roads_report.pk}/note/",
            {"template": template.pk, "text": "", "public": "on"},
        )
    assert response.status_code == 302
    note = roads_report.updates.get(kind=ReportUpdate.Kind.PUBLIC_NOTE)
    assert note.text.startswith(f"Λάβαμε την #{roads_report.pk}")
    assert any(f"#{roads_report.pk}" in m.body for m in mail.outbox)


def test_written_text_wins_over_the_template(roads_client, roads_report, template):
    roads_client.post(
        f"/staff/reports/{roads_report.pk}/status/",
        {"status": Status.ACKNOWLEDGED, "template": template.pk, "note": "Το είδαμε."},
    )
    roads_report.refresh_from_db()
    assert roads_report.status == Status.ACKNOWLEDGED
    assert roads_report.updates.get(kind=ReportUpdate.Kind.STATUS).text == "Το είδαμε."


def test_a_note_needs_text_or_a_template(roads_client, roads_report):
    roads_client.post(f"/staff/reports/{roads_report.pk}/note/", {"text": " "})
    assert not roads_report.updates.filter(kind=ReportUpdate.Kind.INTERNAL_NOTE).exists()


def test_rerouting_to_another_department_leaves_the_clerks_queue(
    roads_client, roads_report, roads_clerk
):
    parks = CategoryFactory.create(
        code="trees", department=Group.objects.get_or_create(name="parks-dept")[0]
    )
    response = roads_client.post(
        f"/staff/reports/{roads_report.pk}/category/", {"category": parks.pk}
    )
    assert response.status_code == 302 and response.url == "/staff/reports/"
    roads_report.refresh_from_db()
    assert roads_report.category == parks
    assert roads_report.updates.filter(kind=ReportUpdate.Kind.CATEGORY).exists()
    assert AuditEntry.objects.filter(action="report.category", actor=roads_clerk).exists()
    assert roads_client.get(f"/staff/reports/{roads_report.pk}/").status_code == 404


def test_moving_the_pin(roads_client, roads_report):
    response = roads_client.post(
        f"/staff/reports/{roads_report.pk}/location/",
        {"lat": "41.0950", "lon": "23.5600", "address": "Πλατεία"},
    )
    assert response.status_code == 302
    roads_report.refresh_from_db()
    assert (roads_report.lat, roads_report.lon, roads_report.address) == (41.095, 23.56, "Πλατεία")
    assert roads_report.updates.filter(kind=ReportUpdate.Kind.LOCATION).exists()


@pytest.mark.parametrize("place", [{"lat": "40.0", "lon": "22.0"}, {"lat": "x", "lon": ""}])
def test_the_pin_cannot_leave_the_municipality_or_be_nonsense(roads_client, roads_report, place):
    before = (roads_report.lat, roads_report.lon)
    roads_client.post(f"/staff/reports/{roads_report.pk}/location/", place)
    roads_report.refresh_from_db()
    assert (roads_report.lat, roads_report.lon) == before


def test_queue_filters_by_district(roads_client, municipality):
    north, south = list(municipality.districts.order_by("pk"))[:2]
    in_north = ReportFactory.create(district=north)
    in_south = ReportFactory.create(district=south)
    html = roads_client.get("/staff/reports/", {"district": north.pk}).content.decode()
    assert f"/staff/reports/{in_north.pk}/" in html
    assert f"/staff/reports/{in_south.pk}/" not in html


def test_bulk_acknowledge_and_assign(roads_client, roads_clerk, municipality):
    reports = ReportFactory.create_batch(3)
    closed = ReportFactory.create(status=Status.FIXED)
    response = roads_client.post(
        "/staff/reports/bulk/",
        {
            "reports": [r.pk for r in reports] + [closed.pk],
            "status": Status.ACKNOWLEDGED,
            "assignee": roads_clerk.pk,
            "next": "/staff/reports/?state=open",
        },
    )
    assert response.status_code == 302 and response.url == "/staff/reports/?state=open"
    for report in reports:
        report.refresh_from_db()
        assert report.status == Status.ACKNOWLEDGED and report.assigned_to == roads_clerk
    closed.refresh_from_db()
    assert closed.status == Status.FIXED and closed.assigned_to is None  # fixed → acknowledged
    text = roads_client.get("/staff/reports/?state=open").content.decode()
    assert "Άλλαξαν 3 αναφορές." in text and "1 αναφορά έμεινε ως είχε" in text


def test_bulk_never_touches_another_departments_reports(roads_client, parks_report):
    roads_client.post(
        "/staff/reports/bulk/", {"reports": [parks_report.pk], "status": Status.FIXED}
    )
    parks_report.refresh_from_db()
    assert parks_report.status == Status.OPEN


def test_bulk_needs_something_to_do(roads_client, roads_report):
    roads_client.post("/staff/reports/bulk/", {"reports": [roads_report.pk]})
    assert Report.objects.get(pk=roads_report.pk).updates.count() == 0


def test_bulk_is_for_staff_who_may_change_reports(citizen_client, roads_report):
    response = citizen_client.post(
        "/staff/reports/bulk/", {"reports": [roads_report.pk], "status": Status.FIXED}
    )
    assert response.status_code == 403


def test_bulk_without_ticked_reports_says_so(roads_client, roads_report):
    response = roads_client.post("/staff/reports/bulk/", {"status": Status.FIXED}, follow=True)
    assert "Επιλέξτε τις αναφορές που θα αλλάξουν." in response.content.decode()
