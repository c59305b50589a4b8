"""Staff pages of runs: the day's runs, a new run for an area, one run (courier, order, stops),
its printable sheet and its map. Under /staff/deliveries/runs/."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.core.permissions import staff_required
from dimos.deliveries import routes, selectors, services, sources
from dimos.deliveries.conf import conf
from dimos.deliveries.forms import CourierForm, DayForm, NewRunForm, RunAreaForm, StopForm
from dimos.deliveries.models import Delivery, Run

VIEW = "deliveries.view_delivery"
CHANGE = "deliveries.change_delivery"


@dataclass(frozen=True)
class Stop:
    """A delivery as a run's page shows it: its number, whether the reader may see whom and
    where it is for, the metres from the previous located stop."""

    number: int
    delivery: Delivery
    shown: bool
    leg: float | None
    service: str


def source_name(source: str) -> str:
    """The service a delivery comes from, in the reader's language (its app's name)."""
    try:
        return str(apps.get_app_config(source).verbose_name)
    except LookupError:
        return source


def _stops(request: HttpRequest, run: Run, page: str) -> tuple[list[Stop], float]:
    deliveries = selectors.stops_of(run)
    points = [(d.lat, d.lon) if d.has_point else None for d in deliveries]
    legs = routes.legs(points, (conf.START_LAT, conf.START_LON))  # type: ignore[arg-type]
    stops = [
        Stop(n, d, sources.may_see(d, request.user), leg, source_name(d.source))
        for n, (d, leg) in enumerate(zip(deliveries, legs.each, strict=True), 1)
    ]
    services.record_views(
        deliveries=[s.delivery for s in stops if s.shown],
        actor=request.user,  # type: ignore[arg-type]
        page=f"run {run.pk} {page}",
        request=request,
    )
    return stops, legs.total


def _run_context(request: HttpRequest, run: Run, page: str) -> dict[str, Any]:
    stops, total = _stops(request, run, page)
    return {
        "run": run,
        "stops": stops,
        "total_km": total / 1000,
        "unlocated": sum(1 for s in stops if not s.delivery.has_point),
        "start": (conf.START_LAT, conf.START_LON),
    }


@staff_required(perm=VIEW)
def runs(request: HttpRequest) -> HttpResponse:
    """The day's runs, and the areas with deliveries on no run yet."""
    form = DayForm(request.GET or None)
    day = timezone.localdate()
    if form.is_valid() and form.cleaned_data["date"]:
        day = form.cleaned_data["date"]
    waiting: dict[Any, int] = {}
    for delivery in selectors.unbatched(day=day):
        waiting[delivery.district] = waiting.get(delivery.district, 0) + 1
    areas = sorted(waiting.items(), key=lambda item: (item[0] is None, str(item[0] or "")))
    return render(
        request,
        "deliveries/runs.html",
        {
            "form": form,
            "day": day,
            "runs": selectors.runs_of(day),
            "areas": [(district, count) for district, count in areas],
            "no_district": selectors.NO_DISTRICT,
            "previous": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
        },
    )


@staff_required(perm=CHANGE)
def new_run(request: HttpRequest) -> HttpResponse:
    """Pick the day and area, then the deliveries (all the area's unbatched ones proposed) and
    the courier."""
    area_form = RunAreaForm(request.GET or None)
    if not area_form.is_valid():
        status = 400 if request.GET else 200
        return render(request, "deliveries/run_new.html", {"area_form": area_form}, status=status)
    day, area = area_form.cleaned_data["date"], area_form.area()
    proposed = selectors.unbatched(day=day, district=area)
    initial = {"deliveries": [d.pk for d in proposed]}
    data = request.POST if request.method == "POST" else None
    form = NewRunForm(data, proposed=proposed, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.create_run(
                date=day,
                district=None if area == selectors.NO_DISTRICT else area,
                deliveries=list(form.cleaned_data["deliveries"]),
                courier=form.cleaned_data["courier"],
                actor=request.user,  # type: ignore[arg-type]
                request=request,
            )
        except services.RunError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The run was made, in the order of the way."))
            return redirect("deliveries:run", pk=run.pk)
    return render(
        request,
        "deliveries/run_new.html",
        {
            "area_form": area_form,
            "form": form,
            "day": day,
            "area": area,
            "proposed": proposed.exists(),
            "no_district": selectors.NO_DISTRICT,
        },
        status=400 if request.method == "POST" else 200,
    )


def _run(pk: int) -> Run:
    return get_object_or_404(Run.objects.select_related("district", "courier"), pk=pk)


@staff_required(perm=VIEW)
def run(request: HttpRequest, pk: int) -> HttpResponse:
    the_run = _run(pk)
    context = _run_context(request, the_run, "page")
    on_run = [s.delivery.pk for s in context["stops"]]
    addable = selectors.unbatched(day=the_run.date).exclude(pk__in=on_run)
    context.update(
        courier_form=CourierForm(initial={"courier": the_run.courier_id}),
        add_form=StopForm(choices=addable),
        can_add=addable.exists(),
    )
    return render(request, "deliveries/run.html", context)


@staff_required(perm=VIEW)
def run_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    the_run = _run(pk)
    context = _run_context(request, the_run, "sheet")
    context["printed_at"] = timezone.localtime()
    return render(request, "deliveries/run_sheet.html", context)


@staff_required(perm=VIEW)
def run_map(request: HttpRequest, pk: int) -> HttpResponse:
    the_run = _run(pk)
    context = _run_context(request, the_run, "map")
    context["points"] = {
        "start": list(context["start"]),
        "stops": [
            {"n": s.number, "lat": s.delivery.lat, "lon": s.delivery.lon}
            for s in context["stops"]
            if s.shown and s.delivery.has_point
        ],
    }
    context["tile_url"] = settings.DIMOS_TILE_URL
    context["tile_attribution"] = settings.DIMOS_TILE_ATTRIBUTION
    return render(request, "deliveries/run_map.html", context)


def _stop_action(request: HttpRequest, the_run: Run, action: str) -> None:
    actor: Any = request.user
    if action == "add":
        form = StopForm(request.POST, choices=selectors.unbatched(day=the_run.date))
    else:
        form = StopForm(
            request.POST, choices=Delivery.objects.filter(pk__in=the_run.stops.values("delivery"))
        )
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["delivery"]))
        return
    delivery = form.cleaned_data["delivery"]
    if action == "add":
        services.add_stop(run=the_run, delivery=delivery, actor=actor, request=request)
        messages.success(request, _("The delivery was added as the last stop."))
    elif action == "remove":
        services.remove_stop(run=the_run, delivery=delivery, actor=actor, request=request)
        messages.success(request, _("The delivery was taken off the run."))
    else:
        services.move_stop(
            run=the_run, delivery=delivery, up=action == "up", actor=actor, request=request
        )
        messages.success(request, _("The order was changed."))


@require_POST
@staff_required(perm=CHANGE)
def run_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Courier, add, remove, up, down, order along the way, dissolve: each a small form."""
    if action not in {"courier", "add", "remove", "up", "down", "order", "dissolve"}:
        raise Http404
    the_run = _run(pk)
    actor: Any = request.user
    back = redirect("deliveries:run", pk=the_run.pk)
    try:
        if action == "courier":
            form = CourierForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose a courier from the list."))
                return back
            services.set_run_courier(
                run=the_run, courier=form.cleaned_data["courier"], actor=actor, request=request
            )
            messages.success(request, _("The courier was saved on the run and its deliveries."))
        elif action == "order":
            services.order_run(run=the_run, actor=actor, request=request)
            messages.success(request, _("The stops were put in the order of the way."))
        elif action == "dissolve":
            services.dissolve_run(run=the_run, actor=actor, request=request)
            messages.success(request, _("The run was undone; its deliveries can join other runs."))
            return redirect(f"{reverse('deliveries:runs')}?date={the_run.date:%Y-%m-%d}")
        else:
            _stop_action(request, the_run, action)
    except services.RunError as exc:
        messages.error(request, str(exc.message))
    return back
