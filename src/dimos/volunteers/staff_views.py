"""The back office: applications, the list, one volunteer and the vetting actions, figures."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from dimos.core import audit, charts
from dimos.core.images import SANDBOX_CSP
from dimos.core.permissions import staff_required
from dimos.core.workflow import Action, StaffActionView, calls
from dimos.volunteers import selectors, services
from dimos.volunteers.forms import DocumentForm, FilterForm, IdentityForm, ReasonForm
from dimos.volunteers.models import DAYS, PERIODS, Status, Volunteer, VolunteerDocument

VIEW = "volunteers.view_volunteer"
CHANGE = "volunteers.change_volunteer"


@staff_required(perm=VIEW)
def queue(request: HttpRequest) -> HttpResponse:
    """Applications first; the same list filtered by status, district and skill."""
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status") or Status.APPLIED
    volunteers = selectors.coordinator_list(
        status="" if status == "all" else status,
        district=data.get("district"),
        skill=data.get("skill"),
    ).prefetch_related("districts", "skills")
    page = Paginator(volunteers, 50).get_page(request.GET.get("page"))
    counts = selectors.status_counts()
    return render(
        request,
        "volunteers/staff/queue.html",
        {
            "form": form,
            "page": page,
            "status_counts": [(label, counts.get(value, 0)) for value, label in Status.choices],
            "query": request.GET.copy(),
        },
    )


def _context(volunteer: Volunteer, **forms: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "volunteer": volunteer,
        "events": volunteer.events.select_related("actor"),
        "documents": volunteer.documents.all(),
        "hours": volunteer.hours.all()[:50],
        "hours_total": selectors.hours_total(volunteer),
        "conduct_needed": services.needs_conduct(volunteer),
        "grid": _grid(volunteer),
        "reason_form": ReasonForm(),
        "identity_form": IdentityForm(),
        "document_form": DocumentForm(),
    }
    context.update(forms)
    return context


def _grid(volunteer: Volunteer) -> list[tuple[Any, list[bool]]]:
    free = set(volunteer.slots())
    return [(name, [(d, p) in free for p, _n in PERIODS]) for d, name in DAYS]


@staff_required(perm=VIEW)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = get_object_or_404(
        Volunteer.objects.select_related("user", "identity_checked_by", "conduct"), pk=pk
    )
    services.record_view(volunteer=volunteer, actor=request.user, request=request)  # type: ignore[arg-type]
    return render(
        request, "volunteers/staff/detail.html", {**_context(volunteer), "periods": PERIODS}
    )


class VolunteerAction(StaffActionView):
    """The vetting actions on one volunteer's page; a form with errors shows the page again."""

    error = services.VolunteerError
    actions = {
        "approve": Action(run=calls(services.approve, "volunteer")),
        "reject": Action(
            form=lambda request, v: ReasonForm(request.POST),
            run=calls(services.reject, "volunteer", reason="reason"),
        ),
        "pause": Action(
            form=lambda request, v: ReasonForm(request.POST),
            run=calls(services.pause, "volunteer", reason="reason"),
        ),
        "resume": Action(run=calls(services.resume, "volunteer")),
        "retire": Action(
            form=lambda request, v: ReasonForm(request.POST),
            run=calls(services.retire, "volunteer", reason="reason"),
        ),
        "identity": Action(
            form=lambda request, v: IdentityForm(request.POST),
            run=calls(services.record_identity_check, "volunteer", method="method", notes="notes"),
        ),
        "document": Action(
            form=lambda request, v: DocumentForm(request.POST, request.FILES),
            run=calls(services.add_document, "volunteer", label="label", document="document"),
        ),
    }

    def get_case(self, request: HttpRequest, **kwargs: Any) -> Volunteer:
        return get_object_or_404(Volunteer.objects.select_related("user"), pk=kwargs["pk"])

    def done(self, request: HttpRequest, case: Volunteer) -> HttpResponse:
        return redirect("volunteers_staff:detail", pk=case.pk)

    def form_invalid(
        self, request: HttpRequest, case: Volunteer, action: str, form: Any
    ) -> HttpResponse:
        services.record_view(volunteer=case, actor=request.user, request=request)  # type: ignore[arg-type]
        name = "reason_form" if action in ("reject", "pause", "retire") else f"{action}_form"
        context = {**_context(case, **{name: form}), "periods": PERIODS, "failed": action}
        return render(request, "volunteers/staff/detail.html", context, status=400)


act = require_POST(staff_required(perm=CHANGE)(VolunteerAction.as_view()))


@staff_required(perm=VIEW)
def document(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    item = get_object_or_404(
        VolunteerDocument.objects.select_related("volunteer"), volunteer_id=pk, pk=document_pk
    )
    audit.record(
        action="volunteer.document_downloaded",
        target=item.volunteer,
        request=request,
        details={"document": item.pk},
    )
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=True,
        filename=item.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = SANDBOX_CSP
    return response


def charts_for() -> list[charts.Chart]:
    by_district = [{"district": name, "count": n} for name, n in selectors.active_by_district()]
    by_month = [
        {"month": formats.date_format(month, "M Y"), "hours": float(total)}
        for month, total in selectors.hours_by_month()
    ]
    return [
        charts.Chart(
            key="volunteers-by-district",
            title=_("Active volunteers per district"),
            description=_(
                "Approved volunteers who said they can help in each district; one volunteer "
                "may help in several."
            ),
            columns=[
                charts.Column("district", _("District")),
                charts.Column("count", _("Active volunteers"), "quantitative"),
            ],
            rows=by_district,
            horizontal=True,
        ),
        charts.Chart(
            key="volunteer-hours-by-month",
            title=_("Volunteer hours per month"),
            description=_("Hours volunteers gave in each of the last twelve months."),
            columns=[
                charts.Column("month", _("Month"), "ordinal"),
                charts.Column("hours", _("Hours"), "quantitative"),
            ],
            rows=by_month,
            mark="line" if len(by_month) > 1 else "bar",
        ),
    ]


@staff_required(perm=VIEW)
def figures(request: HttpRequest) -> HttpResponse:
    chart_list = charts_for()
    answer = charts.download(request, chart_list)
    if answer is not None:
        return answer
    return render(
        request,
        "volunteers/staff/figures.html",
        {
            "charts": chart_list,
            "figures": selectors.public_figures(),
            "counts": selectors.status_counts(),
        },
    )
