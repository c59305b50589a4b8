"""The public page, the sign-up and the volunteer's own page (/volunteers/me/)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.volunteers import selectors, services, task_pages
from dimos.volunteers.forms import ApplyForm, ConductForm, HoursForm, ProfileForm, ReasonForm
from dimos.volunteers.models import Status, Volunteer


def start(request: HttpRequest) -> HttpResponse:
    """What volunteering is, the public figures, and the way in."""
    return render(
        request,
        "volunteers/start.html",
        {
            "volunteer": selectors.volunteer_of(request.user),
            "figures": selectors.public_figures(),
        },
    )


def _own(request: HttpRequest) -> Volunteer | None:
    return selectors.volunteer_of(request.user)


@login_required
def apply(request: HttpRequest) -> HttpResponse:
    volunteer = _own(request)
    if volunteer is not None and volunteer.status not in (Status.REJECTED, Status.RETIRED):
        return redirect("volunteers:me")
    conduct = services.current_conduct()
    if conduct is None:
        return render(request, "volunteers/closed.html")
    user: Any = request.user
    initial = {"phone": user.phone, "conduct_version": conduct.version}
    form = ApplyForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.apply_to_volunteer(
                    user=user,
                    profile=form.profile(),
                    conduct_version=form.cleaned_data["conduct_version"],
                    request=request,
                )
            except services.VolunteerError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("Thank you. Your application was sent."))
                return redirect("volunteers:me")
        return render(
            request, "volunteers/apply.html", {"form": form, "conduct": conduct}, status=400
        )
    return render(request, "volunteers/apply.html", {"form": form, "conduct": conduct})


def _me_context(request: HttpRequest, volunteer: Volunteer, **forms: Any) -> dict[str, Any]:
    conduct = services.needs_conduct(volunteer)
    context: dict[str, Any] = {
        "volunteer": volunteer,
        "events": volunteer.events.filter(public=True).select_related("actor"),
        "hours_total": selectors.hours_total(volunteer),
        "hours": volunteer.hours.all()[:20],
        "conduct_needed": conduct,
        "conduct_form": ConductForm(initial={"conduct_version": conduct.version})
        if conduct
        else None,
        "profile_form": ProfileForm(volunteer=volunteer),
        "hours_form": HoursForm(),
        "reason_form": ReasonForm(),
        "can_log_hours": volunteer.status in (Status.APPROVED, Status.PAUSED),
        "task_pages": task_pages.pages() if volunteer.status == Status.APPROVED else [],
    }
    context.update(forms)
    return context


@login_required
def me(request: HttpRequest) -> HttpResponse:
    volunteer = _own(request)
    if volunteer is None:
        return redirect("volunteers:start")
    return render(request, "volunteers/me.html", _me_context(request, volunteer))


def _again(request: HttpRequest, volunteer: Volunteer, **forms: Any) -> HttpResponse:
    return render(
        request, "volunteers/me.html", _me_context(request, volunteer, **forms), status=400
    )


@require_POST
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    volunteer = _own(request)
    if volunteer is None:
        return redirect("volunteers:start")
    form = ProfileForm(request.POST, volunteer=volunteer)
    if not form.is_valid():
        return _again(request, volunteer, profile_form=form)
    try:
        services.update_profile(
            volunteer=volunteer,
            profile=form.profile(),
            actor=request.user,  # type: ignore[arg-type]
            request=request,
        )
    except services.VolunteerError as exc:
        form.add_error(None, str(exc.message))
        return _again(request, volunteer, profile_form=form)
    messages.success(request, _("Your details were saved."))
    return redirect("volunteers:me")


@require_POST
@login_required
def hours(request: HttpRequest) -> HttpResponse:
    volunteer = _own(request)
    if volunteer is None:
        return redirect("volunteers:start")
    form = HoursForm(request.POST)
    if not form.is_valid():
        return _again(request, volunteer, hours_form=form)
    try:
        services.log_hours(
            volunteer=volunteer,
            actor=request.user,  # type: ignore[arg-type]
            request=request,
            **form.cleaned_data,
        )
    except services.VolunteerError as exc:
        form.add_error(None, str(exc.message))
        return _again(request, volunteer, hours_form=form)
    messages.success(request, _("Your hours were logged."))
    return redirect("volunteers:me")


@require_POST
@login_required
def conduct(request: HttpRequest) -> HttpResponse:
    volunteer = _own(request)
    if volunteer is None:
        return redirect("volunteers:start")
    form = ConductForm(request.POST)
    if not form.is_valid():
        return _again(request, volunteer, conduct_form=form)
    try:
        services.accept_conduct(
            volunteer=volunteer,
            conduct_version=form.cleaned_data["conduct_version"],
            actor=request.user,  # type: ignore[arg-type]
            request=request,
        )
    except services.VolunteerError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Thank you: you accepted the code of conduct."))
    return redirect("volunteers:me")


@require_POST
@login_required
def step(request: HttpRequest, action: str) -> HttpResponse:
    """The volunteer pauses, resumes or retires themselves."""
    volunteer = _own(request)
    if volunteer is None:
        return redirect("volunteers:start")
    actor: Any = request.user
    try:
        if action == "resume":
            services.resume(volunteer=volunteer, actor=actor, request=request)
        elif action in ("pause", "retire"):
            form = ReasonForm(request.POST)
            if not form.is_valid():
                return _again(request, volunteer, reason_form=form)
            run = services.pause if action == "pause" else services.retire
            run(
                volunteer=volunteer,
                reason=form.cleaned_data["reason"],
                actor=actor,
                request=request,
            )
        else:
            return redirect("volunteers:me")
    except services.VolunteerError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Saved."))
    return redirect("volunteers:me")
