"""The back office: the coordinators' board, the helpline's intake, one request and its
actions, and the courier's completion with the beneficiary's code."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.accounts.selectors import active_staff
from dimos.core import audit, charts
from dimos.core.cached import CachedAnswer
from dimos.core.images import SANDBOX_CSP
from dimos.core.permissions import staff_required
from dimos.core.selectors import districts
from dimos.core.workflow import Action, StaffActionView, calls
from dimos.relief import consent, figures, recurring, selectors, services, volunteering
from dimos.relief.forms import (
    AssignForm,
    BeneficiaryForm,
    BoardForm,
    CodeForm,
    EligibilityForm,
    FailForm,
    IntakeForm,
    MergeForm,
    NameForm,
    PeriodForm,
    ReasonForm,
    RecurringForm,
    ScheduleForm,
    SearchForm,
    window_of,
)
from dimos.relief.models import Beneficiary, Method, NeedKind, ReliefRequest, Status
from dimos.relief.views import _picked, address_search

VIEW = "relief.view_reliefrequest"
CHANGE = "relief.change_reliefrequest"
COURIER = "deliveries.change_delivery"


def couriers() -> Any:
    return active_staff(permission="change_delivery", app_label="deliveries")


BOARD_PAGE = 50
# The rendered board, per day, filters, page and language, until the next change of what it
# shows (selectors.BOARD_VERSION); the bound keeps a courier's renamed account from lingering.
BOARD = CachedAnswer("relief:board", version=selectors.BOARD_VERSION, seconds=300)


@staff_required(perm=VIEW)
def board(request: HttpRequest) -> HttpResponse:
    """Today's and tomorrow's requests by district and state; those without a courier first,
    fifty to a page. The board's body is the same for every coordinator: it is rendered once
    per change of the requests (:data:`BOARD`) and the page around it per request."""
    today = timezone.localdate()
    days = [today, today + dt.timedelta(days=1)]
    form = BoardForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    district, status = data.get("district"), data.get("status") or ""
    page = request.GET.get("page") or "1"
    # The form's own text too (an invalid choice is shown back with its error).
    question = {
        "query": sorted(request.GET.lists()) if not form.is_valid() else None,
        "today": today.isoformat(),
        "district": district.pk if district is not None else None,
        "status": status,
        "page": page[:8],
        "language": get_language(),
    }

    def body() -> str:
        return _board_body(
            request, form=form, days=days, district=district, status=status, page=page
        )

    entry = BOARD.get(question, compute=body)
    # The body is our template's output, escaped when it was rendered.
    body = mark_safe(entry.value)  # noqa: S308
    return render(request, "relief/staff/board.html", {"body": body})


def _board_body(
    request: HttpRequest,
    *,
    form: BoardForm,
    days: list[dt.date],
    district: Any,
    status: str,
    page: str,
) -> str:
    rows = Paginator(selectors.board(days=days, district=district, status=status), BOARD_PAGE)
    shown = rows.get_page(page)
    counts = selectors.counts(days)
    present = {d for d, _s in counts}
    named: list[tuple[int | None, Any]] = [(d.pk, d.name) for d in districts() if d.pk in present]
    if None in present:
        named.append((None, _("No district")))
    table = [(name, [counts.get((pk, s), 0) for s, _l in Status.choices]) for pk, name in named]
    on_page = list(shown.object_list)
    held = volunteering.holders([r.delivery_id for r in on_page if r.delivery_id])
    for row in on_page:
        row.volunteer_claim = held.get(row.delivery_id or 0)  # type: ignore[attr-defined]
    return render_to_string(
        "relief/staff/board_body.html",
        {
            "form": form,
            "page": shown,
            "days": [(day, [r for r in on_page if r.day == day]) for day in days],
            "statuses": Status.choices,
            "table": table,
        },
        request=request,
    )


def _reused(request: HttpRequest) -> Beneficiary | None:
    pk = request.POST.get("beneficiary") or request.GET.get("beneficiary")
    if not pk or not str(pk).isdigit():
        return None
    beneficiary = Beneficiary.objects.filter(pk=int(pk), erased_at__isnull=True).first()
    if beneficiary is not None:
        services.record_view(target=beneficiary, actor=request.user, request=request)
    return beneficiary


@staff_required(perm=CHANGE)
def new(request: HttpRequest) -> HttpResponse:
    """The helpline's intake, as fast as the call: one page, a search to reuse a record."""
    reuse = _reused(request)
    search = SearchForm(request.GET or None)
    found = None
    if search.is_valid() and search.cleaned_data.get("q"):
        found = list(selectors.search_beneficiaries(search.cleaned_data["q"]))
    initial: dict[str, Any] = {"language": get_language() or "el", "relation": "self"}
    initial.update(_picked(request))
    if reuse is not None:
        initial["beneficiary"] = reuse.pk
    form = IntakeForm(request.POST or None, initial=initial, reuse=reuse)
    context = {
        "form": form,
        "search": search,
        "found": found,
        "reuse": reuse,
        "consent": consent.text(),
        **address_search(request),
    }
    if request.method != "POST":
        return render(request, "relief/staff/new.html", context)
    if form.is_valid():
        d = form.cleaned_data
        try:
            asked = services.ask_for_help(
                person=None if reuse is not None else form.person(),
                beneficiary=reuse,
                needs=form.needs(),
                actor=request.user,  # type: ignore[arg-type]
                channel=Method.PHONE,
                relation=d["relation"],
                consent_version=d["consent_version"],
                caller_name=d.get("caller_name") or "",
                caller_phone=d.get("caller_phone") or "",
                submission_key=d.get("submission_key") or "",
                food_claim=form.claim(),
                request=request,
                **form.when(),
            )
        except services.ReliefError as exc:
            form.add_error(
                "address" if exc.code == "outside" and reuse is None else None, str(exc.message)
            )
        else:
            if asked.merged:
                messages.info(
                    request,
                    _("This person already had a request on that day: the needs were added to it."),
                )
            elif not asked.repeated:
                messages.success(request, _("The request was recorded."))
            return redirect("relief_staff:detail", pk=asked.request.pk)
    return render(request, "relief/staff/new.html", context, status=400)


def _asks_food(req: ReliefRequest) -> bool:
    return any(n.kind == NeedKind.FOOD and not n.declined_reason for n in req.needs.all())


def _accept_form(request: HttpRequest | None, req: ReliefRequest) -> forms.Form:
    """With a food parcel, the acceptance carries the social grocery decision: needed when
    none holds, optional (to record it again) when one does; otherwise no field at all."""
    data = request.POST if request is not None else None
    if not _asks_food(req):
        return forms.Form(data)
    return EligibilityForm(data, required=not req.beneficiary.food_decision_holds())


def _context(req: ReliefRequest, **forms: Any) -> dict[str, Any]:
    recurrence = recurring.current(req)
    context: dict[str, Any] = {
        "asks_food": _asks_food(req),
        "accept_form": _accept_form(None, req) if _asks_food(req) else None,
        "eligibility_form": EligibilityForm(),
        "req": req,
        "beneficiary": req.beneficiary,
        "needs": req.needs.all(),
        "events": req.events.select_related("actor"),
        "reason_form": ReasonForm(),
        "schedule_form": ScheduleForm(
            couriers=couriers(),
            initial={"day": req.day, "window": window_of(req.window_start)},
        ),
        "code_form": CodeForm(),
        "name_form": NameForm(),
        "fail_form": FailForm(),
        "actions": services.WORKFLOW.actions_from(req.status),
        "holder": volunteering.active_claim(req),
        "assign_form": _assign_form(req),
        "recurrence": recurrence,
        "recurrence_medicine": recurrence is not None
        and any(n["kind"] == NeedKind.MEDICINE for n in recurrence.needs),
        "consent_text": consent.text(req.beneficiary.consent_version)
        if req.beneficiary.erased_at is None
        else "",
    }
    context.update(forms)
    return context


def _assign_form(req: ReliefRequest, data: Any = None) -> AssignForm | None:
    """Giving the visit to a volunteer, while it is scheduled and has no courier."""
    delivery = req.delivery
    if req.status != Status.SCHEDULED or delivery is None or delivery.assigned_to_id is not None:
        return None
    return AssignForm(data, volunteers=volunteering.matching_volunteers(req))


def _assign(request: HttpRequest, req: ReliefRequest, form: AssignForm) -> None:
    volunteering.claim(
        req=req,
        volunteer=form.chosen(),
        actor=request.user,  # type: ignore[arg-type]
        request=request,
    )


def _request(pk: int) -> ReliefRequest:
    return get_object_or_404(
        ReliefRequest.objects.select_related(
            "beneficiary__district", "delivery__assigned_to", "requester", "scheduled_by"
        ),
        pk=pk,
    )


@staff_required(perm=VIEW)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = _request(pk)
    services.record_view(target=req, actor=request.user, request=request)
    return render(request, "relief/staff/detail.html", _context(req))


def _schedule(request: HttpRequest, req: ReliefRequest, form: ScheduleForm) -> None:
    actor: Any = request.user
    code = services.schedule(req=req, actor=actor, request=request, **form.schedule_kwargs())
    req.refresh_from_db()
    if req.beneficiary.phone:
        messages.info(
            request, _("The code %(code)s was sent to the person by SMS.") % {"code": code}
        )
    else:
        messages.warning(
            request,
            _("The person has no mobile phone: tell them the code %(code)s by phone.")
            % {"code": code},
        )


def _accept(request: HttpRequest, req: ReliefRequest, form: forms.Form) -> None:
    d = form.cleaned_data
    actor: Any = request.user
    services.accept(
        req=req,
        actor=actor,
        eligibility=d.get("eligibility") or "",
        eligibility_reason=d.get("eligibility_reason") or "",
        request=request,
    )
    if req.needs.filter(kind=NeedKind.FOOD).exclude(declined_reason="").exists():
        messages.warning(
            request,
            _(
                "The person does not qualify for the social grocery: the food parcel was "
                "declined and the person is told why; the rest is accepted."
            ),
        )


def _eligibility(request: HttpRequest, req: ReliefRequest, form: EligibilityForm) -> None:
    services.record_eligibility(
        beneficiary=req.beneficiary,
        decision=form.cleaned_data["eligibility"],
        reason=form.cleaned_data.get("eligibility_reason") or "",
        actor=request.user,  # type: ignore[arg-type]
        request=request,
    )


class RequestAction(StaffActionView):
    """The coordinator's actions on one request; a form with errors shows the page again."""

    error = services.ReliefError
    actions = {
        "accept": Action(form=_accept_form, run=_accept),
        "eligibility": Action(
            form=lambda request, r: EligibilityForm(request.POST), run=_eligibility
        ),
        "decline": Action(
            form=lambda request, r: ReasonForm(request.POST),
            run=calls(services.decline, "req", reason="reason"),
        ),
        "schedule": Action(
            form=lambda request, r: ScheduleForm(request.POST, couriers=couriers()),
            run=_schedule,
        ),
        "close": Action(run=calls(services.close, "req")),
        "assign": Action(
            form=lambda request, r: (
                _assign_form(r, request.POST) or AssignForm(request.POST, volunteers=[])
            ),
            run=_assign,
            success=gettext_lazy("The task was given to the volunteer, who was told."),
        ),
    }

    def get_case(self, request: HttpRequest, **kwargs: Any) -> ReliefRequest:
        return _request(kwargs["pk"])

    def done(self, request: HttpRequest, case: ReliefRequest) -> HttpResponse:
        return redirect("relief_staff:detail", pk=case.pk)

    def form_invalid(
        self, request: HttpRequest, case: ReliefRequest, action: str, form: Any
    ) -> HttpResponse:
        services.record_view(target=case, actor=request.user, request=request)
        name = "reason_form" if action == "decline" else f"{action}_form"
        context = {**_context(case, **{name: form}), "failed": action}
        return render(request, "relief/staff/detail.html", context, status=400)


act = require_POST(staff_required(perm=CHANGE)(RequestAction.as_view()))


# --- Recurring requests ---------------------------------------------------------------------


@staff_required(perm=CHANGE)
def make_recurring(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a request recurring: the form shows the days it will make ("Show the days")
    before the coordinator confirms; without JavaScript too."""
    req = _request(pk)
    services.record_view(target=req, actor=request.user, request=request)
    existing = recurring.current(req)
    if existing is not None and existing.active:
        messages.info(request, _("This request is already recurring."))
        return redirect("relief_staff:detail", pk=req.pk)
    status = 200
    if request.method == "POST":
        form = RecurringForm(request.POST)
        if form.is_valid() and "confirm" in request.POST:
            start, end = form.window_times()
            try:
                _rec, made = recurring.make_recurring(
                    req=req,
                    weekdays=form.plan.weekdays,
                    until=None if form.plan.count else form.plan.until,
                    count=form.plan.count,
                    window_start=start,
                    window_end=end,
                    actor=request.user,  # type: ignore[arg-type]
                    request=request,
                )
            except services.ReliefError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(
                    request,
                    _("The request is recurring. Requests made for the next days: %(n)s.")
                    % {"n": len(made)},
                )
                return redirect("relief_staff:detail", pk=req.pk)
        if not form.is_valid() or form.non_field_errors():
            status = 400
    else:
        form = RecurringForm(
            initial={
                "weekdays": [req.day.weekday()],
                "window": window_of(req.window_start),
                "end": "count",
                "count": 4,
            }
        )
        try:
            form.plan = recurring.plan(weekdays=[req.day.weekday()], count=4)
        except services.ReliefError:
            form.plan = None  # a limit set shorter than four weeks: the form still works
    context = {
        "req": req,
        "form": form,
        "plan": form.plan if status == 200 else None,
        "template": [
            {
                **n,
                "kind_label": NeedKind(n["kind"]).label,
                "ceiling": Decimal(n["ceiling"]) if n["ceiling"] else None,
            }
            for n in recurring.template_of(req)
        ],
        "has_medicine": req.needs.filter(kind=NeedKind.MEDICINE).exists(),
        "max_weeks": recurring.conf.RECURRING_MAX_WEEKS,
        "days_ahead": recurring.conf.RECURRING_DAYS_AHEAD,
    }
    return render(request, "relief/staff/recurring.html", context, status=status)


@require_POST
@staff_required(perm=CHANGE)
def stop_recurring(request: HttpRequest, pk: int) -> HttpResponse:
    req = _request(pk)
    rec = recurring.current(req)
    if rec is None:
        raise Http404
    try:
        recurring.stop(recurrence=rec, actor=request.user, request=request)  # type: ignore[arg-type]
    except services.ReliefError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("The recurring request was stopped: it makes no more requests."),
        )
    return redirect("relief_staff:detail", pk=req.pk)


# --- Couriers -----------------------------------------------------------------------------------


@staff_required(perm=COURIER)
def courier(request: HttpRequest) -> HttpResponse:
    """The courier's relief visits: today's, and those still to make after it."""
    rows = list(selectors.courier_requests(request.user, timezone.localdate()))
    for req in rows:
        services.record_view(target=req, actor=request.user, request=request)
    return render(request, "relief/staff/courier.html", {"requests": rows})


def _own_delivery(request: HttpRequest, pk: int) -> ReliefRequest:
    req = _request(pk)
    if not services.may_deliver(req, request.user):
        raise Http404
    return req


@staff_required(perm=COURIER)
def visit(request: HttpRequest, pk: int) -> HttpResponse:
    """One visit: the address, phone and access notes, the needs, and how to complete it."""
    req = _own_delivery(request, pk)
    services.record_view(target=req, actor=request.user, request=request)
    return render(request, "relief/staff/visit.html", _context(req))


@require_POST
@staff_required(perm=COURIER)
def complete(request: HttpRequest, pk: int, how: str) -> HttpResponse:
    req = _own_delivery(request, pk)
    forms_by_how = {"code": CodeForm, "name": NameForm, "fail": FailForm}
    if how not in forms_by_how:
        raise Http404
    form: Any = forms_by_how[how](request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        actor: Any = request.user
        try:
            if how == "code":
                services.complete_with_code(
                    req=req, code=d["code"], actor=actor, money=form.money(), request=request
                )
            elif how == "name":
                services.complete_with_name(
                    req=req,
                    received_by=d["received_by"],
                    note=d["note"],
                    actor=actor,
                    money=form.money(),
                    request=request,
                )
            else:
                services.fail_delivery(req=req, reason=d["reason"], actor=actor, request=request)
        except services.ReliefError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Saved."))
            return redirect("relief_staff:visit", pk=req.pk)
    services.record_view(target=req, actor=request.user, request=request)
    context = _context(req, **{f"{how}_form": form})
    return render(request, "relief/staff/visit.html", context, status=400)


@staff_required(perm=VIEW)
def receipt(request: HttpRequest, pk: int) -> FileResponse:
    req = _request(pk)
    if not req.receipt:
        raise Http404
    services.record_view(target=req, actor=request.user, request=request)
    response = FileResponse(req.receipt.open("rb"), content_type="image/jpeg")
    if req.receipt.name.endswith(".png"):
        response["Content-Type"] = "image/png"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = SANDBOX_CSP
    return response


# --- Figures ------------------------------------------------------------------------------------


def figure_charts(period: figures.Period) -> list[charts.Chart]:
    """The coordinators' charts of the period, each with its data as a table and CSV."""
    per_day = [
        {"day": formats.date_format(day, "j/n"), "count": n}
        for day, n in figures.requests_per_day(period)
    ]
    on_day = [
        {
            "day": formats.date_format(day, "j/n"),
            "share": round(100 * done / due) if due else None,
            "due": due,
            "on_day": done,
        }
        for day, due, done in figures.on_the_day(period)
    ]
    speed = [{"bucket": str(label), "count": n} for label, n in figures.delivery_speed(period)]
    failed = [{"reason": reason, "count": n} for reason, n in figures.failures(period)]
    hours = [
        {"day": formats.date_format(day, "j/n"), "hours": float(total)}
        for day, total in figures.volunteer_hours(period)
    ]
    volunteers = [
        {"district": name, "count": n} for name, n in figures.active_volunteers_by_district()
    ]
    day_column = charts.Column("day", _("Day"), "ordinal")
    return [
        charts.Chart(
            key="requests-per-day",
            title=_("Requests per day"),
            description=_("Requests for help received each day, online and by the helpline."),
            columns=[day_column, charts.Column("count", _("Requests"), "quantitative")],
            rows=per_day,
        ),
        charts.Chart(
            key="delivered-on-the-day",
            title=_("Delivered on the requested day"),
            description=_(
                "Of the requests due each day (not declined; the day over, or delivered), the "
                "share delivered on the day asked for, in per cent."
            ),
            columns=[
                day_column,
                charts.Column("share", _("Share (%)"), "quantitative"),
                charts.Column("due", _("Due"), "quantitative"),
                charts.Column("on_day", _("Delivered on the day"), "quantitative"),
            ],
            rows=on_day,
            mark="line",
        ),
        charts.Chart(
            key="time-to-delivery",
            title=_("Time from request to delivery"),
            description=_("How long the deliveries of the period took from the request."),
            columns=[
                charts.Column("bucket", _("Time taken"), "ordinal"),
                charts.Column("count", _("Deliveries"), "quantitative"),
            ],
            rows=speed,
        ),
        charts.Chart(
            key="failed-by-reason",
            title=_("Failed deliveries and why"),
            description=_(
                "Deliveries that failed in the period, by the reason the courier gave "
                "(a request may fail more than once)."
            ),
            columns=[
                charts.Column("reason", _("Reason")),
                charts.Column("count", _("Failed deliveries"), "quantitative"),
            ],
            rows=failed,
            horizontal=True,
            sort=True,
        ),
        charts.Chart(
            key="volunteer-hours",
            title=_("Volunteer hours per day"),
            description=_("Hours volunteers gave each day: relief's deliveries and the rest."),
            columns=[day_column, charts.Column("hours", _("Hours"), "quantitative")],
            rows=hours,
        ),
        charts.Chart(
            key="volunteers-by-district",
            title=_("Active volunteers per district"),
            description=_(
                "Approved volunteers who said they can help in each district (today); one "
                "volunteer may help in several."
            ),
            columns=[
                charts.Column("district", _("District")),
                charts.Column("count", _("Active volunteers"), "quantitative"),
            ],
            rows=volunteers,
            horizontal=True,
        ),
    ]


@staff_required(perm=VIEW)
def figure_page(request: HttpRequest) -> HttpResponse:
    """Figures for coordinators, of the last 7 or 30 days: charts, their data and CSV."""
    form = PeriodForm(request.GET or None)
    days = (form.cleaned_data.get("days") if form.is_valid() else None) or 7
    period = figures.Period.last(days)
    chart_list = figure_charts(period)
    answer = charts.download(request, chart_list)
    if answer is not None:
        return answer
    summary = figures.summary(period)
    return render(
        request,
        "relief/staff/figures.html",
        {
            "form": form,
            "period": period,
            "summary": summary,
            "median": figures.hours_text(summary["median"]),
            "charts": chart_list,
        },
    )


# --- The people helped: their records, kept right ------------------------------------------

PERSON = "relief.change_beneficiary"


def _person(pk: int) -> Beneficiary:
    return get_object_or_404(
        Beneficiary.objects.select_related(
            "district", "consent_recorded_by", "food_eligibility_by", "added_by"
        ),
        pk=pk,
        erased_at__isnull=True,
    )


@staff_required(perm=PERSON)
def people(request: HttpRequest) -> HttpResponse:
    """Find a person's record; and the records that look like the same person twice."""
    search = SearchForm(request.GET or None)
    found = None
    if search.is_valid() and search.cleaned_data.get("q"):
        found = list(selectors.search_beneficiaries(search.cleaned_data["q"]))
    pairs = selectors.likely_duplicates()
    # The names listed are personal data: the listing is audited, with whose they are.
    shown = sorted({b.pk for pair in pairs for b in pair[:2]} | {b.pk for b in found or []})
    if shown:
        audit.record(
            action="relief.beneficiaries_listed",
            actor=request.user,  # type: ignore[arg-type]
            request=request,
            details={"beneficiaries": shown},
        )
    return render(
        request,
        "relief/staff/people.html",
        {"search": search, "found": found, "pairs": pairs, "why": _why_labels()},
    )


def _why_labels() -> dict[str, str]:
    return {"phone": _("the same phone"), "name and place": _("a similar name at the same place")}


@staff_required(perm=PERSON)
def person(request: HttpRequest, pk: int) -> HttpResponse:
    """One person's record: details, consent, social grocery, requests, likely duplicates."""
    beneficiary = _person(pk)
    services.record_view(target=beneficiary, actor=request.user, request=request)
    candidates = selectors.duplicate_candidates(beneficiary)
    return render(
        request,
        "relief/staff/person.html",
        {
            "beneficiary": beneficiary,
            "requests": beneficiary.requests.prefetch_related("needs").order_by("-day", "-pk"),
            "candidates": candidates,
            "why": _why_labels(),
            "consent_text": consent.text(beneficiary.consent_version),
        },
    )


@staff_required(perm=PERSON)
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the record (the point on the map, the district, …); record the consent again."""
    beneficiary = _person(pk)
    services.record_view(target=beneficiary, actor=request.user, request=request)
    initial: dict[str, Any] = {
        name: getattr(beneficiary, name)
        for name in (
            "full_name",
            "address",
            "lat",
            "lon",
            "phone",
            "household_size",
            "vulnerabilities",
            "language",
            "access_notes",
        )
    }
    initial["district"] = beneficiary.district_id
    initial.update(_picked(request))
    form = BeneficiaryForm(request.POST or None, initial=initial)
    context = {
        "form": form,
        "beneficiary": beneficiary,
        "consent": consent.text(),
        "reuse": None,
        **address_search(request),
    }
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.update_beneficiary(
                beneficiary=beneficiary,
                person=form.person(),
                district=form.chosen_district(),
                consent_method=form.cleaned_data.get("consent_again") or "",
                actor=request.user,  # type: ignore[arg-type]
                request=request,
            )
        except services.ReliefError as exc:
            form.add_error("address" if exc.code == "outside" else None, str(exc.message))
        else:
            if changed or form.cleaned_data.get("consent_again"):
                messages.success(request, _("The record was saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("relief_staff:person", pk=beneficiary.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "relief/staff/person_edit.html", context, status=status)


@staff_required(perm=PERSON)
def merge(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    """Two records of one person side by side; the coordinator chooses the one to keep."""
    first, second = _person(pk), _person(other)
    if first.pk == second.pk:
        raise Http404
    for record in (first, second):
        services.record_view(target=record, actor=request.user, request=request)
    form = MergeForm(request.POST or None, records=[first, second], initial={"keep": str(first.pk)})
    if request.method == "POST" and form.is_valid():
        keep, drop = (
            (first, second) if form.cleaned_data["keep"] == str(first.pk) else (second, first)
        )
        try:
            merged = services.merge_beneficiaries(
                keep=keep,
                drop=drop,
                actor=request.user,  # type: ignore[arg-type]
                request=request,
            )
        except services.ReliefError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request,
                _("The two records are now one: %(moved)s requests moved to it.")
                % {"moved": merged.moved},
            )
            return redirect("relief_staff:person", pk=merged.kept.pk)
    records = [
        (record, record.requests.prefetch_related("needs").order_by("-day", "-pk"))
        for record in (first, second)
    ]
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "relief/staff/merge.html",
        {
            "form": form,
            "records": records,
            "why": _why_labels().get(selectors.why_alike(first, second), ""),
        },
        status=status,
    )
