"""The monitoring dashboard, its CSV export and the same figures through the API."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from dimos.core.models import AuditEntry, District
from dimos.reports import stats
from dimos.reports.models import Report, Status
from dimos.reports.tests.factories import CategoryFactory, ReportFactory
from dimos.testing.personas import staff

NOW = timezone.now()


def _report(category, days_ago, status, *, ack=None, fix=None, deadline=None, **extra):
    created = NOW - dt.timedelta(days=days_ago)
    return ReportFactory.create(
        category=category,
        status=status,
        created_at=created,
        acknowledged_at=created + dt.timedelta(days=ack) if ack is not None else None,
        fixed_at=created + dt.timedelta(days=fix) if fix is not None else None,
        expected_on=(
            timezone.localdate(created + dt.timedelta(days=deadline))
            if deadline is not None
            else None
        ),
        **extra,
    )


@pytest.fixture
def roads(municipality):
    return CategoryFactory.create(code="pothole")


@pytest.fixture
def parks(municipality):
    dept = Group.objects.get_or_create(name="parks-dept")[0]
    return CategoryFactory.create(code="trees", department=dept, name_en="Trees")


@pytest.fixture
def dataset(roads, parks):
    """Five counted reports (four of roads, one of parks) and an unconfirmed one."""
    district = District.objects.order_by("pk").first()
    return [
        _report(roads, 100, Status.FIXED, ack=1, fix=4, deadline=5, lat=41.1001, lon=23.5501),
        _report(roads, 50, Status.FIXED, ack=3, fix=10, deadline=5, lat=41.1002, lon=23.5502),
        _report(roads, 10, Status.ACKNOWLEDGED, ack=2, deadline=9, district=district),
        _report(roads, 2, Status.OPEN, lat=41.2, lon=23.7),
        _report(parks, 40, Status.OPEN, lat=41.0, lon=23.4),
        _report(roads, 1, Status.UNCONFIRMED),
    ]


@pytest.fixture
def manager_client(db):
    c = Client()
    c.force_login(staff("manager@example.org", "reports_manager"))
    return c


def test_figures_on_a_known_dataset(dataset):
    figures = stats.dashboard(stats.filtered(Report.objects.all(), stats.Filters()))
    assert figures.totals.total == 5
    assert figures.totals.open == 3
    assert figures.totals.overdue == 1
    assert figures.median_days_to_acknowledge == 2.0
    assert figures.median_days_to_fix == 7.0
    assert (figures.totals.fixed_on_time, figures.totals.fixed_with_deadline) == (1, 2)
    assert figures.totals.on_time_share == 50.0
    assert {b.key: b.count for b in figures.by_status} == {
        "fixed": 2,
        "acknowledged": 1,
        "open": 2,
    }
    assert {b.key: b.count for b in figures.by_category} == {"pothole": 4, "trees": 1}
    assert sum(b.count for b in figures.by_district) == 5
    assert {b.key: b.count for b in figures.backlog} == {
        "lt7": 1,
        "7to30": 1,
        "30to90": 1,
        "gt90": 0,
    }
    months: dict[str, int] = {}
    for r in dataset[:5]:
        key = f"{timezone.localtime(r.created_at):%Y-%m}"
        months[key] = months.get(key, 0) + 1
    assert {b.key: b.count for b in figures.by_month if b.count} == months
    assert len(figures.by_month) == len({b.key for b in figures.by_month}) >= 4
    busiest = figures.heatmap[0]
    assert (busiest.lat, busiest.lon, busiest.count) == (41.1, 23.55, 2)
    assert busiest.bbox[0] < 23.5501 < busiest.bbox[2]
    assert busiest.bbox[1] < 41.1001 < busiest.bbox[3]


def test_filters_narrow_the_figures(dataset, parks):
    reports = Report.objects.all()
    only_parks = stats.dashboard(stats.filtered(reports, stats.Filters(category_id=parks.pk)))
    assert only_parks.totals.total == 1
    closed = stats.dashboard(stats.filtered(reports, stats.Filters(status="any_closed")))
    assert closed.totals.total == 2
    recent = stats.filtered(
        reports, stats.Filters(date_from=timezone.localdate() - dt.timedelta(3))
    )
    assert recent.count() == 1


def test_even_count_median_averages_the_middle_pair(roads):
    for hours in (1, 2, 6, 100):
        ReportFactory.create(
            category=roads, created_at=NOW, acknowledged_at=NOW + dt.timedelta(hours=hours)
        )
    median = stats.median_duration(Report.objects.all(), "acknowledged_at")
    assert median == dt.timedelta(hours=4)


def test_departments_with_too_few_closed_reports_are_not_ranked(dataset, parks):
    rows = stats.departments(stats.filtered(Report.objects.all(), stats.Filters()), min_sample=2)
    by_name = {r.name: r for r in rows}
    assert by_name["roads-dept"].comparable and by_name["roads-dept"].rank == 1
    assert by_name["roads-dept"].median_days_to_fix == 7.0
    assert not by_name["parks-dept"].comparable
    assert by_name["parks-dept"].rank is None
    assert by_name["parks-dept"].median_days_to_fix is None
    assert by_name["parks-dept"].on_time_share is None
    assert rows[-1].name == "parks-dept"


def test_ranking_orders_by_share_fixed_on_time(dataset, parks):
    for days_ago in (20, 30):
        _report(parks, days_ago, Status.FIXED, fix=1, deadline=5)
    rows = stats.departments(stats.filtered(Report.objects.all(), stats.Filters()), min_sample=2)
    assert [(r.name, r.rank) for r in rows] == [("parks-dept", 1), ("roads-dept", 2)]


def test_page_says_too_few_to_compare(roads_client, dataset):
    response = roads_client.get("/staff/reports/dashboard/")
    with translation.override(response["Content-Language"]):
        assert translation.gettext("too few to compare") in response.content.decode()


def test_clerk_sees_only_their_departments_figures(roads_client, manager_client, dataset):
    clerk_figures = roads_client.get("/staff/reports/dashboard/").context["figures"]
    manager_figures = manager_client.get("/staff/reports/dashboard/").context["figures"]
    assert clerk_figures.totals.total == 4
    assert [d.name for d in clerk_figures.departments] == ["roads-dept"]
    assert manager_figures.totals.total == 5


def test_residents_and_other_staff_cannot_see_the_dashboard(citizen_client, clerk_client):
    assert citizen_client.get("/staff/reports/dashboard/").status_code == 403
    assert clerk_client.get("/staff/reports/dashboard/").status_code == 403
    assert citizen_client.get("/staff/reports/export.csv").status_code == 403


def test_queue_links_to_the_dashboard(roads_client):
    assert "/staff/reports/dashboard/" in roads_client.get("/staff/reports/").content.decode()


def test_bad_filters_show_form_errors(roads_client, dataset):
    response = roads_client.get(
        "/staff/reports/dashboard/",
        {"date_from": "2026-05-01", "date_to": "2026-01-01", "category": "nope", "status": "x"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert {"date_to", "category", "status"} <= set(form.errors)
    # Invalid filters fall back to all the viewer's reports.
    assert response.context["figures"].totals.total == 4


def test_csv_export_has_the_filtered_reports_without_contacts(roads_client, roads_clerk, dataset):
    response = roads_client.get("/staff/reports/export.csv", {"status": "open"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    lines = body.strip().splitlines()
    assert lines[0].split(",") == [
        "id",
        "created",
        "category",
        "department",
        "district",
        "status",
        "priority",
        "expected_on",
        "acknowledged_at",
        "fixed_at",
        "closed_at",
        "lat",
        "lon",
        "address",
    ]
    assert [int(line.split(",")[0]) for line in lines[1:]] == [dataset[3].pk]
    assert "reporter@example.org" not in body
    assert AuditEntry.objects.filter(action="reports.exported", actor=roads_clerk).exists()


def test_csv_export_refuses_bad_filters(roads_client):
    assert roads_client.get("/staff/reports/export.csv", {"date_from": "x"}).status_code == 400


def test_api_figures_equal_the_pages(roads_client, dataset):
    page = roads_client.get("/staff/reports/dashboard/", {"status": "any_open"}).context["figures"]
    response = roads_client.get("/api/v1/reports/stats", {"status": "any_open"})
    assert response.status_code == 200
    data = response.json()
    assert data["totals"]["total"] == page.totals.total == 2
    assert data["totals"]["open"] == page.totals.open
    assert data["median_days_to_acknowledge"] == page.median_days_to_acknowledge
    assert data["by_category"] == [
        {"key": b.key, "label": b.label, "count": b.count} for b in page.by_category
    ]
    assert [b["count"] for b in data["backlog"]] == [b.count for b in page.backlog]
    assert [(d["name"], d["open"], d["rank"]) for d in data["departments"]] == [
        (d.name, d.open, d.rank) for d in page.departments
    ]
    assert [c["count"] for c in data["heatmap"]] == [c.count for c in page.heatmap]


def test_api_refuses_non_staff(citizen_client):
    response = citizen_client.get("/api/v1/reports/stats")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_api_answers_bad_filters_with_422(roads_client):
    for query in (
        {"date_from": "yesterday"},
        {"category": "999999"},
        {"status": "bogus"},
        {"date_from": "2026-05-01", "date_to": "2026-01-01"},
    ):
        response = roads_client.get("/api/v1/reports/stats", query)
        assert response.status_code == 422, query
        assert response.json()["error"]["code"] == "invalid"


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _computed_queries(client, url) -> int:
    cache.clear()  # the figures are cached: count the queries that compute them
    return _queries(client, url)


def test_query_count_does_not_grow_with_reports(manager_client, roads, parks):
    # Roads is comparable (>= 20 closed) in both rounds, parks in neither: the queries per
    # comparable department are constant too.
    for i in range(stats.MIN_SAMPLE):
        _report(roads, 10 + i, Status.FIXED, ack=1, fix=2, deadline=3)
        _report(parks, 20 + i, Status.OPEN)
    _queries(manager_client, "/staff/reports/dashboard/")  # warm the per-process caches
    page, api = (
        _computed_queries(manager_client, "/staff/reports/dashboard/"),
        _computed_queries(manager_client, "/api/v1/reports/stats"),
    )
    for i in range(30):
        _report(roads, 5 + i, Status.FIXED, ack=2, fix=3, deadline=3, lat=41 + i / 100)
        _report(parks, 30 + i, Status.ACKNOWLEDGED, ack=1)
    assert _computed_queries(manager_client, "/staff/reports/dashboard/") == page
    assert _computed_queries(manager_client, "/api/v1/reports/stats") == api


def test_figures_are_kept_and_after_a_change_the_last_ones_show_while_new_ones_are_computed(
    manager_client, roads, django_capture_on_commit_callbacks
):
    _report(roads, 3, Status.OPEN)
    first = manager_client.get("/api/v1/reports/stats").json()
    assert first["totals"]["total"] == 1
    with CaptureQueriesContext(connection) as ctx:
        manager_client.get("/api/v1/reports/stats")
    report_queries = [q["sql"] for q in ctx.captured_queries if "reports_report" in q["sql"]]
    assert report_queries == [q for q in report_queries if "MAX(updated_at)" in q]  # version
    _report(roads, 2, Status.OPEN)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        stale = manager_client.get("/staff/reports/dashboard/", HTTP_ACCEPT_LANGUAGE="en")
    assert len(queued) == 1
    assert stale.context["figures"].totals.total == 1 and stale.context["stale"]
    fresh = manager_client.get("/staff/reports/dashboard/")
    assert fresh.context["figures"].totals.total == 2 and not fresh.context["stale"]


def test_months_are_athens_months(roads):
    # 23:30 UTC on 31 January is 01:30 on 1 February in Athens.
    ReportFactory.create(category=roads, created_at=dt.datetime(2026, 1, 31, 23, 30, tzinfo=dt.UTC))
    ReportFactory.create(category=roads, created_at=dt.datetime(2026, 1, 31, 21, 30, tzinfo=dt.UTC))
    months = {b.key: b.count for b in stats.by_month(Report.objects.all())}
    assert months == {"2026-01": 1, "2026-02": 1}


def test_busy_areas_are_named_by_their_streets_and_district_not_coordinates(roads, municipality):
    district = District.objects.get(code="serres")
    for address in ("Μεραρχίας 10, Σέρρες", "Μεραρχίας 12Α", "Βενιζέλου 3", "Μεραρχίας 1"):
        ReportFactory.create(
            category=roads, lat=41.1001, lon=23.5501, address=address, district=district
        )
    cell = stats.dashboard(Report.objects.all()).heatmap[0]
    assert cell.streets == ("Μεραρχίας", "Βενιζέλου")
    with translation.override("el"):
        assert cell.place == f"Μεραρχίας, Βενιζέλου · {district.name_el}"


@pytest.mark.parametrize(
    ("address", "street"),
    [
        ("Μεραρχίας 10, Σέρρες", "Μεραρχίας"),
        ("Εθνικής Αντιστάσεως 10-12", "Εθνικής Αντιστάσεως"),
        ("Πλατεία Ελευθερίας", "Πλατεία Ελευθερίας"),
        ("25ης Μαρτίου 4", "25ης Μαρτίου"),
        ("", ""),
    ],
)
def test_the_street_of_an_address(address, street):
    assert stats.street_of(address) == street


def test_the_dashboard_page_names_the_busy_areas(roads, municipality, admin_user):
    ReportFactory.create(category=roads, lat=41.1001, lon=23.5501, address="Μεραρχίας 10")
    admin_user.groups.add(Group.objects.get(name="reports_manager"))
    client = Client()
    client.force_login(admin_user)
    page = client.get("/staff/reports/dashboard/").content.decode()
    assert ">Μεραρχίας" in page and "41.1, 23.55<" not in page
