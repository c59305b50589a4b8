"""The OParl 1.1 endpoints: the system, the body, its external lists, each object, and the
files' bytes (docs/api.md, "OParl").

Every answer is JSON with ``Access-Control-Allow-Origin: *``; every error, including an
unknown address under ``/oparl/v1/``, is OParl's error object with its status. An answer is
kept encoded in the cache under a version of the council's data (the newest ``modified`` of
each table, and the five minutes), which is also its ETag: a repeated request costs one query
and one cache read, and a client that sends ``If-None-Match`` gets 304.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import QuerySet
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.http.response import HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from dimos.core.cached import ACCEPTS_GZIP, CachedBody, digest
from dimos.core.selectors import current_municipality
from dimos.council import freshness
from dimos.council.models import (
    CouncilFile,
    LegislativeTerm,
    Location,
    Membership,
    Organization,
)
from dimos.council.oparl import serializers as s

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/json; charset=utf-8"
ERROR = s.OPARL + "Error"
# Page sizes: OParl recommends paging above 100 elements; ``limit`` is advisory, capped here.
PAGE_SIZE, MAX_PAGE_SIZE = 100, 500
# How long an encoded answer is kept; the version names the five minutes it falls in too, so
# a write that sent no signal (a bulk load that forgot ``freshness.changed``) shows within it.
CACHE_SECONDS = 300
DATE_FILTERS = ("created_since", "created_until", "modified_since", "modified_until")
# "+02:00" sent unencoded in a query string arrives as " 02:00".
_LOST_PLUS = re.compile(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$")

ANSWERS = CachedBody("oparl:answer", seconds=CACHE_SECONDS)


class OParlError(Exception):
    """An error answered as OParl's error object with ``status``."""

    def __init__(self, status: int, message: str, debug: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.debug = debug


def _cors(response: HttpResponse) -> HttpResponse:
    # Public, read-only data, never cookies: any site may read it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _json(data: Any, status: int = 200) -> HttpResponse:
    return HttpResponse(_encode(data), content_type=CONTENT_TYPE, status=status)


def _encode(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def error_response(status: int, message: str, debug: str = "") -> HttpResponse:
    return _cors(_json({"type": ERROR, "message": message, "debug": debug}, status=status))


def data_version() -> str:
    """The version of the council's record (``freshness.RECORD``, bumped by every write,
    the roll call and the municipality's profile included) and the current five minutes.
    A cache read: no query."""
    return f"{freshness.version()}-{int(time.time() // CACHE_SECONDS)}"


# --- Query parameters -------------------------------------------------------------------------


@dataclass
class Params:
    """The filters of an external list, checked; ``carried`` is what every link repeats."""

    dates: dict[str, datetime] = field(default_factory=dict)
    limit: int = PAGE_SIZE
    page: int = 1
    omit_internal: bool = False
    carried: list[tuple[str, str]] = field(default_factory=list)


def _when(name: str, raw: str) -> datetime:
    text = _LOST_PLUS.sub(r"\1+\2", raw.strip())
    try:
        value = parse_datetime(text)
        if value is None:
            day = parse_date(text)
            value = datetime(day.year, day.month, day.day) if day is not None else None
    except ValueError:
        value = None
    if value is None:
        raise OParlError(
            400,
            f"{name} must be a date and time in ISO 8601, e.g. 2026-03-01T00:00:00+02:00.",
            f"{name}={raw!r} could not be read as a date. Write + as %2B in a query string.",
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _whole(name: str, raw: str, low: int) -> int:
    if not raw.isdigit() or int(raw) < low:
        raise OParlError(400, f"{name} must be a whole number from {low}.", f"{name}={raw!r}")
    return int(raw)


def parse_params(request: HttpRequest) -> Params:
    query = request.GET
    params = Params()
    for name in DATE_FILTERS:
        raw = query.get(name, "")
        if raw:
            params.dates[name] = _when(name, raw)
            params.carried.append((name, raw))
    if query.get("limit"):
        params.limit = min(_whole("limit", query["limit"], 1), MAX_PAGE_SIZE)
        params.carried.append(("limit", query["limit"]))
    omit = query.get("omit_internal", "")
    if omit:
        if omit.lower() not in ("true", "false", "1", "0"):
            raise OParlError(400, "omit_internal must be true or false.", f"omit_internal={omit!r}")
        params.omit_internal = omit.lower() in ("true", "1")
        params.carried.append(("omit_internal", omit))
    if query.get("page"):
        params.page = _whole("page", query["page"], 1)
    return params


# --- The guard around every endpoint --------------------------------------------------------

View = Callable[..., Any]


def endpoint(*, cached: bool = True) -> Callable[[View], Callable[..., HttpResponse]]:
    """Wrap an OParl view: GET and HEAD only, CORS, OParl errors, and (``cached``) the answer
    kept encoded with its ETag. A cached view returns the object to send as JSON."""

    def decorate(view: View) -> Callable[..., HttpResponse]:
        @csrf_exempt  # read-only, never reads cookies
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "OPTIONS":
                return _preflight()
            if request.method not in ("GET", "HEAD"):
                response = error_response(405, "The OParl API is read-only: use GET.")
                response["Allow"] = "GET, HEAD, OPTIONS"
                return response
            try:
                if not cached:
                    response = view(request, *args, **kwargs)
                else:
                    response = _answer(request, view, args, kwargs)
            except OParlError as exc:
                return error_response(exc.status, exc.message, exc.debug)
            except Exception as exc:  # the API answers JSON even when a bug is hit
                logger.exception("OParl: %s failed", request.path)
                return error_response(500, "Internal error.", type(exc).__name__)
            return _cors(response)

        return wrapped

    return decorate


class _Kept:
    """The answers this process sent last, as the bytes sent, up to ``limit`` bytes in all.

    In front of the shared cache, which hands back a copy to unpickle on every read (a page of
    meetings is a megabyte). Keys name the data's version, so an entry is never stale: a
    change to the data asks for a new key, and old ones fall out, least recently used first.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.entries: OrderedDict[tuple[str, bool], tuple[bytes, bool]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[str, bool]) -> tuple[bytes, bool] | None:
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key: tuple[str, bool], value: tuple[bytes, bool]) -> None:
        if len(value[0]) > self.limit // 4:
            return
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = value
            self.size += len(value[0])
            while self.size > self.limit:
                _, (dropped, _gz) = self.entries.popitem(last=False)
                self.size -= len(dropped)


KEPT = _Kept(limit=32 * 1024 * 1024)


def _answer(request: HttpRequest, view: View, args: Any, kwargs: Any) -> HttpResponse:
    question = {
        "path": request.path,
        "query": sorted(request.GET.lists()),
        "language": translation.get_language() or "",
        "version": data_version(),
    }
    name = digest(question)
    etag = f'W/"{name}"'
    gzipped = bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))
    kept = KEPT.get((name, gzipped))
    if _matches(request, etag):
        response = HttpResponse(status=304)
    elif kept is not None:
        response = HttpResponse(kept[0], content_type=CONTENT_TYPE)
        if kept[1]:
            response["Content-Encoding"] = "gzip"
        response["X-Dimos-Cache"] = "hit"
    else:

        def compute() -> tuple[bytes, str]:
            return _encode(view(request, *args, **kwargs)), CONTENT_TYPE

        response = ANSWERS.respond(request, question, compute=compute)
        KEPT.put((name, gzipped), (response.content, response.get("Content-Encoding") == "gzip"))
    response["ETag"] = etag
    response["Vary"] = "Accept-Encoding, Accept-Language"
    return response


def _matches(request: HttpRequest, etag: str) -> bool:
    sent = request.headers.get("If-None-Match", "")
    strip = etag.removeprefix("W/")
    return any(t.strip().removeprefix("W/") == strip for t in sent.split(",")) or sent == "*"


def _preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Allow-Headers"] = "If-None-Match, Accept-Language"
    response["Access-Control-Max-Age"] = "86400"
    return _cors(response)


# --- The system, the body and its lists -------------------------------------------------------


def _context(request: HttpRequest) -> tuple[s.Context, Params]:
    params = parse_params(request)
    return s.Context(omit_internal=params.omit_internal), params


def _municipality(pk: int) -> Any:
    municipality = current_municipality()
    if municipality is None or municipality.pk != pk:
        raise OParlError(404, "No such body.", f"body {pk}")
    return municipality


@endpoint()
def system(request: HttpRequest) -> s.Json:
    ctx, _ = _context(request)
    return s.system(ctx, current_municipality())


@endpoint()
def bodies(request: HttpRequest) -> s.Json:
    ctx, params = _context(request)
    municipality = current_municipality()
    data = [s.body(ctx, municipality)] if municipality is not None else []
    return _page(request, params, len(data), lambda start, stop: data[start:stop])


@endpoint()
def body(request: HttpRequest, pk: int) -> s.Json:
    ctx, _ = _context(request)
    return s.body(ctx, _municipality(pk))


@dataclass(frozen=True)
class Kind:
    """One type of object: the rows served (with what serializing reads) and its function."""

    rows: Callable[[bool], QuerySet[Any]]
    serialize: Callable[[s.Context, Any], s.Json]
    # Reads what a page of rows needs besides their prefetches.
    prepare: Callable[[list[Any]], None] | None = None

    def fetch(self, rows: QuerySet[Any]) -> list[Any]:
        found = list(rows)
        if self.prepare is not None and found:
            self.prepare(found)
        return found


KINDS: dict[str, Kind] = {
    "organization": Kind(lambda omit: s.organizations(), s.organization),
    "person": Kind(lambda omit: s.people(), s.person),
    "membership": Kind(lambda omit: Membership.objects.all(), s.membership),
    "meeting": Kind(s.meetings, s.meeting, s.prepare_meetings),
    "agendaitem": Kind(s.agenda_items, s.agenda_item_alone, s.prepare_agenda_items),
    "paper": Kind(lambda omit: s.papers(), s.paper),
    "consultation": Kind(s.consultations, s.consultation),
    "file": Kind(lambda omit: s.files(), s.file),
    "location": Kind(lambda omit: Location.objects.all(), s.location),
    "legislativeterm": Kind(lambda omit: LegislativeTerm.objects.all(), s.legislative_term),
}


@endpoint()
def body_list(request: HttpRequest, pk: int, kind: str) -> s.Json:
    _municipality(pk)
    found = KINDS.get(kind)
    if found is None:
        raise OParlError(404, "No such list.", request.path)
    ctx, params = _context(request)
    return _external_list(request, ctx, params, found, found.rows(params.omit_internal))


@endpoint()
def organization_meetings(request: HttpRequest, pk: int) -> s.Json:
    if not Organization.objects.filter(pk=pk).exists():
        raise OParlError(404, "No such organization.", f"organization {pk}")
    ctx, params = _context(request)
    kind = KINDS["meeting"]
    rows = kind.rows(params.omit_internal).filter(organization_id=pk)
    return _external_list(request, ctx, params, kind, rows)


def _external_list(
    request: HttpRequest, ctx: s.Context, params: Params, kind: Kind, rows: QuerySet[Any]
) -> s.Json:
    # Deleted objects only for a client syncing its copy (OParl: with modified_since, must).
    if "modified_since" not in params.dates:
        rows = rows.filter(deleted=False)
    lookups = {
        "created_since": "created__gte",
        "created_until": "created__lte",
        "modified_since": "modified__gte",
        "modified_until": "modified__lte",
    }
    rows = rows.filter(**{lookups[k]: v for k, v in params.dates.items()}).order_by("pk")
    total = rows.count()

    def window(start: int, stop: int) -> list[s.Json]:
        return [kind.serialize(ctx, row) for row in kind.fetch(rows[start:stop])]

    return _page(request, params, total, window)


def _page(
    request: HttpRequest,
    params: Params,
    total: int,
    window: Callable[[int, int], list[s.Json]],
) -> s.Json:
    size = params.limit
    pages = max(1, math.ceil(total / size))
    if params.page > pages:
        raise OParlError(
            404, f"There is no page {params.page}: the last is {pages}.", request.get_full_path()
        )
    start = (params.page - 1) * size
    base = settings.SITE_URL + request.path

    def link(page: int) -> str:
        return f"{base}?{urlencode([*params.carried, ('page', str(page))])}"

    links = {"first": link(1), "self": link(params.page), "last": link(pages)}
    if params.page > 1:
        links["prev"] = link(params.page - 1)
    if params.page < pages:
        links["next"] = link(params.page + 1)
    return {
        "data": window(start, start + size),
        "pagination": {
            "totalElements": total,
            "elementsPerPage": size,
            "currentPage": params.page,
            "totalPages": pages,
        },
        "links": links,
    }


# --- One object -------------------------------------------------------------------------------


@endpoint()
def detail(request: HttpRequest, pk: int, kind: str) -> s.Json:
    found = KINDS[kind]
    ctx, params = _context(request)
    # A deleted object answers too, with deleted: true (OParl).
    rows = found.fetch(found.rows(params.omit_internal).filter(pk=pk))
    if not rows:
        raise OParlError(404, f"No such {kind}.", f"{kind} {pk}")
    return found.serialize(ctx, rows[0])


# --- The files' bytes -------------------------------------------------------------------------


@endpoint(cached=False)
def file_access(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _serve(request, pk, attachment=False)


@endpoint(cached=False)
def file_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _serve(request, pk, attachment=True)


def _serve(request: HttpRequest, pk: int, *, attachment: bool) -> HttpResponseBase:
    found: CouncilFile | None = s.files().filter(pk=pk).first()
    if found is None:
        raise OParlError(404, "No such file.", f"file {pk}")
    if found.deleted:
        raise OParlError(410, "This file was deleted.", f"file {pk}")
    if not found.file:
        if attachment or not found.external_service_url:
            raise OParlError(
                404, "This file is kept elsewhere: see its externalServiceUrl.", f"file {pk}"
            )
        return HttpResponseRedirect(found.external_service_url)
    etag = f'"{found.sha512 or digest([found.pk, str(found.modified)])}"'
    response: HttpResponseBase
    if _matches(request, etag):
        response = HttpResponse(status=304)
    else:
        try:
            handle = found.file.open("rb")
        except OSError as exc:
            logger.warning("OParl: the bytes of file %s are missing", pk)
            raise OParlError(404, "This file's content is missing.", f"file {pk}") from exc
        content_type = found.mime_type or "application/octet-stream"
        if content_type.startswith("text/") and "charset" not in content_type:
            content_type += "; charset=utf-8"  # the extracts and minutes are Greek text
        response = FileResponse(
            handle,
            as_attachment=attachment,
            filename=found.file_name or found.file.name.rsplit("/", 1)[-1],
            content_type=content_type,
        )
        # A document opened in the browser may not run anything on this site.
        response["Content-Security-Policy"] = "sandbox"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(found.modified.timestamp())
    return response


# --- Anything else ----------------------------------------------------------------------------


@endpoint(cached=False)
def unknown(request: HttpRequest, rest: str) -> HttpResponse:
    """An address under /oparl/v1/ that is not an endpoint: the canonical one when only the
    closing slash is missing (301), else OParl's 404."""
    if not rest.endswith("/"):
        canonical = request.path + "/"
        try:
            match = resolve(canonical)
        except Resolver404:
            match = None
        if match is not None and match.url_name != "unknown":
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(canonical + (f"?{query}" if query else ""))
    raise OParlError(404, "There is no such address in the OParl API.", request.path)
