from dimos.reports.demo import generate_reports, seed_categories, seed_reports
from dimos.reports.models import OPEN_STATUSES, Category, Report, ReportUpdate, Status


def test_seed_categories_is_idempotent(municipality):
    seed_categories()
    count = Category.objects.count()
    seed_categories()
    assert Category.objects.count() == count >= 10
    assert Category.objects.get(code="gas-smell").notice_blocks


def test_demo_reports_have_history_and_realistic_statuses(municipality):
    seed_categories()
    seed_reports()
    assert Report.objects.count() == 300
    assert ReportUpdate.objects.count() >= 300
    statuses = set(Report.objects.values_list("status", flat=True))
    assert Status.FIXED in statuses and statuses & OPEN_STATUSES
    assert not Report.objects.filter(status=Status.UNCONFIRMED).exists()
    seed_reports()  # again: nothing added
    assert Report.objects.count() == 300


def test_generated_reports_fall_inside_the_municipality(municipality):
    from dimos.core.selectors import locate

    seed_categories()
    assert generate_reports(50, seed=7, batch=20) == 50
    for report in Report.objects.all()[:50]:
        assert locate(report.lat, report.lon).inside
        assert report.expected_on is not None
