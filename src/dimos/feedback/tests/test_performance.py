"""The published service performance: figures from the apps' own rows through the registry,
charts with their downloads; the catalogue shows each service's satisfaction."""

from __future__ import annotations

from django.test import Client

from dimos.core import transactions
from dimos.feedback import services
from dimos.feedback.models import Invitation


def test_performance_pages_answer_with_figures_and_charts(municipality, citizen):
    transactions.completed("certificates.request", 3, user=citizen)
    services.rate(invitation=Invitation.objects.get(object_id="3"), score=5)
    client = Client()
    index = client.get("/performance/")
    assert index.status_code == 200
    html = index.content.decode()
    assert "<svg" in html
    assert "/performance/certificates/" in html
    page = client.get("/performance/certificates/")
    assert page.status_code == 200
    assert "100" in page.content.decode()
    csv = client.get("/performance/certificates/", {"chart": "satisfaction", "format": "csv"})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    data = client.get("/performance/", {"chart": "volumes", "format": "json"})
    assert data.status_code == 200
    assert client.get("/performance/", {"chart": "nope", "format": "csv"}).status_code == 404
    assert client.get("/performance/no-such-service/").status_code == 404


def test_the_catalogue_shows_satisfaction(municipality, citizen):
    transactions.completed("certificates.request", 4, user=citizen)
    services.rate(invitation=Invitation.objects.get(object_id="4"), score=4)
    html = Client().get("/services/").content.decode()
    assert "75/100" in html


def test_the_api_answers_the_same_figures(municipality, citizen):
    transactions.completed("appointments.booking", 6, user=citizen)
    services.rate(invitation=Invitation.objects.get(object_id="6"), score=3)
    client = Client()
    every = client.get("/api/v1/feedback/performance")
    assert every.status_code == 200
    body = every.json()
    assert body[0]["service"] == ""
    assert {row["service"] for row in body[1:]} >= {"report-problem", "certificates"}
    one = client.get("/api/v1/feedback/performance/book-appointment").json()
    assert one["total"]["satisfaction"] == 50 and one["total"]["ratings"] == 1
    assert len(one["months"]) == 12
    assert client.get("/api/v1/feedback/performance/nope").status_code == 404
