"""Core pages: the audit log and failed deliveries (staff), and the geocoder's JSON."""

from __future__ import annotations

from datetime import datetime, time

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dimos.core import audit, geo, geocoding, notifications
from dimos.core.forms import AuditFilterForm
from dimos.core.models import AuditEntry, Delivery
from dimos.core.permissions import staff_required
from dimos.core.ratelimit import over_limit


def _json_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, "details": {}}}, status=status)


def _geocoder_guard(request: HttpRequest) -> JsonResponse | None:
    if not geocoding.enabled():
        return _json_error(404, "geocoder_off", _("Address search is not available here."))
    if over_limit(request, "geocode", settings.DIMOS_GEOCODER_RATE):
        return _json_error(429, "throttled", _("Too many searches. Try again in a minute."))
    return None


@require_GET
def geocode_search(request: HttpRequest) -> JsonResponse:
    """``GET /geocode/search.json?q=…``: places in the municipality matching an address."""
    query = request.GET.get("q", "").strip()
    if not query:
        return _json_error(400, "invalid", _("Type an address or a landmark."))
    refused = _geocoder_guard(request)
    if refused is not None:
        return refused
    found = geocoding.places(query, language=translation.get_language() or "el")
    results = [{"label": p.label, "lat": p.lat, "lon": p.lon} for p in found]
    return JsonResponse({"results": results})


@require_GET
def geocode_reverse(request: HttpRequest) -> JsonResponse:
    """``GET /geocode/reverse.json?lat=…&lon=…``: the address of a point, or null."""
    try:
        lat, lon = float(request.GET["lat"]), float(request.GET["lon"])
    except (KeyError, ValueError):
        return _json_error(400, "invalid", _("lat and lon must be numbers."))
    if not geo.valid_point(lat, lon):
        return _json_error(400, "invalid", _("lat and lon are out of range."))
    refused = _geocoder_guard(request)
    if refused is not None:
        return refused
    address = geocoding.reverse(lat, lon, language=translation.get_language() or "el")
    return JsonResponse({"address": address})


def floor(request: HttpRequest) -> HttpResponse:
    """The benchmarks' floor: the full middleware stack around a view that does nothing.

    Mounted only when ``DIMOS_BENCH_FLOOR`` is on (see benchmarks/ and docs/performance.md).
    """
    return HttpResponse(b"ok", content_type="text/plain")


def _filtered_entries(form: AuditFilterForm, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
    if not form.is_valid():
        return entries
    data = form.cleaned_data
    if data["actor"]:
        text = data["actor"]
        entries = entries.filter(
            Q(actor__email__icontains=text)
            | Q(actor__first_name__icontains=text)
            | Q(actor__last_name__icontains=text)
        )
    if data["action"]:
        entries = entries.filter(action__startswith=data["action"])
    if data["target_type"]:
        entries = entries.filter(target_type=data["target_type"])
    if data["target_id"]:
        entries = entries.filter(target_id=data["target_id"])
    tz = timezone.get_current_timezone()
    if data["since"]:
        entries = entries.filter(created_at__gte=datetime.combine(data["since"], time.min, tz))
    if data["until"]:
        entries = entries.filter(created_at__lte=datetime.combine(data["until"], time.max, tz))
    return entries


def _audit_page(request: HttpRequest, *, confidential: bool) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    entries = _filtered_entries(
        form, AuditEntry.objects.filter(confidential=confidential).select_related("actor")
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    lines = audit.sentences(page)  # read before this reading is itself recorded
    # What was searched is audited; a name typed into "person" is not kept (it may be the
    # name of someone who later erases their account), only that the filter was used.
    query = request.GET.copy()
    for key in ("page", "actor"):
        query.pop(key, None)
    audit.record(
        action="audit.confidential_viewed" if confidential else "audit.viewed",
        request=request,
        details={"query": query.urlencode(), "person_filter": bool(request.GET.get("actor"))},
        confidential=confidential,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_log.html",
        {
            "form": form,
            "page": page,
            "lines": lines,
            "query": query.urlencode(),
            "confidential": confidential,
            "may_read_confidential": audit.can_read_confidential(request.user),
        },
    )


@staff_required(perm="core.view_auditentry")
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit log, less the confidential stream (counselling), as sentences."""
    return _audit_page(request, confidential=False)


@staff_required
def confidential_audit_log(request: HttpRequest) -> HttpResponse:
    """The confidential stream: who booked and who opened counselling sessions.

    Only a counselling supervisor reads it (:func:`dimos.core.audit.can_read_confidential`).
    """
    if not audit.can_read_confidential(request.user):
        raise PermissionDenied
    return _audit_page(request, confidential=True)


@staff_required(perm="core.view_delivery")
def deliveries(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", Delivery.Status.FAILED)
    if status not in Delivery.Status.values:
        status = Delivery.Status.FAILED
    qs = Delivery.objects.filter(status=status).select_related("notification")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/deliveries.html",
        {"page": page, "status": status, "statuses": Delivery.Status.choices},
    )


@staff_required(perm="core.change_delivery")
@require_POST
def retry_delivery(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(Delivery, pk=pk)
    if notifications.retry_delivery(delivery=delivery, actor=request.user):  # type: ignore[arg-type]
        messages.success(request, _("The notification was queued to be sent again."))
    else:
        messages.info(request, _("This notification is already sent or being sent."))
    return redirect("core:deliveries")


@staff_required(perm="core.view_taskworker")
def operations(request: HttpRequest) -> HttpResponse:
    """The background work: workers, running and waiting tasks, tasks recovered, late mail."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from dimos.core.models import TaskWorker
    from dimos.core.workers import lease, queue_health

    now = timezone.now()
    alive_since = now - lease()
    workers = list(TaskWorker.objects.all()[:50])
    alive = {w.worker_id for w in workers if w.stopped_at is None and w.last_seen_at >= alive_since}
    running = [
        {"task": t, "worker": t.worker_ids[-1] if t.worker_ids else "", "alive": False}
        for t in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).order_by(
            "started_at"
        )[:50]
    ]
    for row in running:
        row["alive"] = row["worker"] in alive
    tasks = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    return render(
        request,
        "core/operations.html",
        {
            "health": queue_health(now),
            "workers": [{"worker": w, "alive": w.worker_id in alive} for w in workers],
            "running": running,
            "due": tasks.filter(run_after__lte=now).count()
            + tasks.filter(run_after=_date_max()).count(),
            "scheduled": tasks.filter(run_after__gt=now).exclude(run_after=_date_max()).count(),
            "recovered": AuditEntry.objects.filter(action="task.recovered")[:20],
        },
    )


def _date_max() -> datetime:
    from django_tasks_db.models import get_date_max

    return get_date_max()


def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Uploaded files under MEDIA_ROOT, in development only (``DIMOS_DEBUG``; urls.py).

    Whatever a file holds, it is never run as a page of this site: images of the accepted
    types are shown, anything else is downloaded, and no browser guesses another type.
    """
    from django.views.static import serve

    from dimos.core import images

    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = images.SANDBOX_CSP
    if response.get("Content-Type", "").split(";")[0] not in images.CONTENT_TYPES.values():
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
    return response
