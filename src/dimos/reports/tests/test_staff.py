import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dimos.core.models import AuditEntry
from dimos.reports.models import Status
from dimos.reports.tests.factories import CategoryFactory, ReportFactory


def test_queue_shows_only_the_departments_reports(roads_client, roads_report, parks_report):
    html = roads_client.get("/staff/reports/").content.decode()
    assert f"/staff/reports/{roads_report.pk}/" in html
    assert f"/staff/reports/{parks_report.pk}/" not in html


def test_staff_of_another_department_cannot_open_or_act(roads_client, parks_report):
    assert roads_client.get(f"/staff/reports/{parks_report.pk}/").status_code == 404
    response = roads_client.post(
        f"/staff/reports/{parks_report.pk}/status/", {"status": Status.FIXED}
    )
    assert response.status_code == 404
    parks_report.refresh_from_db()
    assert parks_report.status == Status.OPEN


def test_residents_cannot_reach_the_back_office(citizen_client, roads_report):
    assert citizen_client.get("/staff/reports/").status_code == 403


def test_viewing_a_report_is_audited_and_shows_contacts(roads_client, roads_report, roads_clerk):
    html = roads_client.get(f"/staff/reports/{roads_report.pk}/").content.decode()
    assert "anon@example.org" in html
    assert AuditEntry.objects.filter(
        action="report.viewed", actor=roads_clerk, target_id=str(roads_report.pk)
    ).exists()


def test_clerk_moves_a_report_through_the_form(roads_client, roads_report):
    response = roads_client.post(
        f"/staff/reports/{roads_report.pk}/status/",
        {"status": Status.ACKNOWLEDGED, "note": "Θα το δούμε"},
    )
    assert response.status_code == 302
    roads_report.refresh_from_db()
    assert roads_report.status == Status.ACKNOWLEDGED


def test_illegal_status_from_a_tampered_form_is_refused(roads_client, roads_report):
    roads_client.post(f"/staff/reports/{roads_report.pk}/status/", {"status": Status.UNCONFIRMED})
    roads_report.refresh_from_db()
    assert roads_report.status == Status.OPEN


def test_notes_and_assignment(roads_client, roads_report, roads_clerk):
    roads_client.post(f"/staff/reports/{roads_report.pk}/note/", {"text": "Εσωτερικό"})
    roads_client.post(
        f"/staff/reports/{roads_report.pk}/assign/",
        {"assignee": roads_clerk.pk, "priority": 4},
    )
    roads_report.refresh_from_db()
    assert roads_report.assigned_to == roads_clerk and roads_report.priority == 4
    assert roads_report.updates.filter(kind="internal_note", is_public=False).exists()


def test_staff_home_counts_the_queue(roads_client, roads_report, parks_report):
    html = roads_client.get("/staff/").content.decode()
    assert "/staff/reports/" in html


def test_queue_query_count_does_not_grow(roads_client, municipality):
    ReportFactory.create_batch(3)
    roads_client.get("/staff/reports/")
    with CaptureQueriesContext(connection) as few:
        roads_client.get("/staff/reports/")
    ReportFactory.create_batch(20)
    with CaptureQueriesContext(connection) as many:
        roads_client.get("/staff/reports/")
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize("params", [{"state": "bogus"}, {"sort": "x"}, {"category": "abc"}])
def test_bad_filters_do_not_break_the_queue(roads_client, params):
    assert roads_client.get("/staff/reports/", params).status_code == 200


def test_staff_file_a_report_for_a_phone_caller(roads_client, roads_clerk, municipality):
    from dimos.reports.models import Report

    category = CategoryFactory.create()
    data = {
        "category": category.pk,
        "lat": "41.10",
        "lon": "23.56",
        "address": "Εγνατίας 5",
        "description": "Τηλεφώνησε για λακκούβα",
        "caller_name": "Κυρία Ελένη",
        "caller_phone": "2321000000",
        "submission": "phone-1",
    }
    response = roads_client.post("/staff/reports/new/", data)
    roads_client.post("/staff/reports/new/", data)  # a double click
    report = Report.objects.get()
    assert response.status_code == 302
    assert report.source == Report.Source.PHONE and report.status == Status.OPEN
    assert report.reporter_name == "Κυρία Ελένη" and report.reporter is None
    assert AuditEntry.objects.filter(action="report.submitted", actor=roads_clerk).exists()


def test_residents_cannot_file_for_others(citizen_client):
    assert citizen_client.get("/staff/reports/new/").status_code == 403
