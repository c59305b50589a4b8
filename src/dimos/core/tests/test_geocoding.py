"""Address search and reverse geocoding against a Nominatim-speaking server over HTTP."""

from __future__ import annotations

import pytest

from dimos.core import geocoding

pytestmark = pytest.mark.django_db

INSIDE = ("Πλατεία Ελευθερίας, Σέρρες", 41.0905, 23.5495)
OUTSIDE = ("Πλατεία Ελευθερίας, Θεσσαλονίκη", 40.6326, 22.9389)


def test_search_finds_places_inside_the_municipality_only(nominatim, municipality):
    nominatim.add(*INSIDE)
    nominatim.add(*OUTSIDE)
    found = geocoding.places("Πλατεία Ελευθερίας")
    assert [p.label for p in found] == [INSIDE[0]]
    assert (found[0].lat, found[0].lon) == pytest.approx((INSIDE[1], INSIDE[2]))
    path, query = nominatim.requests[-1]
    assert path.endswith("/search")
    assert query["bounded"] == "1" and query["accept-language"] == "el"
    assert query["viewbox"]


def test_answers_are_cached(nominatim, municipality):
    nominatim.add(*INSIDE)
    geocoding.places("Ελευθερίας")
    geocoding.places("  ελευθερίας ")
    assert len(nominatim.requests) == 1  # spaces and case make no new question
    geocoding.places("Ελευθερίας", language="en")
    assert len(nominatim.requests) == 2


def test_a_failing_geocoder_answers_nothing_and_is_asked_again(nominatim, municipality):
    nominatim.add(*INSIDE)
    nominatim.fail = True
    assert geocoding.places("Ελευθερίας") == []
    nominatim.fail = False
    assert len(geocoding.places("Ελευθερίας")) == 1


def test_reverse_gives_an_address(nominatim):
    nominatim.add(*INSIDE)
    assert geocoding.reverse(41.09051, 23.54952) == INSIDE[0]


def test_off_means_no_requests(nominatim, settings):
    settings.DIMOS_GEOCODER = ""
    nominatim.add(*INSIDE)
    assert geocoding.places("Ελευθερίας") == []
    assert geocoding.reverse(41.09, 23.55) is None
    assert nominatim.requests == []


def test_search_json(client, nominatim, municipality):
    nominatim.add(*INSIDE)
    body = client.get("/geocode/search.json", {"q": "Ελευθερίας"}).json()
    assert body == {"results": [{"label": INSIDE[0], "lat": INSIDE[1], "lon": INSIDE[2]}]}


def test_reverse_json(client, nominatim):
    nominatim.add(*INSIDE)
    body = client.get("/geocode/reverse.json", {"lat": "41.09", "lon": "23.55"}).json()
    assert body == {"address": INSIDE[0]}


@pytest.mark.parametrize(
    "query",
    [{}, {"lat": "x", "lon": "1"}, {"lat": "91", "lon": "23"}, {"lat": "41"}],
)
def test_reverse_json_rejects_bad_points(client, nominatim, query):
    response = client.get("/geocode/reverse.json", query)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_search_json_needs_a_query(client, nominatim):
    response = client.get("/geocode/search.json", {"q": "  "})
    assert response.status_code == 400


def test_search_json_when_off_is_404(client, settings):
    settings.DIMOS_GEOCODER = ""
    response = client.get("/geocode/search.json", {"q": "Ελευθερίας"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "geocoder_off"


def test_search_json_is_rate_limited(client, nominatim, settings, municipality):
    settings.DIMOS_GEOCODER_RATE = "2/m"
    for _ in range(2):
        assert client.get("/geocode/search.json", {"q": "a"}).status_code == 200
    response = client.get("/geocode/search.json", {"q": "a"})
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
