"""Responses in both formats, the Open311 error shape, CORS and the guard around every view."""

from __future__ import annotations

import functools
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt

from dimos.api.throttling import AnonThrottle
from dimos.reports.services import ReportError

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}

# XML 1.0 forbids most control characters even when escaped; drop them from text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# The element name of each item of a list, by the name of the list.
_ITEM = {
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
    "notes": "note",
}


class Open311Error(Exception):
    """An error answered in the Open311 shape (400, 403 or 404)."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def iso(value: datetime | None) -> str | None:
    """ISO 8601 with the local offset, to the second: 2026-03-01T10:00:00+02:00."""
    if value is None:
        return None
    from zoneinfo import ZoneInfo

    return value.astimezone(ZoneInfo(settings.TIME_ZONE)).isoformat(timespec="seconds")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return _NOT_XML.sub("", str(value))


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, list | tuple):
        item_name = _ITEM.get(element.tag, "item")
        for child in value:
            _fill(ET.SubElement(element, item_name), child)
    else:
        element.text = _text(value)


def to_xml(value: Any, root: str, item: str | None = None) -> bytes:
    """``value`` as XML: a list becomes ``<root><item>…</item>…</root>``, a dict ``<root>…``."""
    element = ET.Element(root)
    if item is not None and isinstance(value, list):
        for child in value:
            _fill(ET.SubElement(element, item), child)
    else:
        _fill(element, value)
    body: bytes = ET.tostring(element, encoding="utf-8", xml_declaration=True)
    return body


def respond(
    fmt: str, value: Any, *, root: str, item: str | None = None, status: int = 200
) -> HttpResponse:
    """The answer in the requested format; JSON lists are bare arrays."""
    if fmt == "xml":
        return HttpResponse(to_xml(value, root, item), content_type=FORMATS["xml"], status=status)
    return JsonResponse(
        value,
        safe=False,
        status=status,
        encoder=DjangoJSONEncoder,
        json_dumps_params={"ensure_ascii": False},
        content_type=FORMATS["json"],
    )


def error(fmt: str, status: int, description: str) -> HttpResponse:
    body = [{"code": status, "description": description}]
    return respond(
        fmt if fmt in FORMATS else "json", body, root="errors", item="error", status=status
    )


def _cors(response: HttpResponse) -> HttpResponse:
    # Public data and key-based writes, never cookies: any origin may read, without credentials.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def preflight() -> HttpResponse:
    response = HttpResponse(status=200)
    response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response["Access-Control-Allow-Headers"] = "Content-Type, Idempotency-Key, Accept-Language"
    response["Access-Control-Max-Age"] = "86400"
    return _cors(response)


def _retry_after(request: HttpRequest) -> int | None:
    """Seconds to wait when the client is over its rate, else None.

    The same per-address budget as the public REST API (``DIMOS_API_ANON_RATE``).
    """
    throttle = AnonThrottle(settings.DIMOS_API_ANON_RATE)
    if throttle.allow_request(request):
        return None
    return max(1, math.ceil(throttle.wait() or 1))


View = Callable[..., HttpResponse]


def endpoint(*methods: str) -> Callable[[View], View]:
    """Wrap an Open311 view: format check, allowed methods, CORS and errors in Open311 shape.

    The view receives the request, its URL arguments and ``fmt`` (``json`` or ``xml``).
    """
    allowed = {"GET", "HEAD", *methods}

    def decorate(view: View) -> View:
        @csrf_exempt  # an API authenticated by api_key, never by cookies
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            if fmt not in FORMATS:
                return _cors(error("json", 404, f"Unknown format '{fmt}': use .json or .xml."))
            if request.method == "OPTIONS":
                return preflight()
            wait = _retry_after(request)
            if wait is not None:
                response = error(fmt, 429, "Too many requests: retry later.")
                response["Retry-After"] = str(wait)
                return _cors(response)
            if request.method not in allowed:
                response = error(fmt, 405, f"Method {request.method} is not allowed here.")
                response["Allow"] = ", ".join(sorted(allowed | {"OPTIONS"}))
                return _cors(response)
            if any("\x00" in str(value) for value in (*args, *kwargs.values())):
                return _cors(error(fmt, 400, "The address may not contain NUL characters."))
            try:
                response = view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as exc:
                response = error(fmt, exc.status, exc.description)
            except ReportError as exc:
                with translation.override("en"):
                    response = error(fmt, 400, str(exc))
            except RequestDataTooBig:
                response = error(
                    fmt,
                    413,
                    "The request body is larger than this server accepts "
                    f"({settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes).",
                )
            except (
                UnreadablePostError,
                MultiPartParserError,
                SuspiciousOperation,
                RecursionError,
                UnicodeError,
            ) as exc:
                # Whatever the body's encoding, a body no parser can read is the client's error.
                response = error(fmt, 400, f"The request body could not be read: {exc}")
            return _cors(response)

        return wrapper

    return decorate
