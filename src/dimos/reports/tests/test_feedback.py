import pytest
from django.core import mail

from dimos.core.models import Notification
from dimos.reports.models import Report, ReportUpdate, Status
from dimos.reports.services import (
    Location,
    ReportError,
    add_note,
    assign,
    change_category,
    change_status,
    move_location,
    set_priority,
    submit_report,
)
from dimos.reports.tests.factories import CategoryFactory, ReportFactory


@pytest.fixture
def report(municipality, citizen):
    made, _ = submit_report(
        category=CategoryFactory.create(),
        location=Location(lat=41.10, lon=23.56, address="Μεραρχίας 1"),
        reporter=citizen,
        description="Λακκούβα",
    )
    return made


def test_reporter_is_told_of_each_public_status_change(
    report, clerk, citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change_status(report=report, to=Status.ACKNOWLEDGED, actor=clerk, note="Το είδαμε")
    notice = Notification.objects.get(recipient=citizen, kind="reports.updated")
    assert str(report.pk) in notice.subject
    assert "Το είδαμε" in notice.body
    assert notice.url == f"/reports/{report.pk}/"
    assert mail.outbox[-1].to == [citizen.email]


def test_anonymous_reporters_are_told_by_email(
    municipality, clerk, django_capture_on_commit_callbacks
):
    report = ReportFactory.create(reporter_email="anon@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        change_status(report=report, to=Status.FIXED, actor=clerk, note="Έγινε")
    assert mail.outbox[-1].to == ["anon@example.org"]


def test_internal_notes_reach_nobody_outside(report, clerk, citizen):
    before = Notification.objects.filter(recipient=citizen).count()  # "report received"
    add_note(report=report, actor=clerk, text="Να πάει συνεργείο Β", public=False)
    assert Notification.objects.filter(recipient=citizen).count() == before
    assert ReportUpdate.objects.get(kind=ReportUpdate.Kind.INTERNAL_NOTE).is_public is False


def test_public_notes_are_sent(report, clerk, citizen):
    add_note(report=report, actor=clerk, text="Θα έρθει συνεργείο αύριο", public=True)
    assert Notification.objects.filter(recipient=citizen, kind="reports.updated").exists()


def test_empty_note_is_refused(report, clerk):
    with pytest.raises(ReportError):
        add_note(report=report, actor=clerk, text="   ", public=True)


def test_assign_only_to_staff(report, clerk, other_citizen):
    with pytest.raises(ReportError):
        assign(report=report, actor=clerk, to=other_citizen)
    assign(report=report, actor=clerk, to=clerk)
    report.refresh_from_db()
    assert report.assigned_to == clerk


def test_priority_must_be_known(report, clerk):
    with pytest.raises(ReportError):
        set_priority(report=report, actor=clerk, priority=99)
    set_priority(report=report, actor=clerk, priority=Report.Priority.URGENT)
    report.refresh_from_db()
    assert report.priority == Report.Priority.URGENT


def test_changing_category_reroutes_and_resets_the_deadline(report, clerk):
    other = CategoryFactory.create(deadline_working_days=1)
    change_category(report=report, actor=clerk, category=other)
    report.refresh_from_db()
    assert report.category == other
    assert ReportUpdate.objects.filter(report=report, kind=ReportUpdate.Kind.CATEGORY).exists()


def test_moving_the_pin_stays_inside(report, clerk):
    with pytest.raises(ReportError):
        move_location(report=report, actor=clerk, location=Location(lat=40.0, lon=22.0))
    move_location(report=report, actor=clerk, location=Location(lat=41.095, lon=23.555))
    report.refresh_from_db()
    assert (report.lat, report.lon) == (41.095, 23.555)
    assert report.district.code == "serres"


def test_public_page_shows_the_timeline_but_not_private_things(client, report, clerk):
    add_note(report=report, actor=clerk, text="ΕΣΩΤΕΡΙΚΟ", public=False)
    change_status(
        report=report, to=Status.ACKNOWLEDGED, actor=clerk, note="Παρελήφθη από το συνεργείο"
    )
    html = client.get(f"/reports/{report.pk}/").content.decode()
    assert "Παρελήφθη από το συνεργείο" in html
    assert "ΕΣΩΤΕΡΙΚΟ" not in html
    assert report.reporter_email not in html
    assert report.reporter.last_name not in html


def test_reporters_name_shows_only_when_they_chose(client, municipality):
    report = ReportFactory.create(reporter_name="Ελένη Π.", show_name=False)
    assert "Ελένη Π." not in client.get(f"/reports/{report.pk}/").content.decode()
    shown = ReportFactory.create(reporter_name="Νίκος Κ.", show_name=True)
    assert "Νίκος Κ." in client.get(f"/reports/{shown.pk}/").content.decode()


def test_unconfirmed_and_hidden_reports_are_not_public(client, municipality):
    unconfirmed = ReportFactory.create(status=Status.UNCONFIRMED)
    hidden = ReportFactory.create(is_hidden=True)
    assert client.get(f"/reports/{unconfirmed.pk}/").status_code == 404
    assert client.get(f"/reports/{hidden.pk}/").status_code == 404
