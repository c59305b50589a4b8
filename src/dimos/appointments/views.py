"""The resident's journey: service → centre → day → time → confirm → manage, without JS."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.accounts.models import User
from dimos.appointments import ics, selectors, services
from dimos.appointments.conf import conf
from dimos.appointments.forms import ConfirmForm
from dimos.appointments.models import Booking, Centre, ServiceType
from dimos.appointments.slots import Window, availability, cached_availability, generation
from dimos.core.pagecache import cache_anonymous_page

CALENDAR_DAYS = 14


def _parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


def _float(value: str | None) -> float | None:
    try:
        return float(value or "")
    except ValueError:
        return None


def start(request: HttpRequest) -> HttpResponse:
    services_ = [s for s in selectors.bookable_services() if not s.is_confidential]
    return render(request, "appointments/start.html", {"services": services_})


def support(request: HttpRequest) -> HttpResponse:
    counselling = [s for s in selectors.bookable_services() if s.is_confidential]
    return render(request, "appointments/support.html", {"services": counselling})


def choose_centre(request: HttpRequest, service: str) -> HttpResponse:
    service_ = get_object_or_404(ServiceType, slug=service, is_active=True)
    lat, lon = _float(request.GET.get("lat")), _float(request.GET.get("lon"))
    centres = [
        (c, None if metres is None else metres / 1000)
        for c, metres in selectors.centres_for(service_, lat, lon)
    ]
    if len(centres) == 1 and lat is None:
        return redirect("appointments:calendar", service=service_.slug, centre=centres[0][0].slug)
    return render(
        request,
        "appointments/centres.html",
        {"service": service_, "centres": centres, "located": lat is not None},
    )


def _service_centre(service: str, centre: str) -> tuple[ServiceType, Centre]:
    service_ = get_object_or_404(ServiceType, slug=service, is_active=True)
    centre_ = get_object_or_404(Centre, slug=centre, is_active=True)
    return service_, centre_


def calendar(request: HttpRequest, service: str, centre: str) -> HttpResponse:
    """Two weeks of days with their free times, as plain links (the accessible calendar).

    For visitors not logged in, the whole page is kept as long as the free times it shows
    (the availability generation and today's date are in the key).
    """
    seconds = conf.AVAILABILITY_CACHE_SECONDS
    if seconds <= 0:
        return _calendar(request, service, centre)
    prefix = f"appointments:calendar:{generation()}:{timezone.localdate().isoformat()}"
    cached = cache_anonymous_page(timeout=seconds, prefix=prefix)(_calendar)
    return cached(request, service, centre)


def _calendar(request: HttpRequest, service: str, centre: str) -> HttpResponse:
    service_, centre_ = _service_centre(service, centre)
    today = timezone.localdate()
    window = Window.of(service_)
    first = _parse_day(request.GET.get("from")) or today
    first = min(max(first, today), window.last_day)
    last = first + timedelta(days=CALENDAR_DAYS - 1)
    days = cached_availability(service_, centre_, first, last)
    earlier = first - timedelta(days=CALENDAR_DAYS) if first > today else None
    later = last + timedelta(days=1) if last < window.last_day else None
    return render(
        request,
        "appointments/calendar.html",
        {
            "service": service_,
            "centre": centre_,
            "days": days,
            "earlier": max(earlier, today) if earlier else None,
            "later": later,
        },
    )


@login_required
def day(request: HttpRequest, service: str, centre: str, day: str) -> HttpResponse:
    service_, centre_ = _service_centre(service, centre)
    when = _parse_day(day)
    if when is None:
        raise Http404
    views = availability(service_, centre_, when, when)
    view = views[0] if views else None
    return render(
        request,
        "appointments/day.html",
        {
            "service": service_,
            "centre": centre_,
            "day": when,
            "view": view,
            "problem": _day_problem(service_, when, view),
        },
    )


def _day_problem(service: ServiceType, when: date, view: Any) -> str:
    today = timezone.localdate()
    if when < today:
        return _("This day is in the past.")
    if when > Window.of(service).last_day:
        return _("This day is too far ahead: it cannot be booked yet.")
    if view is not None and view.closed:
        return _("The centre is closed on that day.")
    if view is None or not view.free_slots:
        return _("There is no free time left on that day.")
    return ""


def _taken(request: HttpRequest, exc: services.SlotTaken, move: str = "") -> HttpResponse:
    alternatives = exc.offer_alternatives()
    return render(
        request,
        "appointments/taken.html",
        {
            "error": exc.message,
            "service": exc.slot.service,
            "centre": exc.slot.centre,
            "alternatives": alternatives,
            "move": move,
        },
        status=409,
    )


@login_required
@require_POST
def hold(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        booking = services.hold_slot(
            slot_id=request.POST.get("slot"),
            person=services.Person(user=user),
            request=request,
        )
    except services.SlotTaken as exc:
        return _taken(request, exc)
    except services.BookingError as exc:
        return render(request, "appointments/error.html", {"error": exc.message}, status=400)
    return redirect("appointments:confirm", reference=booking.reference)


def _own_booking(request: HttpRequest, reference: str) -> Booking | None:
    booking = (
        Booking.objects.select_related("service", "centre", "slot", "desk")
        .filter(reference=reference.upper()[:12])
        .first()
    )
    if booking is None:
        return None
    if request.user.is_authenticated and booking.resident_id == request.user.pk:
        return booking
    key = request.GET.get("key", "") or request.POST.get("key", "")
    if key and secrets.compare_digest(key, booking.manage_token):
        return booking
    return None


def _not_yours(request: HttpRequest, reference: str) -> HttpResponse:
    return render(request, "appointments/not_found.html", {"reference": reference[:12]}, status=404)


def _calendar_redirect(booking: Booking) -> HttpResponse:
    return redirect(
        "appointments:calendar", service=booking.service.slug, centre=booking.centre.slug
    )


@login_required
def confirm(request: HttpRequest, reference: str) -> HttpResponse:
    booking = _own_booking(request, reference)
    if booking is None or booking.resident_id != request.user.pk:
        return _not_yours(request, reference)
    if booking.status == Booking.Status.CONFIRMED:
        return redirect("appointments:manage", reference=booking.reference)
    form = ConfirmForm(
        request.POST if request.method == "POST" else None,
        confidential=booking.service.is_confidential,
        mode=booking.service.mode,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_hold(
                booking=booking,
                reason=form.cleaned_data["reason"],
                phone=form.cleaned_data["phone"],
                request=request,
            )
        except services.BookingError as exc:
            messages.error(request, str(exc.message))
            return _calendar_redirect(booking)
        messages.success(request, _("Your appointment is booked."))
        return redirect("appointments:manage", reference=booking.reference)
    if booking.status != Booking.Status.HELD:
        messages.error(request, _("This time is no longer held for you: please choose again."))
        return _calendar_redirect(booking)
    return render(request, "appointments/confirm.html", {"booking": booking, "form": form})


def manage(request: HttpRequest, reference: str) -> HttpResponse:
    booking = _own_booking(request, reference)
    if booking is None:
        return _not_yours(request, reference)
    key = request.GET.get("key", "")
    return render(
        request,
        "appointments/manage.html",
        {
            "booking": booking,
            "can_change": services.can_change(booking),
            "key": key if key == booking.manage_token else "",
        },
    )


def booking_ics(request: HttpRequest, reference: str) -> HttpResponse:
    booking = _own_booking(request, reference)
    if booking is None:
        return _not_yours(request, reference)
    method = "CANCEL" if booking.status == Booking.Status.CANCELLED else "PUBLISH"
    response = HttpResponse(
        ics.booking_calendar(booking, method=method), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="appointment-{booking.reference}.ics"'
    return response


def _manage_redirect(booking: Booking, key: str) -> HttpResponse:
    url = reverse("appointments:manage", args=[booking.reference])
    return redirect(f"{url}?key={key}" if key else url)


def cancel(request: HttpRequest, reference: str) -> HttpResponse:
    """Asks first (a page of its own, so it works without JavaScript), cancels on the answer."""
    booking = _own_booking(request, reference)
    if booking is None:
        return _not_yours(request, reference)
    if request.method != "POST":
        key = request.GET.get("key", "")
        if not services.can_change(booking):
            return _manage_redirect(booking, key)
        return render(
            request,
            "appointments/cancel.html",
            {"booking": booking, "key": key if key == booking.manage_token else ""},
        )
    actor = request.user if request.user.is_authenticated else None
    try:
        services.cancel_booking(booking=booking, actor=actor, request=request)  # type: ignore[arg-type]
        messages.success(request, _("Your appointment is cancelled."))
    except services.BookingError as exc:
        messages.error(request, str(exc.message))
    return _manage_redirect(booking, request.POST.get("key", ""))


def reschedule(request: HttpRequest, reference: str) -> HttpResponse:
    """Pick a new time: the same two-week calendar and day pages, posting back here."""
    booking = _own_booking(request, reference)
    if booking is None:
        return _not_yours(request, reference)
    key = request.GET.get("key", "") or request.POST.get("key", "")
    if not services.can_change(booking):
        messages.error(request, _("This appointment can no longer be changed online."))
        return _manage_redirect(booking, key)
    if request.method == "POST":
        try:
            services.reschedule_booking(
                booking=booking,
                slot_id=request.POST.get("slot"),
                actor=request.user if request.user.is_authenticated else None,  # type: ignore[arg-type]
                request=request,
            )
        except services.SlotTaken as exc:
            return _taken(request, exc, move=booking.reference)
        except services.BookingError as exc:
            messages.error(request, str(exc.message))
            return _manage_redirect(booking, key)
        messages.success(request, _("Your appointment was moved."))
        return _manage_redirect(booking, key)
    today = timezone.localdate()
    when = _parse_day(request.GET.get("day"))
    first = _parse_day(request.GET.get("from")) or today
    first = min(max(first, today), Window.of(booking.service).last_day)
    days = availability(
        booking.service, booking.centre, first, first + timedelta(days=CALENDAR_DAYS - 1)
    )
    chosen = None
    if when is not None:
        found = availability(booking.service, booking.centre, when, when)
        chosen = found[0] if found else None
    return render(
        request,
        "appointments/reschedule.html",
        {
            "booking": booking,
            "days": days,
            "chosen": chosen,
            "when": when,
            "key": key if key == booking.manage_token else "",
            "later": first + timedelta(days=CALENDAR_DAYS),
        },
    )
