"""Volunteers' pages, at /relief/tasks/: the tasks near them, one task (its address only once
they hold it), taking, declining, handing back, completing with the code, logging hours, and
their history. For approved volunteers; their accounts are residents', not staff."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.backends.utils import csrf_input
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.core.cached import CachedAnswer
from dimos.relief import services, volunteering
from dimos.relief.forms import CodeForm, FailForm, HandBackForm, NameForm, TaskHoursForm
from dimos.relief.models import ENDED_BY_VISIT, ClaimStatus, ReliefRequest
from dimos.relief.selectors import offers_version

# Open tasks listed a page at a time (urgent and soonest first).
LISTED = 20
# A volunteer's tasks and a page of those offered, rendered (our templates' output, escaped
# as it was rendered), and whether they are an approved volunteer at all.
OFFERED_HTML = CachedAnswer("relief:my-tasks", version=offers_version, seconds=900)
CSRF_SLOT = "<!--dimos:csrf-->"


def _volunteer(request: HttpRequest) -> Any:
    return volunteering.volunteer_of(request.user)


@login_required
def tasks(request: HttpRequest) -> HttpResponse:
    """Tasks near me: those I hold, and the open ones that suit me (district, time, kind)."""
    number = (request.GET.get("page") or "1")[:8]

    def content() -> dict[str, Any]:
        volunteer = _volunteer(request)
        if not volunteering.is_approved(volunteer):
            return {"approved": False, "html": ""}
        claims = volunteering.claims_of(volunteer)
        held = claims.filter(status=ClaimStatus.ACTIVE).order_by("delivery__date", "pk")
        page = Paginator(volunteering.offered_ids(volunteer), LISTED).get_page(number)
        rows = volunteering.offered_page(volunteer, list(page.object_list))
        html = render_to_string(
            "relief/tasks/_mine.html",
            {
                "held": [(c, volunteering.summary(c.request)) for c in held],
                "page": page,
                "offered": [(r, volunteering.summary(r)) for r in rows],
                "csrf_slot": mark_safe(CSRF_SLOT),  # noqa: S308 - our constant
            },
            request=request,  # the pagination's links
        )
        return {"approved": True, "html": html}

    # The volunteer's tasks and a page of those offered, kept rendered with a slot for the
    # person's CSRF field (filled in below) until a task, a claim or the volunteer changes,
    # and a quarter of an hour at most (today's visits whose window has ended leave it).
    now = timezone.localtime()
    question = {
        "user": request.user.pk,
        "at": f"{now:%Y-%m-%d %H}:{now.minute // 15}",
        "page": number,
        "language": get_language(),
    }
    kept = OFFERED_HTML.get(question, compute=content).value
    if not kept["approved"]:
        volunteer = _volunteer(request)
        return render(request, "relief/tasks/not_volunteer.html", {"volunteer": volunteer})
    html = mark_safe(kept["html"].replace(CSRF_SLOT, str(csrf_input(request))))  # noqa: S308
    return render(request, "relief/tasks/list.html", {"content": html})


def _task(request: HttpRequest, pk: int) -> tuple[Any, ReliefRequest, Any]:
    """The volunteer, the request and their claim on it; 404 unless it is offered to them
    or they hold (or held) it — no one else learns that it exists."""
    volunteer = _volunteer(request)
    if volunteer is None:
        raise Http404
    req = get_object_or_404(
        ReliefRequest.objects.select_related("beneficiary__district", "delivery").prefetch_related(
            "needs"
        ),
        pk=pk,
    )
    held = volunteering.claim_for(volunteer, req)
    if held is None and not volunteering.suits(volunteer, req):
        raise Http404
    return volunteer, req, held


def _page(request: HttpRequest, pk: int, *, status: int = 200, **forms: Any) -> HttpResponse:
    volunteer, req, held = _task(request, pk)
    details = volunteering.seen_by_holder(held, request.user, request) if held else None
    holding = held is not None and held.status == ClaimStatus.ACTIVE
    offered = not holding and volunteering.suits(volunteer, req)
    context: dict[str, Any] = {
        "req": req,
        "task": volunteering.summary(req),
        "held": held,
        "holding": holding,
        "offered": offered,
        "details": details,
        "needs": req.needs.all() if details else [],
        "code_form": CodeForm(),
        "name_form": NameForm(),
        "fail_form": FailForm(),
        "hand_back_form": HandBackForm(),
        "hours_form": TaskHoursForm(),
        "can_log_hours": held is not None
        and held.status in ENDED_BY_VISIT
        and volunteering.hours_logged(volunteer, req) is None,
        "hours": volunteering.hours_logged(volunteer, req) if held else None,
    }
    context.update(forms)
    # A refused form the page no longer shows (done twice, hours logged twice): its errors
    # go at the top.
    for name, form in forms.items():
        shown = context["can_log_hours"] if name == "hours_form" else holding
        if not shown:
            context["refused_form"] = form
    return render(request, "relief/tasks/detail.html", context, status=status)


@login_required
def task(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, pk)


@require_POST
@login_required
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = _volunteer(request)
    req = get_object_or_404(ReliefRequest, pk=pk)
    try:
        volunteering.claim(req=req, volunteer=volunteer, actor=request.user, request=request)  # type: ignore[arg-type]
    except services.ReliefError as exc:
        messages.error(request, str(exc.message))
        return redirect("relief:tasks")
    messages.success(request, _("The task is yours. Its address is below."))
    return redirect("relief:task", pk=pk)


@require_POST
@login_required
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer, req, _held = _task(request, pk)
    try:
        volunteering.dismiss(req=req, volunteer=volunteer, request=request)
    except services.ReliefError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.info(request, _("The task was taken off your list."))
    return redirect("relief:tasks")


@require_POST
@login_required
def hand_back(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer, req, _held = _task(request, pk)
    form = HandBackForm(request.POST)
    if form.is_valid():
        try:
            volunteering.hand_back(
                req=req, volunteer=volunteer, reason=form.cleaned_data["reason"], request=request
            )
        except services.ReliefError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("You handed the task back. The coordinator was told."))
            return redirect("relief:tasks")
    return _page(request, pk, status=400, hand_back_form=form)


@require_POST
@login_required
def complete(request: HttpRequest, pk: int, how: str) -> HttpResponse:
    """Delivered with the code, delivered with a name and a note, or could not deliver."""
    volunteer, req, _held = _task(request, pk)
    forms_by_how: dict[str, Any] = {"code": CodeForm, "name": NameForm, "fail": FailForm}
    if how not in forms_by_how:
        raise Http404
    form = forms_by_how[how](request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            if how == "code":
                volunteering.complete_with_code(
                    req=req,
                    volunteer=volunteer,
                    code=d["code"],
                    money=form.money(),
                    request=request,
                )
            elif how == "name":
                volunteering.complete_with_name(
                    req=req,
                    volunteer=volunteer,
                    received_by=d["received_by"],
                    note=d["note"],
                    money=form.money(),
                    request=request,
                )
            else:
                if volunteering.claim_for(volunteer, req) is None:
                    raise services.ReliefError(_("You do not hold this task."))
                services.fail_delivery(
                    req=req,
                    reason=d["reason"],
                    actor=volunteer.user,
                    request=request,
                )
        except services.ReliefError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Thank you. The task is done."))
            return redirect("relief:task", pk=pk)
    return _page(request, pk, status=400, **{f"{how}_form": form})


@require_POST
@login_required
def hours(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer, req, _held = _task(request, pk)
    form = TaskHoursForm(request.POST)
    if form.is_valid():
        try:
            volunteering.log_hours(
                req=req,
                volunteer=volunteer,
                hours=form.cleaned_data["hours"],
                description=form.cleaned_data["description"],
                request=request,
            )
        except services.ReliefError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Your hours were logged."))
            return redirect("relief:task", pk=pk)
    return _page(request, pk, status=400, hours_form=form)


@login_required
def history(request: HttpRequest) -> HttpResponse:
    """Every task I held, how it ended, and my hours."""
    from dimos.volunteers.selectors import hours_total

    volunteer = _volunteer(request)
    if volunteer is None:
        return redirect("volunteers:start")
    return render(
        request,
        "relief/tasks/history.html",
        {
            "volunteer": volunteer,
            "claims": [
                (c, volunteering.summary(c.request))
                for c in volunteering.claims_of(volunteer)[:200]
            ],
            "hours_total": hours_total(volunteer),
        },
    )
