import pytest

from dimos.core.models import AuditEntry
from dimos.reports.models import Report, ReportUpdate, Status
from dimos.reports.services import (
    TRANSITIONS,
    Location,
    ReportError,
    change_status,
    submit_report,
)
from dimos.reports.tests.factories import CategoryFactory, ReportFactory

INSIDE = Location(lat=41.10, lon=23.56, address="Μεραρχίας 1")


@pytest.fixture
def category(municipality):
    return CategoryFactory.create()


def test_logged_in_report_opens_with_an_expected_date(category, citizen):
    report, created = submit_report(category=category, location=INSIDE, reporter=citizen)
    assert created
    assert report.status == Status.OPEN
    assert report.expected_on is not None
    assert report.district is not None
    assert report.reporter_email == citizen.email
    assert report.updates.get().to_status == Status.OPEN
    assert AuditEntry.objects.filter(action="report.submitted", target_id=str(report.pk)).exists()


def test_anonymous_web_report_waits_for_confirmation(category):
    report, _ = submit_report(category=category, location=INSIDE, email="Anon@Example.org")
    assert report.status == Status.UNCONFIRMED
    assert report.reporter_email == "anon@example.org"
    assert report.expected_on is None
    report = change_status(report=report, to=Status.OPEN, actor=None)
    assert report.confirmed_at is not None and report.expected_on is not None


def test_same_submission_retried_is_one_report(category, citizen):
    first, created = submit_report(
        category=category, location=INSIDE, reporter=citizen, idempotency_key="abc"
    )
    again, created_again = submit_report(
        category=category, location=INSIDE, reporter=citizen, idempotency_key="abc"
    )
    assert created and not created_again
    assert first.pk == again.pk
    assert Report.objects.count() == 1


def test_points_outside_the_municipality_are_refused(category, citizen):
    with pytest.raises(ReportError):
        submit_report(category=category, location=Location(lat=40.0, lon=22.0), reporter=citizen)
    assert Report.objects.count() == 0


def test_a_blocking_notice_stops_the_report(municipality, citizen):
    gas = CategoryFactory.create(notice_el="Καλέστε το 199", notice_blocks=True)
    with pytest.raises(ReportError, match="199"):
        submit_report(category=gas, location=INSIDE, reporter=citizen)


def test_inactive_categories_take_no_reports(municipality, citizen):
    old = CategoryFactory.create(is_active=False)
    with pytest.raises(ReportError):
        submit_report(category=old, location=INSIDE, reporter=citizen)


def test_full_lifecycle_keeps_every_step(municipality, clerk):
    report = ReportFactory.create()
    for to in (Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.FIXED):
        report = change_status(report=report, to=to, actor=clerk, note=f"now {to}")
    assert report.acknowledged_at and report.fixed_at and report.closed_at
    steps = list(report.updates.values_list("to_status", flat=True))
    assert steps == [Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.FIXED]


def test_reopening_a_fixed_report(municipality, clerk):
    report = ReportFactory.create(status=Status.FIXED)
    report = change_status(report=report, to=Status.OPEN, actor=None, note="Came back")
    assert report.status == Status.OPEN
    assert report.closed_at is None and report.expected_on is not None


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (Status.FIXED, Status.IN_PROGRESS),
        (Status.WITHDRAWN, Status.OPEN),
        (Status.UNCONFIRMED, Status.FIXED),
        (Status.OPEN, Status.UNCONFIRMED),
    ],
)
def test_illegal_moves_are_refused_and_leave_no_trace(municipality, clerk, start, to):
    report = ReportFactory.create(status=start)
    with pytest.raises(ReportError):
        change_status(report=report, to=to, actor=clerk)
    report.refresh_from_db()
    assert report.status == start
    assert not ReportUpdate.objects.filter(report=report).exists()


def test_duplicate_needs_the_original(municipality, clerk):
    original = ReportFactory.create()
    report = ReportFactory.create()
    with pytest.raises(ReportError):
        change_status(report=report, to=Status.DUPLICATE, actor=clerk)
    with pytest.raises(ReportError):
        change_status(report=report, to=Status.DUPLICATE, actor=clerk, duplicate_of=report)
    report = change_status(report=report, to=Status.DUPLICATE, actor=clerk, duplicate_of=original)
    assert report.duplicate_of == original


def test_not_responsible_needs_a_referral(municipality, clerk):
    report = ReportFactory.create()
    with pytest.raises(ReportError):
        change_status(report=report, to=Status.NOT_RESPONSIBLE, actor=clerk)
    report = change_status(
        report=report, to=Status.NOT_RESPONSIBLE, actor=clerk, referred_to="ΔΕΥΑ Σερρών"
    )
    assert report.referred_to == "ΔΕΥΑ Σερρών"


def test_every_status_has_a_transition_row():
    assert set(TRANSITIONS) == set(Status.values)


def test_history_is_append_only(municipality):
    report = ReportFactory.create()
    update = ReportUpdate.objects.create(report=report, kind=ReportUpdate.Kind.PUBLIC_NOTE)
    update.text = "changed"
    with pytest.raises(ValueError):
        update.save()


def test_database_refuses_reports_without_any_contact(municipality):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ReportFactory.create(reporter_email="", source=Report.Source.WEB)


def test_database_refuses_points_out_of_range(municipality):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ReportFactory.create(lat=123.0)


def test_subscription_is_to_a_report_or_a_district(municipality, citizen):
    from django.db import IntegrityError, transaction

    from dimos.core.models import District
    from dimos.reports.models import Subscription

    report = ReportFactory.create()
    district = District.objects.first()
    Subscription.objects.create(report=report, user=citizen)
    Subscription.objects.create(district=district, email="x@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(report=report, district=district, user=citizen)
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(report=report, user=citizen)
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(report=report)
