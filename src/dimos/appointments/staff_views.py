"""The desk: day view per centre and desk, check-in, no-shows, blocking, callers, feeds."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dimos.accounts.models import User
from dimos.appointments import ics, selectors, services
from dimos.appointments.forms import BlockDayForm, CallerForm, CallerServiceForm, NoteForm
from dimos.appointments.models import Booking, Centre, FeedToken, Slot
from dimos.appointments.slots import SlotView, availability
from dimos.core import audit
from dimos.core.permissions import staff_required
from dimos.core.workflow import Action, StaffActionView, calls


def _day(value: str | None) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return timezone.localdate()


@staff_required(perm="appointments.view_booking")
def day_view(request: HttpRequest) -> HttpResponse:
    centres = list(selectors.desk_centres(request.user))
    if not centres:
        return render(
            request,
            "appointments/staff/day.html",
            {"centres": [], "any_centre": Centre.objects.filter(is_active=True).exists()},
        )
    centre = next((c for c in centres if c.slug == request.GET.get("centre")), centres[0])
    when = _day(request.GET.get("day"))
    bookings = list(
        selectors.desk_bookings(request.user)
        .filter(centre=centre, day=when)
        .exclude(status__in=(Booking.Status.EXPIRED, Booking.Status.RELEASED))
        .select_related("service", "desk", "slot")
        .order_by("starts_at", "desk__name")
    )
    by_desk: dict[str, list[Booking]] = {}
    for b in bookings:
        by_desk.setdefault(b.desk.name if b.desk else _("No desk"), []).append(b)
    slots = list(
        Slot.objects.filter(
            centre=centre,
            starts_at__date=when,
            service__is_confidential=False,
        )
        .select_related("service")
        .order_by("starts_at", "service__name_el")
    )
    return render(
        request,
        "appointments/staff/day.html",
        {
            "centres": centres,
            "centre": centre,
            "day": when,
            "previous": when - timedelta(days=1),
            "next": when + timedelta(days=1),
            "by_desk": sorted(by_desk.items()),
            "slots": slots,
            "block_form": BlockDayForm(),
            "closed": centre.closures.filter(starts_on__lte=when, ends_on__gte=when).exists(),
        },
    )


def _back_to_day(booking_or_slot: Booking | Slot) -> HttpResponse:
    day = timezone.localdate(booking_or_slot.starts_at)
    if booking_or_slot.service.is_confidential:
        url = reverse("appointments_staff:counselling_times")
        return redirect(f"{url}?day={day:%Y-%m-%d}")
    url = reverse("appointments_staff:day")
    return redirect(f"{url}?centre={booking_or_slot.centre.slug}&day={day:%Y-%m-%d}")


def _desk(name: str) -> Action:
    return Action(run=calls(services.desk_action, "booking", action=lambda r, f: name))


class BookingAction(StaffActionView):
    """Cancel for the person, check in, served, no-show: back to the day with a message."""

    error = services.BookingError
    success_message = gettext_lazy("Done.")
    actions = {
        "cancel": Action(run=calls(services.cancel_booking, "booking", by_staff=lambda r, f: True)),
        **{name: _desk(name) for name in services.DESK_TRANSITIONS},
    }

    def get_case(self, request: HttpRequest, **kwargs: Any) -> Booking:
        # Only the bookings of the clerk's own centres; another id answers 404, as if absent.
        return get_object_or_404(
            selectors.desk_bookings(request.user).select_related("centre", "service"),
            pk=kwargs["pk"],
        )

    def done(self, request: HttpRequest, case: Booking) -> HttpResponse:
        return _back_to_day(case)

    def unknown(self, request: HttpRequest, case: Booking) -> HttpResponse:
        messages.error(request, _("Unknown action."))
        return self.done(request, case)


booking_action = staff_required(perm="appointments.change_booking")(
    require_POST(BookingAction.as_view())
)


@staff_required
@require_POST
def block_slot(request: HttpRequest, pk: int) -> HttpResponse:
    """Block or free one time: a clerk at their centres, a confidential service's times only
    its counsellor or supervisor. Any other id answers 404."""
    slot = Slot.objects.select_related("centre", "service").filter(pk=pk).first()
    if slot is None or not selectors.may_manage(request.user, slot.service, slot.centre):
        raise Http404
    services.set_slot_blocked(
        slot=slot,
        blocked=request.POST.get("blocked") == "1",
        actor=request.user,  # type: ignore[arg-type]
        request=request,
    )
    return _back_to_day(slot)


@staff_required(perm="appointments.change_booking")
@require_POST
def block_day(request: HttpRequest, centre: str, day: str) -> HttpResponse:
    centre_ = get_object_or_404(selectors.desk_centres(request.user), slug=centre)
    when = _day(day)
    form = BlockDayForm(request.POST)
    if form.is_valid():
        services.block_day(
            centre=centre_,
            day=when,
            reason=form.cleaned_data["reason"],
            actor=request.user,  # type: ignore[arg-type]
            request=request,
        )
        messages.success(request, _("The day is closed to new bookings."))
    else:
        messages.error(request, _("Give a reason for closing the day."))
    url = reverse("appointments_staff:day")
    return redirect(f"{url}?centre={centre_.slug}&day={when:%Y-%m-%d}")


def _books_for_callers(user: Any) -> bool:
    return bool(
        user.has_perm("appointments.change_booking") or user.has_perm("appointments.counsel")
    )


@staff_required
def caller(request: HttpRequest) -> HttpResponse:
    """Book for a phone caller: pick service, centre and day, then a time and their details.

    Clerks book the ordinary services of their centres; a confidential service only its
    counsellor or supervisor. The time must be one of those offered on the page.
    """
    if not _books_for_callers(request.user):
        raise PermissionDenied
    chooser = CallerServiceForm(request.GET or None, user=request.user)
    free: list[SlotView] = []
    if chooser.is_valid():
        views = availability(
            chooser.cleaned_data["service"],
            chooser.cleaned_data["centre"],
            chooser.cleaned_data["day"],
            chooser.cleaned_data["day"],
        )
        free = views[0].free_slots if views else []
    posted = request.method == "POST"
    form = CallerForm(request.POST if posted else None, free=[s.slot_id for s in free])
    if posted and form.is_valid():
        person = services.Person(
            name=form.cleaned_data["name"],
            phone=form.cleaned_data["phone"],
            email=form.cleaned_data["email"],
        )
        try:
            booking = services.book_slot(
                slot_id=form.cleaned_data["slot"],
                person=person,
                reason=form.cleaned_data["reason"],
                source=Booking.Source.PHONE,
                actor=request.user,  # type: ignore[arg-type]
                request=request,
            )
        except services.BookingError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request,
                _("Booked. Tell the caller their reference: %(ref)s") % {"ref": booking.reference},
            )
            return _back_to_day(booking)
    return render(
        request,
        "appointments/staff/caller.html",
        {"chooser": chooser, "form": form, "free": free},
        status=400 if posted and form.errors else 200,
    )


# --- The staff calendar feed --------------------------------------------------------------------


def _has_feed(user: Any) -> bool:
    return bool(user.has_perm("appointments.view_booking") or user.has_perm("appointments.counsel"))


@staff_required
def feed_link(request: HttpRequest) -> HttpResponse:
    """The person's calendar link: made (shown once), replaced or revoked here."""
    user: User = request.user  # type: ignore[assignment]
    if not _has_feed(user):
        raise PermissionDenied
    raw = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.revoke_feed_link(user=user, request=request)
            messages.success(request, _("The calendar link no longer works."))
            return redirect("appointments_staff:feed_link")
        raw = services.make_feed_link(user=user, request=request)
    token = FeedToken.objects.filter(user=user).first()
    url = request.build_absolute_uri(reverse("appointments_staff:feed", args=[raw])) if raw else ""
    centres = list(selectors.desk_centres(user))
    response = render(
        request,
        "appointments/staff/feed.html",
        {"url": url, "token": token, "centres": centres},
    )
    response["Cache-Control"] = "no-store"  # the page may show the link, once
    return response


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The staff calendar: the URL carries a token instead of a session (stored hashed)."""
    found = FeedToken.find(token)
    if found is None or found.is_expired:
        raise Http404
    user = found.user
    if not (user.is_active and user.is_staff):
        found.delete()  # a deactivated person's link is gone for good, not just paused
        raise Http404
    if not _has_feed(user):
        raise Http404
    FeedToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    since = timezone.localdate() - timedelta(days=7)
    chosen: list[Booking] = []
    if user.has_perm("appointments.view_booking"):
        visible = selectors.desk_bookings(user).filter(status__in=Booking.BOOKED, day__gte=since)
        centre = request.GET.get("centre")
        if centre:
            visible = visible.filter(centre__slug=centre)
        chosen = list(visible.select_related("service", "centre", "slot", "desk"))
    chosen += list(selectors.sessions_for(user).filter(status__in=Booking.BOOKED, day__gte=since))
    return HttpResponse(
        ics.feed(chosen, name=_("Appointments")), content_type="text/calendar; charset=utf-8"
    )


# --- Confidential sessions --------------------------------------------------------------------


@staff_required(perm="appointments.counsel")
def sessions(request: HttpRequest) -> HttpResponse:
    qs = (
        selectors.sessions_for(request.user)
        .filter(status__in=Booking.BOOKED, day__gte=timezone.localdate() - timedelta(days=30))
        .order_by("starts_at")
    )
    rows = list(qs)
    audit.record(
        action="appointment.sessions_listed",
        request=request,
        details={"count": len(rows)},
        confidential=True,
    )
    return render(
        request,
        "appointments/staff/sessions.html",
        {"sessions": rows, "may_read_confidential": audit.can_read_confidential(request.user)},
    )


@staff_required(perm="appointments.counsel")
def session(request: HttpRequest, pk: int) -> HttpResponse:
    booking = get_object_or_404(
        Booking.objects.filter(service__is_confidential=True).select_related(
            "service", "centre", "desk", "slot"
        ),
        pk=pk,
    )
    if not services.can_see_confidential(request.user, booking):
        audit.record(action="appointment.session_denied", target=booking, request=request)
        raise PermissionDenied
    form = NoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            services.add_session_note(
                booking=booking,
                text=form.cleaned_data["text"],
                actor=request.user,  # type: ignore[arg-type]
                request=request,
            )
            messages.success(request, _("The note is saved."))
            return redirect("appointments_staff:session", pk=booking.pk)
    else:
        audit.record(action="appointment.session_viewed", target=booking, request=request)
    return render(
        request,
        "appointments/staff/session.html",
        {"booking": booking, "notes": list(booking.notes.select_related("author")), "form": form},
    )


@staff_required(perm="appointments.counsel")
def counselling_times(request: HttpRequest) -> HttpResponse:
    """The times of the confidential services one holds or supervises, to block or free them.

    Clerks never see these: a counselling time is managed by its counsellor or supervisor.
    """
    when = _day(request.GET.get("day"))
    groups = []
    for service in selectors.counselled_services(request.user):
        for centre in selectors.counselling_centres(request.user, service):
            availability(service, centre, when, when)  # the day's slot rows exist from here on
            slots = list(
                Slot.objects.filter(service=service, centre=centre, starts_at__date=when).order_by(
                    "starts_at"
                )
            )
            if slots:
                groups.append((service, centre, slots))
    slot_ids = [slot.pk for _service, _centre, slots in groups for slot in slots]
    booked = set(
        Booking.objects.filter(slot__in=slot_ids, status__in=Booking.ACTIVE).values_list(
            "slot_id", flat=True
        )
    )
    return render(
        request,
        "appointments/staff/counselling_times.html",
        {
            "booked": booked,
            "day": when,
            "previous": when - timedelta(days=1),
            "next": when + timedelta(days=1),
            "groups": groups,
        },
    )
