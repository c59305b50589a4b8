"""The back office: each department's queue and the work on one report."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from dimos.accounts.models import User
from dimos.accounts.selectors import active_staff, department_staff
from dimos.core import audit
from dimos.core.permissions import staff_required
from dimos.core.workflow import Action, StaffActionView
from dimos.reports import services
from dimos.reports.forms import (
    AssignForm,
    BulkForm,
    CategoryChangeForm,
    LocationForm,
    NoteForm,
    QueueFilterForm,
    StatusForm,
    template_text,
)
from dimos.reports.models import CLOSED_STATUSES, OPEN_STATUSES, Report

SORTS: dict[str, tuple[Any, ...]] = {
    "oldest": ("created_at", "pk"),
    "newest": ("-created_at", "-pk"),
    "priority": ("-priority", "created_at"),
    "deadline": (F("expected_on").asc(nulls_last=True), "created_at"),
}


def _queue(user: User, data: dict) -> QuerySet[Report]:
    reports = Report.objects.for_staff(user).select_related("category", "district", "assigned_to")
    state = data.get("state") or "open"
    if state == "open":
        reports = reports.filter(status__in=OPEN_STATUSES)
    elif state == "overdue":
        reports = reports.filter(status__in=OPEN_STATUSES, expected_on__lt=timezone.localdate())
    elif state == "closed":
        reports = reports.filter(status__in=CLOSED_STATUSES)
    if data.get("category"):
        reports = reports.filter(category=data["category"])
    if data.get("district"):
        reports = reports.filter(district=data["district"])
    return reports.order_by(*SORTS.get(data.get("sort") or "oldest", SORTS["oldest"]))


@staff_required(perm="reports.view_report")
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page = Paginator(_queue(request.user, data), 50).get_page(request.GET.get("page"))  # type: ignore[arg-type]
    bulk = BulkForm(reports=[r.pk for r in page], staff=_colleagues(request.user))  # type: ignore[arg-type]
    return render(
        request,
        "reports/staff/queue.html",
        {"form": form, "page": page, "today": timezone.localdate(), "bulk_form": bulk},
    )


def _colleagues(user: User) -> QuerySet[User]:
    """Staff who share a department with ``user``: whom a bulk action may assign to."""
    return active_staff().filter(groups__in=user.groups.all()).distinct()


@staff_required(perm="reports.change_report")
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Apply one status, assignee or priority to the reports ticked in the queue.

    Each report goes through the same service as on its own page, in its own transaction: a
    report whose status cannot make the change is skipped and counted, the others are done.
    """
    actor: User = request.user  # type: ignore[assignment]
    mine = Report.objects.for_staff(actor)
    ticked = [int(v) for v in request.POST.getlist("reports") if v.isdigit()][:200]
    form = BulkForm(request.POST, reports=ticked, staff=_colleagues(actor))
    back = request.POST.get("next", "")
    target = back if back.startswith("/staff/reports/") else reverse("reports_staff:queue")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(target)
    data = form.cleaned_data
    done = skipped = 0
    for item in mine.filter(pk__in=data["reports"]).select_related("category"):
        try:
            if data["status"] and data["status"] != item.status:
                services.change_status(
                    report=item, to=data["status"], actor=actor, note=data["note"], request=request
                )
            if data["assignee"] is not None and data["assignee"] != item.assigned_to:
                services.assign(report=item, actor=actor, to=data["assignee"], request=request)
            if data["priority"] is not None and data["priority"] != item.priority:
                services.set_priority(
                    report=item, actor=actor, priority=data["priority"], request=request
                )
        except services.ReportError:
            skipped += 1
        else:
            done += 1
    skipped += len(set(data["reports"])) - done - skipped  # not in this person's queue
    messages.success(
        request,
        ngettext("%(count)s report changed.", "%(count)s reports changed.", done) % {"count": done},
    )
    if skipped:
        messages.warning(
            request,
            ngettext(
                "%(count)s report was left as it was: its status does not allow the change.",
                "%(count)s reports were left as they were: their status does not allow the change.",
                skipped,
            )
            % {"count": skipped},
        )
    return redirect(target)


def _staff_report(request: HttpRequest, pk: int) -> Report:
    return get_object_or_404(
        Report.objects.for_staff(request.user).select_related(
            "category", "category__department", "district", "assigned_to", "reporter"
        ),
        pk=pk,
    )


@staff_required(perm="reports.view_report")
def report(request: HttpRequest, pk: int) -> HttpResponse:
    item = _staff_report(request, pk)
    # The reporter's contact details are personal data: each view is logged.
    audit.record(action="report.viewed", target=item, request=request)
    colleagues = department_staff(item.category.department)
    return render(
        request,
        "reports/staff/report.html",
        {
            "report": item,
            "updates": item.updates.select_related("actor").order_by("created_at", "pk"),
            "photos": list(item.photos.all()),
            "status_form": StatusForm(report=item),
            # Its own ids: the status form above has a "template" field too.
            "note_form": NoteForm(report=item, auto_id="note-%s"),
            "category_form": CategoryChangeForm(initial={"category": item.category_id}),
            "location_form": LocationForm(
                initial={"lat": item.lat, "lon": item.lon, "address": item.address}
            ),
            "tile_url": settings.DIMOS_TILE_URL,
            "tile_attribution": settings.DIMOS_TILE_ATTRIBUTION,
            "assign_form": AssignForm(
                staff=colleagues,
                initial={"assignee": item.assigned_to_id, "priority": item.priority},
            ),
        },
    )


def _status(request: HttpRequest, item: Report, form: StatusForm) -> None:
    original = None
    if form.cleaned_data.get("duplicate_of"):
        original = Report.objects.filter(pk=form.cleaned_data["duplicate_of"]).first()
    services.change_status(
        report=item,
        to=form.cleaned_data["status"],
        actor=request.user,  # type: ignore[arg-type]
        note=template_text(form),
        duplicate_of=original,
        referred_to=form.cleaned_data["referred_to"],
        request=request,
    )


def _note(request: HttpRequest, item: Report, form: NoteForm) -> None:
    if not template_text(form):
        raise services.ReportError(_("Write the note."))
    services.add_note(
        report=item,
        actor=request.user,  # type: ignore[arg-type]
        text=template_text(form),
        public=form.cleaned_data["public"],
        request=request,
    )


def _assign(request: HttpRequest, item: Report, form: AssignForm) -> None:
    actor: User = request.user  # type: ignore[assignment]
    if form.cleaned_data["assignee"] != item.assigned_to:
        services.assign(report=item, actor=actor, to=form.cleaned_data["assignee"], request=request)
    if form.cleaned_data["priority"] != item.priority:
        services.set_priority(
            report=item, actor=actor, priority=form.cleaned_data["priority"], request=request
        )


def _category(request: HttpRequest, item: Report, form: CategoryChangeForm) -> HttpResponse | None:
    actor: User = request.user  # type: ignore[assignment]
    services.change_category(
        report=item, actor=actor, category=form.cleaned_data["category"], request=request
    )
    if not Report.objects.for_staff(actor).filter(pk=item.pk).exists():
        messages.success(request, _("The report went to the department of its new category."))
        return redirect("reports_staff:queue")
    return None


def _location(request: HttpRequest, item: Report, form: LocationForm) -> None:
    services.move_location(
        report=item,
        actor=request.user,  # type: ignore[arg-type]
        location=services.Location(
            lat=form.cleaned_data["lat"],
            lon=form.cleaned_data["lon"],
            address=form.cleaned_data["address"],
        ),
        request=request,
    )


def _hide_photo(request: HttpRequest, item: Report, form: None) -> None:
    photo_id = request.POST.get("photo", "")
    photo = get_object_or_404(item.photos, pk=int(photo_id) if photo_id.isdigit() else 0)
    services.hide_photo(
        photo=photo,
        actor=request.user,  # type: ignore[arg-type]
        reason=request.POST.get("reason", "")[:300],
        request=request,
    )


class ReportAction(StaffActionView):
    """The actions on one report's page: each a form and a service call."""

    error = services.ReportError
    actions = {
        "status": Action(
            form=lambda request, item: StatusForm(request.POST, report=item),
            run=_status,
            invalid=gettext_lazy("Choose one of the statuses offered."),
        ),
        "note": Action(
            form=lambda request, item: NoteForm(request.POST, report=item),
            run=_note,
            invalid=gettext_lazy("Write the note."),
        ),
        "assign": Action(
            form=lambda request, item: AssignForm(
                request.POST, staff=department_staff(item.category.department)
            ),
            run=_assign,
            invalid=gettext_lazy("Choose someone from the department."),
        ),
        "category": Action(
            form=lambda request, item: CategoryChangeForm(request.POST),
            run=_category,
            invalid=gettext_lazy("Choose one of the categories offered."),
        ),
        "location": Action(
            form=lambda request, item: LocationForm(request.POST),
            run=_location,
            invalid=gettext_lazy("Give the latitude and longitude of the place."),
        ),
        "hide_photo": Action(run=_hide_photo),
    }

    def get(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        return redirect("reports_staff:report", pk=pk)

    def get_case(self, request: HttpRequest, **kwargs: Any) -> Report:
        return _staff_report(request, kwargs["pk"])

    def done(self, request: HttpRequest, case: Report) -> HttpResponse:
        return redirect("reports_staff:report", pk=case.pk)

    def unknown(self, request: HttpRequest, case: Report) -> HttpResponse:
        return self.done(request, case)


act = staff_required(perm="reports.change_report")(ReportAction.as_view())
