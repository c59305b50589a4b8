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
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dimos.core.permissions import staff_required
from dimos.core.workflow import Action, StaffActionView, calls
from dimos.deliveries import selectors, services, sources
from dimos.deliveries.forms import DayForm, DeliveredForm, FailedForm, PlanForm
from dimos.deliveries.models import Delivery


def _day(request: HttpRequest) -> tuple[DayForm, dt.date, bool]:
    form = DayForm(request.GET or None)
    day, mine = timezone.localdate(), False
    if form.is_valid():
        day = form.cleaned_data["date"] or day
        mine = form.cleaned_data["mine"]
    return form, day, mine


def _sheet(request: HttpRequest, date: dt.date, mine: bool, page: str) -> list[Delivery]:
    """The day's deliveries, each told whether the reader may see whom and where it is for
    (``shown``), where its source app completes it (``completion``) and its run (``run_id``);
    the views of private recipients audited."""
    deliveries = list(selectors.day_list(day=date, assigned_to=request.user if mine else None))
    runs = selectors.run_of([d.pk for d in deliveries])
    for d in deliveries:
        d.shown = sources.may_see(d, request.user)  # type: ignore[attr-defined]
        d.completion = sources.completion_url(d)  # type: ignore[attr-defined]
        d.run_id = runs.get(d.pk)  # type: ignore[attr-defined]
    services.record_views(
        deliveries=[d for d in deliveries if d.shown],  # type: ignore[attr-defined]
        actor=request.user,  # type: ignore[arg-type]
        page=page,
        request=request,
    )
    return deliveries


@staff_required(perm="deliveries.view_delivery")
def day(request: HttpRequest) -> HttpResponse:
    form, date, mine = _day(request)
    deliveries = _sheet(request, date, mine, "day sheet")
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
    deliveries = _sheet(request, date, mine, "printed day sheet")
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


def _back(delivery: Delivery) -> str:
    return f"{reverse('deliveries:day')}?date={delivery.date:%Y-%m-%d}"


def _delivered(
    request: HttpRequest, delivery: Delivery, form: DeliveredForm
) -> HttpResponse | None:
    if delivery.date > timezone.localdate() and not form.cleaned_data["confirm_early"]:
        # Planned for a later day: a slip of the finger on the wrong row is likely.
        return render(
            request,
            "deliveries/confirm_delivered.html",
            {"delivery": delivery, "form": form, "back": _back(delivery)},
        )
    services.mark_delivered(
        delivery=delivery,
        received_by=form.cleaned_data["received_by"],
        actor=request.user,  # type: ignore[arg-type]
        request=request,
    )
    return None


class DeliveryAction(StaffActionView):
    """Set out, delivered (confirmed when planned for a later day), failed."""

    error = services.DeliveryError
    success_message = gettext_lazy("The delivery was updated.")
    actions = {
        "out": Action(run=calls(services.set_out, "delivery")),
        "delivered": Action(
            form=lambda request, delivery: DeliveredForm(request.POST),
            run=_delivered,
            invalid=gettext_lazy("Write the name of the person who received it."),
        ),
        "failed": Action(
            form=lambda request, delivery: FailedForm(request.POST),
            run=calls(services.mark_failed, "delivery", reason="reason"),
            invalid=gettext_lazy("Write why the delivery failed."),
        ),
    }

    def get_case(self, request: HttpRequest, **kwargs: Any) -> Delivery:
        return get_object_or_404(Delivery, pk=kwargs["pk"])

    def done(self, request: HttpRequest, case: Delivery) -> HttpResponse:
        return redirect(_back(case))


act = require_POST(staff_required(perm="deliveries.change_delivery")(DeliveryAction.as_view()))
