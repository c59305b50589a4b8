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
    with CaptureQueriesContext(connection) as few:
        client.get("/reports/")
    ReportFactory.create_batch(10)
    with CaptureQueriesContext(connection) as many:
        client.get("/reports/")
    assert len(many.captured_queries) == len(few.captured_queries)
