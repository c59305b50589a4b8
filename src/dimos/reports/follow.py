"""Views for following reports and districts, and the nearby-reports lookup."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.accounts.models import User
from dimos.core.geo import valid_point
from dimos.core.models import District
from dimos.reports import selectors, subscriptions
from dimos.reports.models import Report, Subscription


@login_required
@require_POST
def follow_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(Report.objects.public(), pk=pk)
    user: User = request.user  # type: ignore[assignment]
    _subscription, created = subscriptions.follow_report(report=report, user=user, request=request)
    messages.success(
        request,
        _("You follow this report: we will tell you when it changes.")
        if created
        else _("You already follow this report."),
    )
    return redirect("reports:detail", pk=pk)


@login_required
@require_POST
def unfollow_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop following a report: the button beside "You follow this report"."""
    user: User = request.user  # type: ignore[assignment]
    subscription = Subscription.objects.filter(report_id=pk, user=user).first()
    if subscription is not None:
        subscriptions.unsubscribe(subscription=subscription, request=request)
        messages.success(request, _("You no longer follow this report."))
    return redirect("reports:detail", pk=pk)


@login_required
@require_POST
def follow_district(request: HttpRequest, code: str) -> HttpResponse:
    district = get_object_or_404(District, code=code)
    user: User = request.user  # type: ignore[assignment]
    subscriptions.follow_district(district=district, user=user, request=request)
    messages.success(
        request,
        _("You follow %(district)s: we will tell you about changes to its reports.")
        % {"district": district.name},
    )
    return redirect(f"{reverse('reports:list')}?district={district.code}")


def unsubscribe(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """A link in every message: a page with a button, so mail scanners cannot unsubscribe."""
    subscription = get_object_or_404(
        Subscription.objects.select_related("report", "district"), token=token
    )
    if request.method == "POST":
        subscriptions.unsubscribe(subscription=subscription, request=request)
        messages.success(request, _("You will no longer receive these messages."))
        return redirect("reports:list")
    return render(request, "reports/unsubscribe.html", {"subscription": subscription})


def nearby(request: HttpRequest) -> JsonResponse:
    """Open reports of a category near a point, for "someone already reported this"."""
    try:
        category = int(request.GET.get("category", ""))
        lat, lon = float(request.GET.get("lat", "")), float(request.GET.get("lon", ""))
    except ValueError:
        return JsonResponse({"error": "category, lat and lon are required numbers"}, status=400)
    if not valid_point(lat, lon):
        return JsonResponse({"error": "lat/lon out of range"}, status=400)
    reports = selectors.nearby_open(category_id=category, lat=lat, lon=lon)
    return JsonResponse(
        {
            "reports": [
                {
                    "id": r.pk,
                    "status": str(r.get_status_display()),
                    "distance_m": r.distance_m,  # type: ignore[attr-defined]
                    "created_at": r.created_at.isoformat(),
                    "description": r.description[:200],
                    "url": reverse("reports:detail", args=[r.pk]),
                }
                for r in reports
            ]
        }
    )
