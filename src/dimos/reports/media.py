"""Fetching the photo an Open311 client links to with ``media_url``.

The server fetches a URL a client chose, so it guards against being used to reach inside the
municipality's network. The name is resolved **once**; every address it resolves to must be
public; the connection then goes to exactly that address, with the name in the ``Host`` header
and, for https, in SNI and the certificate check. (Resolving again to connect, as a URL opener
does, lets a name answer a public address to the check and a private one to the connection:
DNS rebinding.) Only http(s), no redirects, a time limit on every step and on the whole body,
and the photo size limit. The bytes then go through the same content check, re-encoding and
EXIF stripping as an upload. This runs in a task (``reports.tasks.attach_media_url``), outside
any transaction.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from dimos.reports.conf import conf

TIMEOUT_SECONDS = 10
CHUNK = 64 * 1024


class MediaFetchError(Exception):
    """The linked photo could not be fetched; the message says why (for staff)."""


def _allowed(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if conf.OPEN311_MEDIA_PRIVATE_HOSTS:
        return True
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> str:
    """The one address to connect to: resolved once, refused unless every answer is public."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise MediaFetchError(_("the host %(host)s was not found") % {"host": host}) from exc
    addresses = [str(info[4][0]).split("%")[0] for info in found]
    if not addresses:
        raise MediaFetchError(_("the host %(host)s was not found") % {"host": host})
    for address in addresses:
        if not _allowed(ipaddress.ip_address(address)):
            raise MediaFetchError(
                _("the host %(host)s is not on the public internet") % {"host": host}
            )
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    """HTTP to a given address; ``host`` (the name) is still sent in the Host header."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address
        self.socket: socket.socket | None = None  # kept after the response takes over `sock`

    def connect(self) -> None:
        self.sock = self.socket = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to a given address, with the name in SNI and checked against the certificate."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address
        self.socket: socket.socket | None = None

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.socket = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


def _connection(scheme: str, host: str, port: int, address: str) -> Any:
    kind = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    return kind(host, port, address=address, timeout=TIMEOUT_SECONDS)


def fetch(url: str) -> bytes:
    """The bytes at ``url``, at most the photo size limit, within TIMEOUT_SECONDS in all."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MediaFetchError(_("only http and https links are fetched"))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise MediaFetchError(_("only http and https links are fetched")) from exc
    try:
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise MediaFetchError(
            _("the host %(host)s was not found") % {"host": parts.hostname}
        ) from exc
    address = resolve(host, port)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    limit = conf.PHOTO_MAX_BYTES
    deadline = time.monotonic() + TIMEOUT_SECONDS
    connection = _connection(parts.scheme, host, port, address)
    try:
        connection.request(
            "GET",
            path,
            headers={"User-Agent": f"Dimos ({settings.SITE_URL})", "Accept": "image/*"},
        )
        response = connection.getresponse()
        if 300 <= response.status < 400:
            raise MediaFetchError(_("the link redirects elsewhere"))
        if response.status != 200:
            raise MediaFetchError(
                _("the link could not be fetched (%(error)s)")
                % {"error": f"HTTP {response.status}"}
            )
        declared = response.getheader("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise MediaFetchError(_("the linked file is larger than the photo size limit"))
        data = bytearray()
        while len(data) <= limit:
            left = deadline - time.monotonic()
            if left <= 0:
                raise MediaFetchError(
                    _("the link could not be fetched (%(error)s)") % {"error": "timed out"}
                )
            # No single wait outlasts the whole fetch's deadline; read1 returns what has come.
            connection.socket.settimeout(left)
            chunk = response.read1(min(CHUNK, limit + 1 - len(data)))
            if not chunk:
                break
            data += chunk
    except MediaFetchError:
        raise
    except TimeoutError as exc:
        raise MediaFetchError(
            _("the link could not be fetched (%(error)s)") % {"error": "timed out"}
        ) from exc
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise MediaFetchError(
            _("the link could not be fetched (%(error)s)") % {"error": exc}
        ) from exc
    finally:
        connection.close()
    if len(data) > limit:
        raise MediaFetchError(_("the linked file is larger than the photo size limit"))
    return bytes(data)
