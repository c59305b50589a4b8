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


def test_demo_reports_are_believable(municipality):
    """Most open reports are within their deadline; each lies in the district its address
    names; a report in the middle of the town is in the town, not a village."""
    from dimos.core.selectors import locate
    from dimos.reports.demo import STREETS, VILLAGES

    seed_categories()
    seed_reports()
    open_reports = Report.objects.filter(status__in=OPEN_STATUSES)
    overdue = [r for r in open_reports if r.is_overdue]
    assert open_reports.count() >= 5
    assert len(overdue) <= open_reports.count() / 2, (len(overdue), open_reports.count())
    town = Report.objects.filter(district__code="serres").count()
    assert town >= Report.objects.count() * 0.6
    for report in Report.objects.select_related("district"):
        assert report.district is not None
        assert locate(report.lat, report.lon).district == report.district
        if any(report.address.startswith(street) for street in STREETS):
            assert report.district.code == "serres", report.address
        else:
            assert report.address in VILLAGES[report.district.code][2], report.address
    assert locate(41.0913, 23.5486).district.code == "serres"  # Merarchias, the centre
