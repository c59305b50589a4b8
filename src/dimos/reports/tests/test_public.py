from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dimos.reports.models import Status
from dimos.reports.tests.factories import ReportFactory


def test_list_filters_and_hides_private_reports(client, municipality):
    shown = ReportFactory.create(description="ορατή")
    fixed = ReportFactory.create(status=Status.FIXED)
    ReportFactory.create(status=Status.UNCONFIRMED, description="κρυφή-1")
    ReportFactory.create(is_hidden=True, description="κρυφή-2")
    html = client.get("/reports/").content.decode()
    assert f"/reports/{shown.pk}/" in html and f"/reports/{fixed.pk}/" in html
    open_only = client.get("/reports/", {"state": "open"}).content.decode()
    assert f"/reports/{fixed.pk}/" not in open_only
    assert "reporter@example.org" not in html


def test_geojson_with_bbox(client, municipality):
    inside = ReportFactory.create(lat=41.10, lon=23.56)
    ReportFactory.create(lat=41.15, lon=23.60)
    body = client.get("/reports/reports.geojson", {"bbox": "23.55,41.09,23.57,41.11"}).json()
    assert body["type"] == "FeatureCollection"
    assert [f["id"] for f in body["features"]] == [inside.pk]
    assert body["features"][0]["geometry"]["coordinates"] == [23.56, 41.10]
    assert "reporter_email" not in str(body)


def test_geojson_rejects_bad_bbox(client, db):
    assert client.get("/reports/reports.geojson", {"bbox": "a,b"}).status_code == 400
    assert client.get("/reports/reports.geojson", {"bbox": "0,0,0,999"}).status_code == 400


def test_atom_feed(client, municipality):
    report = ReportFactory.create()
    response = client.get("/reports/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    assert f"/reports/{report.pk}/" in response.content.decode()


def test_list_query_count_is_constant(client, municipality):
    ReportFactory.create_batch(3)
    client.get("/reports/")
    cache.clear()  # the page is cached for visitors: count the queries that draw it
    with CaptureQueriesContext(connection) as few:
        client.get("/reports/")
    ReportFactory.create_batch(10)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        client.get("/reports/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_list_is_kept_for_visitors_until_a_report_changes(client, municipality):
    ReportFactory.create_batch(2)
    client.get("/reports/")
    assert client.get("/reports/")["X-Dimos-Cache"] == "hit"
    new = ReportFactory.create()
    again = client.get("/reports/")
    assert "X-Dimos-Cache" not in again and f"/reports/{new.pk}/" in again.content.decode()


def test_geojson_is_kept_until_a_report_changes_and_gzipped_on_request(client, municipality):
    import gzip
    import json

    ReportFactory.create_batch(10)
    first = client.get("/reports/reports.geojson")
    assert first["X-Dimos-Cache"] == "miss" and len(first.json()["features"]) == 10
    assert first["Content-Type"] == "application/geo+json"
    zipped = client.get("/reports/reports.geojson", HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["X-Dimos-Cache"] == "hit" and zipped["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(zipped.content)) == first.json()
    ReportFactory.create()
    assert len(client.get("/reports/reports.geojson").json()["features"]) == 11


def test_list_geojson_feed_and_map_filter_by_how_recent(client, municipality):
    from datetime import timedelta

    from django.utils import timezone

    recent = ReportFactory.create(created_at=timezone.now() - timedelta(days=3))
    old = ReportFactory.create(created_at=timezone.now() - timedelta(days=60))
    week = client.get("/reports/", {"since": "7"}).content.decode()
    assert f"/reports/{recent.pk}/" in week and f"/reports/{old.pk}/" not in week
    assert 'value="7" selected' in week
    quarter = client.get("/reports/", {"since": "90"}).content.decode()
    assert f"/reports/{old.pk}/" in quarter
    anything = client.get("/reports/", {"since": "12"}).content.decode()  # not a choice
    assert f"/reports/{old.pk}/" in anything
    features = client.get("/reports/reports.geojson", {"since": "7"}).json()["features"]
    assert [f["id"] for f in features] == [recent.pk]
    feed = client.get("/reports/feed/", {"since": "7"}).content.decode()
    assert f"/reports/{recent.pk}/" in feed and f"/reports/{old.pk}/" not in feed
    box = {"bbox": "23.40,40.90,23.80,41.30", "zoom": 18}
    points = client.get("/reports/clusters.json", {**box, "since": "7"}).json()["points"]
    assert [p["id"] for p in points] == [recent.pk]
