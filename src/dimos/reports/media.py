"""Fetching the photo an Open311 client links to with ``media_url``.

The server fetches a URL a client chose, so it guards against being used to reach inside the
municipality's network: only http(s), only public addresses (every address the name resolves
to), no redirects, a time limit and the photo size limit. The bytes then go through the same
content check, re-encoding and EXIF stripping as an upload.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

TIMEOUT_SECONDS = 10


class MediaFetchError(Exception):
    """The linked photo could not be fetched; the message says why (for staff)."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        raise MediaFetchError(_("the link redirects elsewhere"))


def _check_host(host: str, port: int) -> None:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise MediaFetchError(_("the host %(host)s was not found") % {"host": host}) from exc
    for *_rest, address in found:
        ip = ipaddress.ip_address(address[0])
        if not ip.is_global and not settings.DIMOS_OPEN311_MEDIA_PRIVATE_HOSTS:
            raise MediaFetchError(
                _("the host %(host)s is not on the public internet") % {"host": host}
            )


def fetch(url: str) -> bytes:
    """The bytes at ``url``, at most the photo size limit."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MediaFetchError(_("only http and https links are fetched"))
    _check_host(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    opener = urllib.request.build_opener(_NoRedirects)
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, headers={"User-Agent": f"Dimos ({settings.SITE_URL})", "Accept": "image/*"}
    )
    limit = settings.DIMOS_REPORT_PHOTO_MAX_BYTES
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            data: bytes = response.read(limit + 1)
    except MediaFetchError:
        raise
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise MediaFetchError(
            _("the link could not be fetched (%(error)s)") % {"error": exc}
        ) from exc
    if len(data) > limit:
        raise MediaFetchError(_("the linked file is larger than the photo size limit"))
    return data
