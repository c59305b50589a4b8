"""The Open311 GeoReport v2 endpoints. Each view: parse → select or submit → render."""

from __future__ import annotations

import html
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.html import strip_tags
from django.views.decorators.csrf import csrf_exempt

from dimos.core import geo, geocoding
from dimos.core.cached import CachedBody
from dimos.core.selectors import current_municipality
from dimos.core.tasks import enqueue_on_commit
from dimos.reports.attributes import InvalidAttributes, validate_attributes
from dimos.reports.conf import conf
from dimos.reports.models import CLOSED_STATUSES, OPEN_STATUSES, Category, Report
from dimos.reports.open311 import params as p
from dimos.reports.open311 import serialize
from dimos.reports.open311.render import Open311Error, endpoint, error, respond
from dimos.reports.photos import PhotoError, ProcessedPhoto, process_upload
from dimos.reports.selectors import CATALOGUE_VERSION, data_version, request_version
from dimos.reports.services import Location, add_photos, submit_report
from dimos.reports.tasks import attach_media_url

# When this API last changed in a way clients may notice (discovery's changeset).
CHANGESET = "2026-11-21T00:00:00+02:00"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
DESCRIPTION_MAX = 4000
DEFAULT_LIMIT = 1000  # the core specification's cap when no page is asked for
PAGE_SIZE, MAX_PAGE_SIZE = 50, 500
MAX_RADIUS_M = 100_000
IDEMPOTENCY_KEY_MAX = 64
# Listings are cached (keyed by the newest change, so never stale for report data); this bounds
# how long an edit of a category's name in the admin takes to show.
LIST_CACHE_SECONDS = 60
ORDERINGS = {"requested_datetime": "created_at", "updated_datetime": "updated_at"}

# A listing is the same question (format, language, query) about the same data: the newest
# change to any report versions it (``selectors.data_version``), so a client that has just
# posted, or a clerk who has just closed a report, sees it on the next request.
LISTS = CachedBody("open311:requests", version=data_version, seconds=LIST_CACHE_SECONDS)
# One request: any change to a report, or to the catalogue, is a new version, so a resident
# sees a status change on the next request. The department's name (agency_responsible) may
# take LIST_CACHE_SECONDS to show, as in the listings.
REQUESTS = CachedBody("open311:request", version=request_version, seconds=LIST_CACHE_SECONDS)
# The services: a save of a category, group or question in the admin is a new version.
SERVICES = CachedBody("open311:services", version=CATALOGUE_VERSION, seconds=LIST_CACHE_SECONDS)


@endpoint()
def discovery(request: HttpRequest, *, fmt: str) -> HttpResponse:
    p.check_jurisdiction(p.query(request))
    municipality = current_municipality()
    contact = ""
    if municipality is not None:
        contact = ", ".join(
            x for x in (municipality.name, municipality.email, municipality.phone) if x
        )
    data = {
        "changeset": CHANGESET,
        "contact": contact,
        "key_service": (
            "An administrator of the municipality issues an API token (Admin → API tokens); "
            "send it as api_key."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": f"{settings.SITE_URL}/open311/v2",
                "changeset": CHANGESET,
                "type": "production" if settings.PRODUCTION else "test",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return respond(fmt, data, root="discovery")


@endpoint()
def services(request: HttpRequest, *, fmt: str) -> HttpResponse:
    p.check_jurisdiction(p.query(request))

    def build() -> tuple[bytes, str]:
        data = [serialize.service(c) for c in serialize.services_queryset()]
        built = respond(fmt, data, root="services", item="service")
        return built.content, built["Content-Type"]

    # Only what shapes the answer names it: never the api_key or other parameters.
    return SERVICES.respond(
        request, shared_by=[fmt, translation.get_language() or ""], compute=build
    )


@endpoint()
def service_definition(request: HttpRequest, code: str, *, fmt: str) -> HttpResponse:
    p.check_jurisdiction(p.query(request))
    category = (
        serialize.services_queryset().prefetch_related("attributes").filter(code=code).first()
    )
    if category is None:
        raise Open311Error(404, f"No service with service_code '{code}'.")
    return respond(fmt, serialize.service_definition(category), root="service_definition")


@endpoint("POST")
def requests(request: HttpRequest, *, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _submit(request, fmt)
    params = p.query(request)
    p.check_jurisdiction(params)

    def build() -> tuple[bytes, str]:
        built = _listing(params, fmt)
        return built.content, built["Content-Type"]

    question = [fmt, translation.get_language() or "", request.META.get("QUERY_STRING", "")]
    return LISTS.respond(request, shared_by=question, compute=build)


def _listing(params: p.Params, fmt: str) -> HttpResponse:
    extensions = p.truthy(params, "extensions")
    # A district's boundary is a large GeoJSON polygon the listing never shows: loading and
    # decoding it for each of up to 1000 rows took three quarters of the list's time.
    queryset = serialize.requests_queryset(with_notes=extensions).defer("district__boundary")
    wanted = p.ids(params, "service_request_id")
    if wanted:
        # The specification: a list of ids overrides every other parameter.
        reports = list(queryset.filter(pk__in=wanted[:DEFAULT_LIMIT]))
    else:
        reports = _search(queryset, params)
    data = [serialize.service_request(r, extensions=extensions) for r in reports]
    return respond(fmt, data, root="service_requests", item="request")


def _in_list(params: p.Params, name: str, allowed: set[str], *, lower: bool = False) -> list[str]:
    found = [v.lower() for v in params.csv(name)] if lower else params.csv(name)
    unknown = sorted(set(found) - allowed)
    if unknown:
        raise Open311Error(400, f"Unknown {name} {', '.join(unknown)}.")
    return found


def _search(queryset: QuerySet[Report], params: p.Params) -> list[Report]:
    start, end = p.date_range(params)
    queryset = queryset.filter(created_at__gte=start, created_at__lte=end)
    codes = params.csv("service_code")
    if codes:
        known = set(Category.objects.filter(code__in=codes).values_list("code", flat=True))
        _in_list(params, "service_code", known)
        queryset = queryset.filter(category__code__in=codes)
    statuses = _in_list(params, "status", {"open", "closed"}, lower=True)
    if set(statuses) == {"open"}:
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    elif set(statuses) == {"closed"}:
        queryset = queryset.filter(status__in=CLOSED_STATUSES)
    after, before = p.aware(params, "updated_after"), p.aware(params, "updated_before")
    if after is not None:
        queryset = queryset.filter(updated_at__gte=after)
    if before is not None:
        queryset = queryset.filter(updated_at__lte=before)
    agencies = params.csv("agency_responsible")
    if agencies:
        queryset = queryset.filter(category__department__name__in=agencies)
    text = params.get("search")
    if text is not None:
        queryset = queryset.filter(description__icontains=text.strip())
    queryset = _order(queryset, params)
    queryset = _in_bbox(queryset, params)
    if "page" in params.values or "page_size" in params.values:
        size = p.whole(params, "page_size", default=PAGE_SIZE, high=MAX_PAGE_SIZE)
        page = p.whole(params, "page", default=1, high=1_000_000)
        first, last = (page - 1) * size, page * size
    else:
        first, last = 0, DEFAULT_LIMIT
    circle = _circle(params)
    if circle is None:
        return list(queryset[first:last])
    # The box around the circle narrows the rows in SQL; the exact distance decides.
    lat, lon, radius = circle
    min_lon, min_lat, max_lon, max_lat = geo.bbox_around(lat, lon, radius)
    candidates = queryset.filter(
        lat__gte=min_lat, lat__lte=max_lat, lon__gte=min_lon, lon__lte=max_lon
    ).values_list("pk", "lat", "lon")
    inside = [pk for pk, a, b in candidates if geo.distance_m(lat, lon, a, b) <= radius]
    chosen = inside[first:last]
    by_pk = {r.pk: r for r in queryset.filter(pk__in=chosen)}
    return [by_pk[pk] for pk in chosen if pk in by_pk]


def _order(queryset: QuerySet[Report], params: p.Params) -> QuerySet[Report]:
    order_by = params.get("order_by")
    if order_by is None:
        return queryset.order_by("-created_at", "-pk")
    field = ORDERINGS.get(order_by.lstrip("-"))
    if field is None:
        raise Open311Error(
            400, f"order_by must be one of {', '.join(ORDERINGS)} (- for newest first)."
        )
    sign = "-" if order_by.startswith("-") else ""
    return queryset.order_by(f"{sign}{field}", f"{sign}pk")


def _circle(params: p.Params) -> tuple[float, float, float] | None:
    lat = p.number(params, "lat", low=-90, high=90)
    lon = p.number(params, "long", low=-180, high=180)
    radius = p.number(params, "radius", low=1, high=MAX_RADIUS_M)
    if lat is None and lon is None and radius is None:
        return None
    if lat is None or lon is None or radius is None:
        raise Open311Error(400, "lat, long and radius (metres) go together.")
    return lat, lon, radius


def _in_bbox(queryset: QuerySet[Report], params: p.Params) -> QuerySet[Report]:
    value = params.get("bbox")
    if value is None:
        return queryset
    try:
        min_lon, min_lat, max_lon, max_lat = (float(v) for v in value.split(","))
    except ValueError as exc:
        raise Open311Error(400, "bbox must be min_lon,min_lat,max_lon,max_lat.") from exc
    if not (
        geo.valid_point(min_lat, min_lon)
        and geo.valid_point(max_lat, max_lon)
        and min_lon <= max_lon
        and min_lat <= max_lat
    ):
        raise Open311Error(400, "bbox must be min_lon,min_lat,max_lon,max_lat within range.")
    return queryset.filter(lat__gte=min_lat, lat__lte=max_lat, lon__gte=min_lon, lon__lte=max_lon)


@csrf_exempt
def unknown(request: HttpRequest, rest: str) -> HttpResponse:
    """A path this API does not have: 404 in the standard's shape (XML for a .xml path)."""
    fmt = "xml" if rest.endswith(".xml") else "json"
    return error(fmt, 404, "No such Open311 endpoint: see discovery.json.")


@endpoint()
def service_request(request: HttpRequest, request_id: str, *, fmt: str) -> HttpResponse:
    params = p.query(request)
    p.check_jurisdiction(params)
    extensions = p.truthy(params, "extensions")
    if not (request_id.isascii() and request_id.isdigit() and len(request_id) <= 18):
        raise Open311Error(404, f"No service request with id '{request_id}'.")
    pk = int(request_id)

    def build() -> tuple[bytes, str]:
        queryset = serialize.requests_queryset(with_notes=extensions)
        report = queryset.filter(pk=pk).first()
        if report is None:  # raised, so never cached
            raise Open311Error(404, f"No service request with id '{request_id}'.")
        data = [serialize.service_request(report, extensions=extensions)]
        built = respond(fmt, data, root="service_requests", item="request")
        return built.content, built["Content-Type"]

    # Only what shapes the answer names it (never the api_key or other parameters).
    question = [pk, fmt, extensions, translation.get_language() or ""]
    return REQUESTS.respond(request, shared_by=question, compute=build)


@endpoint()
def token(request: HttpRequest, token: str, *, fmt: str) -> HttpResponse:
    p.check_jurisdiction(p.query(request))
    try:
        value = uuid.UUID(token)
    except ValueError:
        value = None
    report = Report.objects.public().filter(token=value).first() if value else None
    if report is None:
        raise Open311Error(404, f"No service request with token '{token}'.")
    data = [{"service_request_id": str(report.pk), "token": token}]
    return respond(fmt, data, root="service_requests", item="request")


@endpoint()
def request_updates(request: HttpRequest, *, fmt: str) -> HttpResponse:
    params = p.query(request)
    p.check_jurisdiction(params)
    start, end = p.date_range(params)
    updates = serialize.updates_queryset().filter(created_at__gte=start, created_at__lte=end)
    data = [serialize.request_update(u) for u in updates[:DEFAULT_LIMIT]]
    return respond(fmt, data, root="service_request_updates", item="request_update")


# --- Submitting --------------------------------------------------------------------------


def _plain(value: str | None) -> str:
    return html.unescape(strip_tags(value or "")).strip()


def _location(params: p.Params) -> Location:
    lat, lon = params.get("lat"), params.get("long")
    address = _plain(params.get("address_string"))[:300]
    if lat is not None or lon is not None:
        if not geo.valid_point(lat, lon):
            raise Open311Error(400, "lat and long must be a valid WGS84 point.")
        return Location(lat=float(lat or 0), lon=float(lon or 0), address=address)
    if address:
        # The standard allows an address instead of a point; the geocoder places it.
        if not geocoding.enabled():
            raise Open311Error(
                400,
                "address_string cannot be placed here (address search is off): send lat and long.",
            )
        found = geocoding.places(address, language="el", limit=1)
        if not found:
            raise Open311Error(
                400,
                f"address_string '{address}' was not found in the municipality: send lat and long.",
            )
        return Location(lat=found[0].lat, lon=found[0].lon, address=address)
    if params.get("address_id"):
        raise Open311Error(
            400, "This server has no address registry for address_id: send lat and long."
        )
    raise Open311Error(400, "A location is required: lat and long, or address_string.")


def _contact(params: p.Params) -> dict[str, str]:
    email = (params.get("email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise Open311Error(400, "email is not a valid email address.") from exc
    phone = (params.get("phone") or "").strip()
    if len(phone) > 30:
        raise Open311Error(400, "phone must be at most 30 characters.")
    name = " ".join(_plain(params.get(n)) for n in ("first_name", "last_name")).strip()
    return {"email": email, "phone": phone, "name": name[:200]}


def _media_url(params: p.Params) -> str:
    url = (params.get("media_url") or "").strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as exc:
            raise Open311Error(400, "media_url must be an http or https URL.") from exc
    return url


def _media(request: HttpRequest) -> list[ProcessedPhoto]:
    """Photos sent as multipart ``media`` parts, checked before anything is filed."""
    files = request.FILES.getlist("media") if request.FILES else []
    limit = conf.MAX_PHOTOS
    if len(files) > limit:
        raise Open311Error(400, f"At most {limit} media files can be sent with a request.")
    processed = []
    for file in files:
        try:
            processed.append(process_upload(file))
        except PhotoError as exc:
            with translation.override("en"):
                raise Open311Error(400, f"media '{file.name}': {exc}") from exc
    return processed


def _idempotency_key(request: HttpRequest, token_pk: int) -> str | None:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return None
    if len(key) > IDEMPOTENCY_KEY_MAX or not key.isprintable():
        raise Open311Error(
            400, f"Idempotency-Key must be at most {IDEMPOTENCY_KEY_MAX} characters."
        )
    # Keys are per API key: two clients choosing the same key never see each other's report.
    return f"open311:{token_pk}:{key}"


def _submit(request: HttpRequest, fmt: str) -> HttpResponse:
    params = p.body(request)
    api_token = p.api_key(params)
    p.check_jurisdiction(params)
    code = params.get("service_code")
    if code is None:
        raise Open311Error(400, "service_code is required.")
    category = Category.objects.filter(code=code.strip(), is_active=True).first()
    if category is None:
        raise Open311Error(400, f"Unknown service_code '{code}'.")
    location = _location(params)
    try:
        answers = validate_attributes(category, params.attributes())
    except InvalidAttributes as exc:
        raise Open311Error(400, f"Invalid attributes: {exc}") from exc
    description = _plain(params.get("description"))
    if len(description) > DESCRIPTION_MAX:
        raise Open311Error(400, f"description must be at most {DESCRIPTION_MAX} characters.")
    contact = _contact(params)
    media_url = _media_url(params)
    photos = _media(request)
    report, created = submit_report(
        category=category,
        location=location,
        description=description,
        attributes=answers,
        email=contact["email"],
        name=contact["name"],
        phone=contact["phone"],
        source=Report.Source.API,
        idempotency_key=_idempotency_key(request, api_token.pk),
        actor=api_token.user,
        request=request,
    )
    if created and photos:
        add_photos(report=report, files=photos, actor=api_token.user, request=request)
    elif created and media_url:
        # Fetched by a worker: a slow or dead link never holds up the client's answer.
        enqueue_on_commit(attach_media_url, report.pk, media_url)
    data: list[dict[str, Any]] = [
        {
            "service_request_id": str(report.pk),
            "service_notice": report.category.notice,
            "account_id": params.get("account_id"),
        }
    ]
    return respond(
        fmt, data, root="service_requests", item="request", status=201 if created else 200
    )
