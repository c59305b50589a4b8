"""The public page, asking for help online, and the requester's own requests."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dimos.core import geocoding
from dimos.core.ratelimit import over_limit
from dimos.core.selectors import current_municipality
from dimos.relief import consent, figures, selectors, services
from dimos.relief.conf import conf
from dimos.relief.forms import HelpForm
from dimos.relief.models import Method, Relation, ReliefRequest


def start(request: HttpRequest) -> HttpResponse:
    """What the service is, who may ask, the ways to ask (online, the helpline), and the
    public figures of the last 30 days (aggregated, small counts suppressed)."""
    return render(
        request,
        "relief/start.html",
        {
            "municipality": current_municipality(),
            "retention_months": conf.RETENTION_MONTHS,
            "unhelped_days": conf.UNHELPED_RETENTION_DAYS,
            "figures": figures.public_figures(),
        },
    )


def address_search(request: HttpRequest) -> dict[str, Any]:
    """The address search without JavaScript: ``?q=`` lists places in the municipality to
    pick, each a link that fills in the address and its point; and what the map that sets
    the point needs (its tiles)."""
    context: dict[str, Any] = {
        "geocoder": geocoding.enabled(),
        "query": "",
        "places": None,
        "tile_url": settings.DIMOS_TILE_URL,
        "tile_attribution": settings.DIMOS_TILE_ATTRIBUTION,
    }
    query = request.GET.get("q", "").strip()[: geocoding.MAX_QUERY]
    if not (context["geocoder"] and query):
        return context
    context["query"] = query
    if over_limit(request, "geocode", settings.DIMOS_GEOCODER_RATE):
        context["search_error"] = _("Too many searches. Try again in a minute.")
        return context
    context["places"] = geocoding.places(query, language=get_language() or "el")
    return context


def _picked(request: HttpRequest) -> dict[str, Any]:
    """A place chosen from the search (``?lat=&lon=&address=``) fills in the form."""
    picked: dict[str, Any] = {}
    for name in ("lat", "lon", "address"):
        if request.GET.get(name):
            picked[name] = request.GET[name][:300]
    return picked


@login_required
def ask(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    initial: dict[str, Any] = {"relation": Relation.SELF, "language": get_language() or "el"}
    initial.update(_picked(request))
    form = HelpForm(request.POST or None, initial=initial)
    context = {"form": form, "consent": consent.text(), **address_search(request)}
    if request.method != "POST":
        return render(request, "relief/ask.html", context)
    if form.is_valid():
        try:
            asked = services.ask_for_help(
                person=form.person(),
                needs=form.needs(),
                actor=user,
                channel=Method.ONLINE,
                relation=form.cleaned_data["relation"],
                consent_version=form.cleaned_data["consent_version"],
                submission_key=form.cleaned_data.get("submission_key") or "",
                food_claim=form.claim(),
                request=request,
                **form.when(),
            )
        except services.ReliefError as exc:
            form.add_error("address" if exc.code == "outside" else None, str(exc.message))
        else:
            if asked.merged:
                messages.info(
                    request,
                    _(
                        "There was already a request for this person on that day: what you "
                        "asked for was added to it."
                    ),
                )
            elif not asked.repeated:
                messages.success(request, _("Thank you. Your request for help was received."))
            return redirect("relief:detail", pk=asked.request.pk)
    return render(request, "relief/ask.html", context, status=400)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "relief/mine.html", {"requests": selectors.own_requests(request.user)})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The requester's view of one request: what, when, where it is. Only theirs."""
    req = get_object_or_404(
        ReliefRequest.objects.select_related("beneficiary").prefetch_related("needs"),
        pk=pk,
        requester=request.user,
    )
    events = req.events.filter(kind="status")
    return render(request, "relief/detail.html", {"req": req, "events": events})
