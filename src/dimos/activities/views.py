"""The public pages at /activities/: the catalogue, a programme, the iCalendar feed, and a
family's pages (children, registering, my places, tickets and certificates)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.activities import documents, ics, selectors, services
from dimos.activities.forms import ChildForm, FilterForm, RegisterForm
from dimos.activities.models import (
    Child,
    Material,
    Programme,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
)
from dimos.core.pagecache import cache_anonymous_page

PAGE_SIZE = 24


@cache_anonymous_page(timeout=60, prefix="activities")
def catalogue(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.Filters(
        age=data.get("age"),
        subject=data.get("subject") or "",
        day=data.get("day"),
        where=data.get("where") or "",
        audience=data.get("audience") or "",
    )
    page = Paginator(selectors.catalogue(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    programmes = list(page)
    starts = selectors.next_sessions(programmes)
    for programme in programmes:
        programme.next_start = starts.get(programme.pk)  # type: ignore[attr-defined]
        programme.left = max(0, programme.capacity - programme.taken)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "activities/catalogue.html",
        {"form": form, "page": page, "programmes": programmes, "query": query.urlencode()},
        status=200 if not form.errors else 400,
    )


def _visible(request: HttpRequest, pk: int) -> Programme:
    programme = get_object_or_404(Programme, pk=pk)
    if programme.status == ProgrammeStatus.DRAFT and not services.can_manage(
        request.user, programme
    ):
        raise Http404
    return programme


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _visible(request, pk)
    mine: list[Registration] = []
    confirmed = False
    if request.user.is_authenticated:
        mine = selectors.active_registrations(request.user, programme)
        confirmed = any(r.status == RegistrationStatus.CONFIRMED for r in mine)
        for registration in mine:
            registration.position = services.waitlist_position(registration)  # type: ignore[attr-defined]
    sessions = list(selectors.upcoming_sessions(programme)[:50])
    started = programme.sessions.filter(starts_at__lte=timezone.now()).exists()
    materials = [
        m for m in programme.materials.all() if confirmed and (started or not m.after_session)
    ]
    response = render(
        request,
        "activities/detail.html",
        {
            "programme": programme,
            "sessions": sessions,
            "left": services.seats_left(programme),
            "mine": mine,
            "confirmed": confirmed,
            "materials": materials,
            "open": programme.registration_open(),
            "now": timezone.now(),
        },
    )
    response["Cache-Control"] = "private, no-cache"
    return response


def feed(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    programme = _visible(request, pk) if pk is not None else None
    return ics.response(selectors.feed_sessions(programme))


@login_required
def family(request: HttpRequest) -> HttpResponse:
    """The guardian's children: add one (with consent), remove one."""
    form = ChildForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                child = services.add_child(
                    guardian=request.user,  # type: ignore[arg-type]
                    first_name=form.cleaned_data["first_name"],
                    birth_year=form.cleaned_data["birth_year"],
                    consent=form.cleaned_data["consent"],
                    consent_version=form.cleaned_data["consent_version"],
                    request=request,
                )
            except services.ActivityError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("%(name)s was added.") % {"name": child.first_name})
                return redirect(request.GET.get("next") or "activities:family")
        status = 400
    return render(
        request,
        "activities/family.html",
        {"form": form, "children": selectors.children_of(request.user)},
        status=status,
    )


@login_required
@require_POST
def remove_child(request: HttpRequest, pk: int) -> HttpResponse:
    child = get_object_or_404(Child, pk=pk, guardian=request.user)
    services.remove_child(child=child, actor=request.user, request=request)  # type: ignore[arg-type]
    messages.success(request, _("%(name)s was removed.") % {"name": child.first_name})
    return redirect("activities:family")


@login_required
def register(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _visible(request, pk)
    children = list(selectors.children_of(request.user))
    form = RegisterForm(request.POST or None, programme=programme, children=children)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                registration = services.register(
                    programme=programme,
                    account=request.user,  # type: ignore[arg-type]
                    child=form.child(),
                    team_name=form.cleaned_data.get("team_name", ""),
                    request=request,
                )
            except services.ActivityError as exc:
                form.add_error(None, str(exc.message))
            else:
                if registration.status == RegistrationStatus.CONFIRMED:
                    messages.success(
                        request,
                        _("%(who)s has a place in “%(title)s”.")
                        % {"who": registration.participant, "title": programme.title},
                    )
                else:
                    messages.info(
                        request,
                        _(
                            "The programme is full: %(who)s is on the waitlist, number "
                            "%(position)s. We will tell you when a place frees up."
                        )
                        % {
                            "who": registration.participant,
                            "position": services.waitlist_position(registration),
                        },
                    )
                return redirect("activities:mine")
        status = 400
    return render(
        request,
        "activities/register.html",
        {
            "programme": programme,
            "form": form,
            "children": children,
            "left": services.seats_left(programme),
            "open": programme.registration_open(),
        },
        status=status,
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    registrations = list(selectors.registrations_of(request.user)[:200])
    for registration in registrations:
        registration.position = services.waitlist_position(registration)  # type: ignore[attr-defined]
        registration.certificate_ready = documents.certificate_ready(registration)  # type: ignore[attr-defined]
    active = [r for r in registrations if r.active]
    past = [r for r in registrations if not r.active]
    return render(
        request,
        "activities/mine.html",
        {
            "active": active,
            "past": past,
            "children": selectors.children_of(request.user),
        },
    )


def _own(request: HttpRequest, pk: int) -> Registration:
    return get_object_or_404(
        Registration.objects.select_related("programme", "child"), pk=pk, account=request.user
    )


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    registration = _own(request, pk)
    run = {"confirm": services.confirm_offer, "cancel": services.cancel_registration}.get(action)
    if run is None:
        raise Http404
    try:
        actor: Any = request.user
        run(registration=registration, actor=actor, request=request)
    except services.ActivityError as exc:
        messages.error(request, str(exc.message))
    else:
        if action == "confirm":
            messages.success(request, _("The place is confirmed."))
        else:
            messages.success(request, _("The registration was cancelled."))
    return redirect("activities:mine")


@login_required
def ticket(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _own(request, pk)
    if not registration.programme.check_in or registration.status != RegistrationStatus.CONFIRMED:
        raise Http404
    return render(
        request,
        "activities/ticket.html",
        {"registration": registration, "qr": documents.ticket_qr_svg(request, registration)},
    )


@login_required
def material(request: HttpRequest, pk: int, material_pk: int) -> FileResponse:
    item = get_object_or_404(
        Material.objects.select_related("programme"), pk=material_pk, programme_id=pk
    )
    if not item.file or not selectors.has_confirmed_place(request.user, item.programme):
        raise Http404
    response = FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.file.name.rsplit("/", 1)[-1]
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _own(request, pk)
    if not documents.certificate_ready(registration):
        raise Http404
    pdf = documents.certificate_pdf(registration, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="attendance-{registration.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
