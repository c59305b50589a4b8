"""Staff pages: the day's deliveries (printable) and the actions on one delivery."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.core.permissions import staff_required
from dimos.deliveries import selectors, services
from dimos.deliveries.forms import DayForm, DeliveredForm, FailedForm, PlanForm
from dimos.deliveries.models import Delivery


def _day(request: HttpRequest) -> tuple[DayForm, dt.date, bool]:
    form = DayForm(request.GET or None)
    day, mine = timezone.localdate(), False
    if form.is_valid():
        day = form.cleaned_data["date"] or day
        mine = form.cleaned_data["mine"]
    return form, day, mine


@staff_required(perm="deliveries.view_delivery")
def day(request: HttpRequest) -> HttpResponse:
    form, date, mine = _day(request)
    deliveries = selectors.day_list(day=date, assigned_to=request.user if mine else None)
    return render(
        request,
        "deliveries/day.html",
        {
            "form": form,
            "day": date,
            "mine": mine,
            "deliveries": deliveries,
            "previous": date - dt.timedelta(days=1),
            "next": date + dt.timedelta(days=1),
            "delivered_form": DeliveredForm(),
            "failed_form": FailedForm(),
        },
    )


@staff_required(perm="deliveries.view_delivery")
def first_open(request: HttpRequest) -> HttpResponse:
    """The staff home's count leads here: the first day that has deliveries still to make."""
    day = selectors.first_open_day() or timezone.localdate()
    return redirect(f"{reverse('deliveries:day')}?date={day:%Y-%m-%d}")


@staff_required(perm="deliveries.view_delivery")
def day_print(request: HttpRequest) -> HttpResponse:
    _form, date, mine = _day(request)
    deliveries = selectors.day_list(day=date, assigned_to=request.user if mine else None)
    return render(request, "deliveries/print.html", {"day": date, "deliveries": deliveries})


@staff_required(perm="deliveries.change_delivery")
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(Delivery, pk=pk)
    user: Any = request.user
    initial = {
        "date": delivery.date,
        "window_start": delivery.window_start,
        "window_end": delivery.window_end,
        "assigned_to": delivery.assigned_to_id,
    }
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_delivery(
                delivery=delivery, actor=user, request=request, **form.cleaned_data
            )
        except services.DeliveryError:
            messages.error(request, _("This delivery can no longer be changed."))
        else:
            messages.success(request, _("The delivery was planned."))
        return redirect(f"{reverse('deliveries:day')}?date={form.cleaned_data['date']:%Y-%m-%d}")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "deliveries/plan.html", {"delivery": delivery, "form": form}, status=status
    )


@require_POST
@staff_required(perm="deliveries.change_delivery")
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    delivery = get_object_or_404(Delivery, pk=pk)
    back = f"{reverse('deliveries:day')}?date={delivery.date:%Y-%m-%d}"
    try:
        if action == "out":
            services.set_out(delivery=delivery, actor=request.user, request=request)  # type: ignore[arg-type]
        elif action == "delivered":
            form = DeliveredForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Write the name of the person who received it."))
                return redirect(back)
            if delivery.date > timezone.localdate() and not form.cleaned_data["confirm_early"]:
                # Planned for a later day: a slip of the finger on the wrong row is likely.
                return render(
                    request,
                    "deliveries/confirm_delivered.html",
                    {"delivery": delivery, "form": form, "back": back},
                )
            services.mark_delivered(
                delivery=delivery,
                received_by=form.cleaned_data["received_by"],
                actor=request.user,  # type: ignore[arg-type]
                request=request,
            )
        elif action == "failed":
            failed = FailedForm(request.POST)
            if not failed.is_valid():
                messages.error(request, _("Write why the delivery failed."))
                return redirect(back)
            services.mark_failed(
                delivery=delivery,
                reason=failed.cleaned_data["reason"],
                actor=request.user,  # type: ignore[arg-type]
                request=request,
            )
        else:
            return HttpResponse(status=404)
    except services.DeliveryError:
        messages.error(request, _("This delivery can no longer be changed."))
        return redirect(back)
    messages.success(request, _("The delivery was updated."))
    return redirect(back)
