"""The Open311 media_url fetch resolves the name once and connects to that address
(issue 9, item 20: DNS rebinding), with a time limit and a size cap."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection
from django.utils import translation

from dimos.reports import media, services
from dimos.reports.models import ReportUpdate
from dimos.reports.tests.factories import ReportFactory
from dimos.reports.tests.test_photos import jpeg

NAME = "photos.example.test"
PUBLIC = "93.184.216.34"  # what the rebinding name answers first: a public address


@pytest.fixture(autouse=True)
def _english():
    # The reasons are written for staff in the site's language; these tests read English.
    with translation.override("en"):
        yield


@pytest.fixture
def server():
    """A photo server on loopback that counts its requests and remembers their Host header."""
    seen: list[str] = []
    photo = jpeg()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.headers.get("Host", ""))
            if self.path == "/big.jpg":  # no Content-Length: only the cap while reading stops it
                self.send_response(200)
                self.send_header("Content-Type", "image/jpeg")
                self.end_headers()
                self.wfile.write(b"\xff" * 50_000)
                return
            if self.path == "/slow.jpg":  # a byte at a time, slower than the limit
                self.send_response(200)
                self.send_header("Content-Length", "100")
                self.end_headers()
                for _ in range(100):
                    self.wfile.write(b"\xff")
                    self.wfile.flush()
                    time.sleep(0.05)
                return
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(len(photo)))
            self.end_headers()
            self.wfile.write(photo)

        def log_message(self, *args):
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    httpd.seen = seen
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def resolver(monkeypatch):
    """``NAME`` answers a public address to the first question and loopback to every later
    one — the attack. Connections never leave the machine: one to any address other than
    loopback is refused here, before a packet is sent."""
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.create_connection
    asked: list[str] = []
    connected: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host != NAME:
            return real_getaddrinfo(host, port, *args, **kwargs)
        asked.append(host)
        address = PUBLIC if len(asked) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    def create_connection(address, *args, **kwargs):
        connected.append(address[0])
        if address[0] not in ("127.0.0.1", NAME):
            raise ConnectionRefusedError("the test refuses to leave the machine")
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    return {"asked": asked, "connected": connected}


def test_a_name_that_rebinds_to_loopback_is_not_fetched(server, resolver, settings):
    settings.DIMOS_OPEN311_MEDIA_PRIVATE_HOSTS = False
    port = server.server_address[1]
    with pytest.raises(media.MediaFetchError):
        media.fetch(f"http://{NAME}:{port}/photo.jpg")
    assert server.seen == []  # the loopback server was never reached
    assert resolver["asked"] == [NAME]  # resolved once…
    assert resolver["connected"] == [PUBLIC]  # …and the connection went to that address


def test_the_connection_goes_to_the_checked_address_with_the_name_as_host(
    server, resolver, settings
):
    settings.DIMOS_OPEN311_MEDIA_PRIVATE_HOSTS = True
    resolver["asked"].append("first answer used up")  # so NAME now answers loopback
    port = server.server_address[1]
    data = media.fetch(f"http://{NAME}:{port}/photo.jpg")
    assert data == jpeg()
    assert server.seen == [f"{NAME}:{port}"]
    assert resolver["connected"] == ["127.0.0.1"]


def test_every_address_of_the_name_must_be_public(monkeypatch, settings):
    settings.DIMOS_OPEN311_MEDIA_PRIVATE_HOSTS = False
    answers = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, 80)) for a in (PUBLIC, "10.0.0.5")]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: answers)
    with pytest.raises(media.MediaFetchError, match="public internet"):
        media.resolve(NAME, 80)


@pytest.mark.parametrize("address", ["::ffff:127.0.0.1", "169.254.169.254", "224.0.0.1", "::1"])
def test_private_addresses_in_any_form_are_refused(monkeypatch, settings, address):
    settings.DIMOS_OPEN311_MEDIA_PRIVATE_HOSTS = False
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda *a, **k: [(family, socket.SOCK_STREAM, 6, "", (address, 80))]
    )
    with pytest.raises(media.MediaFetchError):
        media.resolve(NAME, 80)


def test_a_body_over_the_size_limit_is_cut_off(server, settings):
    settings.DIMOS_OPEN311_MEDIA_PRIVATE_HOSTS = True
    settings.DIMOS_REPORT_PHOTO_MAX_BYTES = 10_000
    with pytest.raises(media.MediaFetchError, match="larger"):
        media.fetch(f"http://127.0.0.1:{server.server_address[1]}/big.jpg")


def test_a_slow_server_is_given_up_on(server, settings, monkeypatch):
    settings.DIMOS_OPEN311_MEDIA_PRIVATE_HOSTS = True
    monkeypatch.setattr(media, "TIMEOUT_SECONDS", 0.5)
    started = time.monotonic()
    with pytest.raises(media.MediaFetchError, match="timed out"):
        media.fetch(f"http://127.0.0.1:{server.server_address[1]}/slow.jpg")
    assert time.monotonic() - started < 3


def test_no_transaction_is_held_while_fetching(municipality, monkeypatch, settings):
    settings.LANGUAGE_CODE = "en"
    report = ReportFactory.create()
    depth_outside = len(connection.atomic_blocks)
    depth_while_fetching = []

    def fetch(url):
        depth_while_fetching.append(len(connection.atomic_blocks))
        raise media.MediaFetchError("unreachable")

    monkeypatch.setattr(media, "fetch", fetch)
    services.attach_photo_from_url(report=report, url="http://photos.example.test/x.jpg")
    assert depth_while_fetching == [depth_outside]
    assert report.updates.filter(kind=ReportUpdate.Kind.INTERNAL_NOTE).exists()
