import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dimos.reports import clusters
from dimos.reports.models import Status
from dimos.reports.tests.factories import ReportFactory

CITY = "23.50,41.05,23.65,41.15"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _spread(n, *, lat=41.08, lon=23.52, step=0.004):
    return [
        ReportFactory.create(lat=lat + (i % 7) * step, lon=lon + (i // 7) * step) for i in range(n)
    ]


def _total(body):
    return sum(c["count"] for c in body["cells"]) + len(body["points"])


def test_counts_add_up_to_the_public_reports_in_the_box(client, municipality):
    _spread(20)
    ReportFactory.create(status=Status.UNCONFIRMED, lat=41.10, lon=23.56)
    ReportFactory.create(is_hidden=True, lat=41.10, lon=23.56)
    ReportFactory.create(lat=40.50, lon=22.90)  # outside the box
    body = client.get("/reports/clusters.json", {"bbox": CITY, "zoom": 12}).json()
    assert _total(body) == 20
    assert body["cells"], "zoom 12 groups neighbouring reports"
    for cell in body["cells"]:
        assert cell["count"] > 1 and 41.05 <= cell["lat"] <= 41.15


def test_filters_by_category_and_state(client, municipality):
    _spread(5)
    ReportFactory.create(status=Status.FIXED, lat=41.10, lon=23.56)
    body = client.get("/reports/clusters.json", {"bbox": CITY, "zoom": 10, "state": "closed"})
    assert _total(body.json()) == 1


def test_points_at_high_zoom_link_to_the_report(client, municipality):
    report = ReportFactory.create(lat=41.1001, lon=23.5601)
    body = client.get(
        "/reports/clusters.json", {"bbox": "23.559,41.099,23.561,41.101", "zoom": 18}
    ).json()
    assert body["cells"] == []
    assert body["points"] == [
        {
            "id": report.pk,
            "lat": 41.1001,
            "lon": 23.5601,
            "status": report.status,
            "category": report.category.code,
            "url": f"/reports/{report.pk}/",
        }
    ]


def test_a_lone_report_in_a_cell_is_a_point(client, municipality):
    report = ReportFactory.create(lat=41.10, lon=23.56)
    body = client.get("/reports/clusters.json", {"bbox": CITY, "zoom": 12}).json()
    assert [p["id"] for p in body["points"]] == [report.pk]
    assert body["points"][0]["category"] == report.category.code


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"bbox": CITY},
        {"bbox": "1,2,3", "zoom": 10},
        {"bbox": "a,b,c,d", "zoom": 10},
        {"bbox": "23.6,41.1,23.5,41.0", "zoom": 10},
        {"bbox": "23.5,41.0,23.6,95", "zoom": 10},
        {"bbox": "nan,41,23.6,41.1", "zoom": 10},
        {"bbox": CITY, "zoom": "x"},
        {"bbox": CITY, "zoom": 99},
        {"bbox": CITY, "zoom": 10, "state": "sideways"},
    ],
)
def test_bad_input_is_a_400_json_error(client, db, params):
    response = client.get("/reports/clusters.json", params)
    assert response.status_code == 400
    assert "error" in response.json()


def test_the_whole_world_at_low_zoom_is_capped(client, municipality):
    _spread(3)
    body = client.get("/reports/clusters.json", {"bbox": "-180,-90,180,90", "zoom": 20}).json()
    assert len(body["points"]) == 3 and not body["truncated"]
    body = client.get("/reports/clusters.json", {"bbox": "-180,-90,180,90", "zoom": 16}).json()
    assert _total(body) == 3


def test_query_count_does_not_grow_with_reports(client, municipality):
    _spread(2)
    with CaptureQueriesContext(connection) as few:
        client.get("/reports/clusters.json", {"bbox": CITY, "zoom": 13})
    _spread(40, lat=41.06)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        client.get("/reports/clusters.json", {"bbox": CITY, "zoom": 13})
    assert len(few) == len(many) <= 4


def test_after_a_change_the_last_answer_is_served_while_a_new_one_is_computed(
    client, municipality, django_capture_on_commit_callbacks
):
    query = {"bbox": CITY, "zoom": 12}
    _spread(2)
    first = client.get("/reports/clusters.json", query)
    assert _total(first.json()) == 2 and first["X-Dimos-Cache"] == "miss"
    assert client.get("/reports/clusters.json", query)["X-Dimos-Cache"] == "hit"
    ReportFactory.create(lat=41.10, lon=23.56)
    # The visitor after the change does not wait: the last answer, and a rebuild is queued
    # (the test task backend runs it at once).
    with django_capture_on_commit_callbacks(execute=True) as queued:
        stale = client.get("/reports/clusters.json", query)
    assert len(queued) == 1
    assert stale["X-Dimos-Cache"] == "stale" and _total(stale.json()) == 2
    fresh = client.get("/reports/clusters.json", query)
    assert fresh["X-Dimos-Cache"] == "hit" and _total(fresh.json()) == 3


def test_a_new_question_is_answered_at_once(client, municipality):
    _spread(2)
    client.get("/reports/clusters.json", {"bbox": CITY, "zoom": 12})
    ReportFactory.create(lat=41.10, lon=23.56)
    other = client.get("/reports/clusters.json", {"bbox": CITY, "zoom": 12, "state": "open"})
    assert other["X-Dimos-Cache"] == "miss" and _total(other.json()) == 3


def test_cell_index_is_the_floor_on_this_database(db):
    from django.db.models import F, Value

    from dimos.reports.models import Report

    ReportFactory.create(lat=-33.9, lon=-0.05)
    row = (
        Report.objects.annotate(
            cy=clusters.CellIndex(F("lat"), offset=90, size=0.5),
            cx=clusters.CellIndex(F("lon") + Value(0.0), offset=180, size=0.1),
        )
        .values("cy", "cx")
        .get()
    )
    assert row == {"cy": int((-33.9 + 90) // 0.5), "cx": int((-0.05 + 180) // 0.1)}


def test_map_page_links_to_the_list(client, municipality):
    html = client.get("/reports/map/").content.decode()
    assert 'href="/reports/"' in html
    assert 'id="cluster-map"' in html and "reports-cluster-map.js" in html
    assert "nonce=" in html
