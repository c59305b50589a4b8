"""The organisers' pages: their programmes, one programme with its sessions, registrations
and waitlist, attendance per session, messages, materials, the list's export, check-in.

An organiser sees only their own programmes; a coordinator sees every programme but its
participants only when among its organisers. Every look at the participants is audited.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.activities import selectors, services
from dimos.activities.forms import (
    CheckInForm,
    MaterialForm,
    MessageForm,
    MoveForm,
    ProgrammeForm,
    ReasonForm,
)
from dimos.activities.models import Programme, RegistrationStatus, Session
from dimos.core.permissions import staff_required

VIEW = "activities.view_programme"
CHANGE = "activities.change_programme"


def _programme(request: HttpRequest, pk: int) -> Programme:
    programme = get_object_or_404(Programme, pk=pk)
    if not services.can_manage(request.user, programme):
        raise Http404
    return programme


@staff_required(perm=VIEW)
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = Paginator(selectors.programmes_for_staff(request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "activities/staff/list.html",
        {"page": programmes, "all": request.user.has_perm(services.MANAGE_ALL)},
    )


def _map() -> dict[str, str]:
    return {
        "tile_url": settings.DIMOS_TILE_URL,
        "tile_attribution": settings.DIMOS_TILE_ATTRIBUTION,
    }


def _programme_fields(form: ProgrammeForm) -> dict[str, Any]:
    return {name: form.cleaned_data.get(name) for name in form.Meta.fields}


@staff_required(perm=CHANGE)
def programme_new(request: HttpRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = _programme_fields(form)
        fields["organisers"] = list(form.cleaned_data.get("organisers") or [])
        try:
            programme = services.create_programme(
                actor=request.user,  # type: ignore[arg-type]
                request=request,
                publish="publish" in request.POST,
                **fields,
            )
        except services.ActivityError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The programme was saved."))
            return redirect("activities_staff:detail", pk=programme.pk)
    return render(
        request,
        "activities/staff/form.html",
        {"form": form, "programme": None, **_map()},
        status=400 if request.method == "POST" else 200,
    )


@staff_required(perm=CHANGE)
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    form = ProgrammeForm(
        request.POST or None, instance=Programme.objects.get(pk=pk), user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_programme(
                programme=programme,
                actor=request.user,  # type: ignore[arg-type]
                request=request,
                organisers=form.cleaned_data.get("organisers"),
                **_programme_fields(form),
            )
        except services.ActivityError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The programme was saved."))
            return redirect("activities_staff:detail", pk=programme.pk)
    return render(
        request,
        "activities/staff/form.html",
        {"form": form, "programme": programme, **_map()},
        status=400 if request.method == "POST" else 200,
    )


def _detail_context(request: HttpRequest, programme: Programme, **forms: Any) -> dict[str, Any]:
    sees = services.sees_participants(request.user, programme)
    registrations = list(selectors.participants(programme)) if sees else []
    position = 0
    for registration in registrations:
        if registration.status == RegistrationStatus.WAITLISTED:
            position += 1
            registration.position = position  # type: ignore[attr-defined]
    if sees:
        actor: Any = request.user
        services.record_participants_view(
            programme=programme,
            actor=actor,
            request=request,  # type: ignore[arg-type]
        )
    context = {
        "programme": programme,
        "sessions": list(programme.sessions.all()[:400]),
        "sees": sees,
        "placed": [r for r in registrations if r.holds_seat],
        "waiting": [r for r in registrations if r.status == RegistrationStatus.WAITLISTED],
        "taken": services.seats_taken(programme),
        "materials": programme.materials.all(),
        "now": timezone.now(),
        "message_form": MessageForm(),
        "material_form": MaterialForm(),
        "reason_form": ReasonForm(),
    }
    context.update(forms)
    return context


@staff_required(perm=VIEW)
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    return render(request, "activities/staff/detail.html", _detail_context(request, programme))


@require_POST
@staff_required(perm=CHANGE)
def programme_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    programme = _programme(request, pk)
    actor: Any = request.user
    forms: dict[str, Any] = {}
    form: Any
    try:
        if action == "publish":
            services.publish_programme(programme=programme, actor=actor, request=request)
            messages.success(request, _("The programme is published."))
        elif action == "cancel":
            form = ReasonForm(request.POST)
            forms["reason_form"] = form
            if not form.is_valid():
                raise _Invalid
            services.cancel_programme(
                programme=programme,
                reason=form.cleaned_data["reason"],
                actor=actor,
                request=request,
            )
            messages.success(
                request, _("The programme is cancelled; everyone registered was told.")
            )
        elif action == "message":
            form = MessageForm(request.POST)
            forms["message_form"] = form
            if not form.is_valid():
                raise _Invalid
            count = services.message_participants(
                programme=programme,
                message=form.cleaned_data["message"],
                include_waitlist=form.cleaned_data["include_waitlist"],
                actor=actor,
                request=request,
            )
            messages.success(
                request, _("The message was sent to %(count)s accounts.") % {"count": count}
            )
        elif action == "material":
            form = MaterialForm(request.POST, request.FILES)
            forms["material_form"] = form
            if not form.is_valid():
                raise _Invalid
            services.add_material(
                programme=programme,
                title=form.cleaned_data["title"],
                url=form.cleaned_data["url"],
                file=form.cleaned_data["file"],
                after_session=form.cleaned_data["after_session"],
                actor=actor,
                request=request,
            )
            messages.success(request, _("The material was added."))
        else:
            raise Http404
    except _Invalid:
        return render(
            request,
            "activities/staff/detail.html",
            {**_detail_context(request, programme, **forms), "failed": action},
            status=400,
        )
    except services.ActivityError as exc:
        messages.error(request, str(exc.message))
    return redirect("activities_staff:detail", pk=programme.pk)


class _Invalid(Exception):
    pass


def _session(request: HttpRequest, pk: int, session_pk: int) -> Session:
    programme = _programme(request, pk)
    return get_object_or_404(
        Session.objects.select_related("programme"), pk=session_pk, programme=programme
    )


@staff_required(perm=VIEW)
def attendance(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    """The register of one session: a box per participant with a place."""
    session = _session(request, pk, session_pk)
    programme = session.programme
    actor: Any = request.user
    if not services.sees_participants(request.user, programme):
        raise PermissionDenied
    if request.method == "POST":
        if not request.user.has_perm(CHANGE):
            raise PermissionDenied
        present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        try:
            count = services.record_attendance(
                session=session,
                present=present,
                actor=actor,
                request=request,  # type: ignore[arg-type]
            )
        except services.ActivityError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Attendance saved: %(count)s present.") % {"count": count})
            return redirect("activities_staff:detail", pk=programme.pk)
    services.record_participants_view(
        programme=programme,
        actor=actor,
        what="attendance",
        request=request,  # type: ignore[arg-type]
    )
    marked = {a.registration_id: a.present for a in session.attendance.all()}
    rows = [
        (r, marked.get(r.pk, False))
        for r in selectors.participants(programme).filter(status=RegistrationStatus.CONFIRMED)
    ]
    return render(
        request,
        "activities/staff/attendance.html",
        {"session": session, "programme": programme, "rows": rows, "taken": bool(marked)},
    )


@require_POST
@staff_required(perm=CHANGE)
def session_action(request: HttpRequest, pk: int, session_pk: int, action: str) -> HttpResponse:
    session = _session(request, pk, session_pk)
    actor: Any = request.user
    if action == "cancel":
        form: Any = ReasonForm(request.POST)
    elif action == "move":
        form = MoveForm(request.POST)
    else:
        raise Http404
    if not form.is_valid():
        return render(
            request,
            "activities/staff/session.html",
            {"session": session, "programme": session.programme, "form": form, "action": action},
            status=400,
        )
    try:
        if action == "cancel":
            services.cancel_session(
                session=session, reason=form.cleaned_data["reason"], actor=actor, request=request
            )
            messages.success(request, _("The session is cancelled; everyone registered was told."))
        else:
            services.move_session(
                session=session,
                starts_at=form.cleaned_data["starts_at"],
                reason=form.cleaned_data["reason"],
                actor=actor,
                request=request,
            )
            messages.success(request, _("The session was moved; everyone registered was told."))
    except services.ActivityError as exc:
        messages.error(request, str(exc.message))
    return redirect("activities_staff:detail", pk=pk)


@staff_required(perm=VIEW)
def export(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    if not services.sees_participants(request.user, programme):
        raise PermissionDenied
    body = services.export_csv(programme=programme, actor=request.user, request=request)  # type: ignore[arg-type]
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="programme-{programme.pk}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required(perm=VIEW)
def check_in(request: HttpRequest, code: str = "") -> HttpResponse:
    """Check-in at the door: the ticket's QR opens this page with its code; the organiser
    presses the button (a GET changes nothing)."""
    form = CheckInForm(request.POST or None, initial={"code": code})
    done = None
    status = 200
    actor: Any = request.user
    if request.method == "POST":
        if not request.user.has_perm(CHANGE):
            raise PermissionDenied
        if form.is_valid():
            try:
                done = services.check_in(
                    code=form.cleaned_data["code"],
                    actor=actor,
                    request=request,  # type: ignore[arg-type]
                )
            except services.ActivityError as exc:
                form.add_error("code", str(exc.message))
                status = 400
        else:
            status = 400
    return render(
        request, "activities/staff/check_in.html", {"form": form, "done": done}, status=status
    )
