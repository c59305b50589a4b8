"""Staff pages of the core: the audit log and failed notification deliveries."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.core import audit, notifications
from dimos.core.forms import AuditFilterForm
from dimos.core.models import AuditEntry, Delivery
from dimos.portal.permissions import staff_required


def floor(request: HttpRequest) -> HttpResponse:
    """The benchmarks' floor: the full middleware stack around a view that does nothing.

    Mounted only when ``DIMOS_BENCH_FLOOR`` is on (see benchmarks/ and docs/performance.md).
    """
    return HttpResponse(b"ok", content_type="text/plain")


@staff_required(perm="core.view_auditentry")
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    entries = AuditEntry.objects.all()
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            entries = entries.filter(actor_label__icontains=data["actor"])
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
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    audit.record(action="audit.viewed", request=request, details={"query": request.GET.urlencode()})
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "core/audit_log.html", {"form": form, "page": page, "query": query.urlencode()}
    )


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
    if delivery.status != Delivery.Status.SENT:
        notifications.retry_delivery(delivery=delivery, actor=request.user)  # type: ignore[arg-type]
        messages.success(request, _("The notification was queued to be sent again."))
    return redirect("core:deliveries")
