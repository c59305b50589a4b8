"""Public pages of reports: filing one, confirming it, and following it."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dimos.accounts.models import User
from dimos.core import geocoding
from dimos.core.pagecache import cache_anonymous_page
from dimos.core.ratelimit import over_limit
from dimos.core.selectors import current_municipality
from dimos.reports import selectors, services
from dimos.reports.conf import conf
from dimos.reports.forms import ReportForm
from dimos.reports.models import Category, CategoryGroup, Report, Status
from dimos.reports.photos import access_photo

# The public list for visitors is kept this long at most (its key changes with every report).
LIST_CACHE_SECONDS = 600


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.public_report(pk)
    user = request.user if request.user.is_authenticated else None
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "photos": list(report.photos.filter(is_hidden=False)),
            "can_withdraw": services.can_withdraw(report, user),  # type: ignore[arg-type]
            "can_reopen": services.can_reopen(report, user),  # type: ignore[arg-type]
            "is_reporter": user is not None and report.reporter_id == user.pk,
            "following": user is not None and report.subscriptions.filter(user=user).exists(),  # type: ignore[misc]
            "tile_url": settings.DIMOS_TILE_URL,
            "tile_attribution": settings.DIMOS_TILE_ATTRIBUTION,
        },
    )


@login_required
@require_POST
def reporter_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Withdraw or reopen one's own report."""
    report = get_object_or_404(Report, pk=pk, reporter=request.user)
    user: User = request.user  # type: ignore[assignment]
    try:
        if action == "withdraw":
            services.withdraw(report=report, user=user, request=request)
            messages.success(request, _("Your report was withdrawn."))
        elif action == "reopen":
            services.reopen(
                report=report,
                user=user,
                reason=request.POST.get("reason", "")[:2000],
                request=request,
            )
            messages.success(request, _("Your report is open again."))
    except services.ReportError as exc:
        messages.error(request, str(exc))
    return redirect("reports:detail", pk=pk)


def report_list(request: HttpRequest) -> HttpResponse:
    """The public list (the map's equivalent without JavaScript). For visitors not logged in
    the page is kept until any report changes: counting a city's reports for the pages takes
    a large part of a second."""
    version = hashlib.sha256(selectors.data_version().encode()).hexdigest()[:16]
    page = cache_anonymous_page(timeout=LIST_CACHE_SECONDS, prefix=f"reports-list:{version}")
    return page(_report_list)(request)


def _report_list(request: HttpRequest) -> HttpResponse:
    from django.core.paginator import Paginator

    from dimos.core.models import District

    filters = selectors.public_filters(request.GET)
    page = Paginator(selectors.public_list(**filters), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/list.html",
        {
            "page": page,
            "filters": filters,
            "categories": Category.objects.filter(is_active=True),
            "districts": District.objects.all(),
        },
    )


def choose_category(request: HttpRequest) -> HttpResponse:
    groups = CategoryGroup.objects.prefetch_related("categories").order_by("order", "name_el")
    return render(request, "reports/choose.html", {"groups": groups})


def _over_rate(request: HttpRequest) -> bool:
    """At most DIMOS_SUBMISSION_RATE reports ("count/h") per person or address."""
    return over_limit(request, "report", conf.SUBMISSION_RATE)


def _address_search(request: HttpRequest) -> dict[str, Any]:
    """The form page's address search without JavaScript: ``?q=`` lists places to pick."""
    context: dict[str, Any] = {"geocoder": geocoding.enabled(), "query": "", "places": None}
    query = request.GET.get("q", "").strip()[: geocoding.MAX_QUERY]
    if not (context["geocoder"] and query):
        return context
    context["query"] = query
    if over_limit(request, "geocode", settings.DIMOS_GEOCODER_RATE):
        context["search_error"] = _("Too many searches. Try again in a minute.")
        return context
    context["places"] = geocoding.places(query, language=get_language() or "el")
    return context


def new_report(request: HttpRequest, code: str) -> HttpResponse:
    category = get_object_or_404(Category, code=code, is_active=True)
    anonymous = not request.user.is_authenticated
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        category=category,
        anonymous=anonymous,
        initial={
            "submission": uuid.uuid4().hex,
            "lat": request.GET.get("lat"),
            "lon": request.GET.get("lon"),
            "address": request.GET.get("address", "")[:300],
        },
    )
    context: dict[str, Any] = {
        "category": category,
        "form": form,
        **_address_search(request),
        "municipality": current_municipality(),
        "tile_url": settings.DIMOS_TILE_URL,
        "tile_attribution": settings.DIMOS_TILE_ATTRIBUTION,
    }
    if category.notice_blocks:
        return render(request, "reports/form.html", context)
    # The rate is checked before the form: validating decodes the photos, the costly part.
    if request.method == "POST" and _over_rate(request):
        # What was typed is kept; the photos are not even read.
        form = ReportForm(request.POST, category=category, anonymous=anonymous)
        form.add_error(None, _("You have sent many reports in a short time. Try again later."))
        context["form"] = form
        return render(request, "reports/form.html", context, status=429)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report, created = services.submit_report(
                category=category,
                location=services.Location(
                    lat=data["lat"], lon=data["lon"], address=data["address"]
                ),
                description=data["description"],
                attributes=form.answers(),
                reporter=None if anonymous else request.user,  # type: ignore[arg-type]
                email=data.get("email", ""),
                name=data.get("name", ""),
                show_name=data["show_name"],
                idempotency_key=f"web:{data['submission']}",
                request=request,
            )
        except services.ReportError as exc:
            form.add_error("lat", str(exc))
        else:
            # A retried submission finds the report already filed, photos and all.
            if created and data["photos"]:
                services.add_photos(
                    report=report,
                    files=data["photos"],
                    actor=None if anonymous else request.user,  # type: ignore[arg-type]
                    request=request,
                )
            if form.location_from_photo:
                messages.info(
                    request,
                    _("The place was taken from your photo's location. Check it on the map."),
                )
            if report.status == Status.UNCONFIRMED:
                if created:
                    services.ask_confirmation(report=report)
                return render(request, "reports/check_email.html", {"report": report})
            messages.success(request, _("Thank you: your report was received."))
            return redirect("reports:detail", pk=report.pk)
    return render(request, "reports/form.html", context)


def confirm(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    report = get_object_or_404(Report, token=token)
    if request.method == "POST" and report.status == Status.UNCONFIRMED:
        services.change_status(report=report, to=Status.OPEN, actor=None, request=request)
        messages.success(request, _("Thank you: your report is confirmed and on its way."))
        return redirect("reports:detail", pk=report.pk)
    if report.status != Status.UNCONFIRMED:
        return redirect("reports:detail", pk=report.pk)
    return render(request, "reports/confirm.html", {"report": report})


@require_GET
def photo(request: HttpRequest, pk: int, thumbnail: bool = False) -> FileResponse:
    """A photo streamed from storage: MEDIA_URL is never linked, so hidden ones stay hidden."""
    item = access_photo(request.user, pk)
    response = FileResponse(
        (item.thumbnail if thumbnail else item.image).open("rb"), content_type="image/jpeg"
    )
    if item.is_hidden:
        patch_cache_control(response, private=True, no_store=True)
    else:
        # An hour: a photo staff hide drops out of shared caches soon enough.
        patch_cache_control(response, public=True, max_age=3600)
    return response
