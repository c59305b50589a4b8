"""A small Nominatim-speaking HTTP server for tests: real HTTP, canned places.

Use the ``nominatim`` fixture (import it into a test module): it starts the server, points
``DIMOS_GEOCODER_URL`` at it, turns the geocoder on, and gives the server so a test can add
places and read the requests it received.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest


@dataclass
class FakePlace:
    name: str
    lat: float
    lon: float


@dataclass
class FakeNominatim:
    url: str = ""
    places: list[FakePlace] = field(default_factory=list)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    fail: bool = False

    def add(self, name: str, lat: float, lon: float) -> None:
        self.places.append(FakePlace(name, lat, lon))

    def search(self, query: dict[str, str]) -> list[dict[str, Any]]:
        words = query.get("q", "").casefold().split()
        found = [p for p in self.places if all(w in p.name.casefold() for w in words)]
        if query.get("bounded") == "1" and "viewbox" in query:
            lon1, lat1, lon2, lat2 = (float(v) for v in query["viewbox"].split(","))
            found = [
                p
                for p in found
                if min(lat1, lat2) <= p.lat <= max(lat1, lat2)
                and min(lon1, lon2) <= p.lon <= max(lon1, lon2)
            ]
        limit = int(query.get("limit", "10"))
        return [_entry(p) for p in found[:limit]]

    def reverse(self, query: dict[str, str]) -> dict[str, Any]:
        lat, lon = float(query["lat"]), float(query["lon"])
        if not self.places:
            return {"error": "Unable to geocode"}
        nearest = min(self.places, key=lambda p: (p.lat - lat) ** 2 + (p.lon - lon) ** 2)
        return _entry(nearest)


def _entry(place: FakePlace) -> dict[str, Any]:
    return {
        "place_id": abs(hash(place.name)) % 10**8,
        "lat": f"{place.lat:.7f}",
        "lon": f"{place.lon:.7f}",
        "display_name": place.name,
        "boundingbox": [str(place.lat), str(place.lat), str(place.lon), str(place.lon)],
    }


def _handler(fake: FakeNominatim) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlparse(self.path)
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            fake.requests.append((url.path, query))
            if fake.fail:
                self.send_response(503)
                self.end_headers()
                return
            if url.path.endswith("/search"):
                body: Any = fake.search(query)
            elif url.path.endswith("/reverse"):
                body = fake.reverse(query)
            else:
                self.send_response(404)
                self.end_headers()
                return
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@pytest.fixture
def nominatim(settings: Any) -> Iterator[FakeNominatim]:
    fake = FakeNominatim()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    settings.DIMOS_GEOCODER = "dimos.core.geocoding.NominatimGeocoder"
    settings.DIMOS_GEOCODER_URL = fake.url
    from dimos.core.geocoding import _geocoder

    _geocoder.cache_clear()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        _geocoder.cache_clear()
