"""The back office: each department's queue and the work on one report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.accounts.models import User
from dimos.core import audit
from dimos.portal.permissions import staff_required
from dimos.reports import services
from dimos.reports.forms import AssignForm, NoteForm, QueueFilterForm, StatusForm
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
    return reports.order_by(*SORTS.get(data.get("sort") or "oldest", SORTS["oldest"]))


@staff_required(perm="reports.view_report")
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page = Paginator(_queue(request.user, data), 50).get_page(request.GET.get("page"))  # type: ignore[arg-type]
    return render(
        request,
        "reports/staff/queue.html",
        {"form": form, "page": page, "today": timezone.localdate()},
    )


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
    department_staff = User.objects.filter(
        is_active=True, is_staff=True, groups=item.category.department
    ).order_by("last_name", "email")
    return render(
        request,
        "reports/staff/report.html",
        {
            "report": item,
            "updates": item.updates.select_related("actor").order_by("created_at", "pk"),
            "photos": list(item.photos.all()),
            "status_form": StatusForm(report=item),
            "note_form": NoteForm(),
            "assign_form": AssignForm(
                staff=department_staff,
                initial={"assignee": item.assigned_to_id, "priority": item.priority},
            ),
        },
    )


@staff_required(perm="reports.change_report")
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if request.method != "POST":
        return redirect("reports_staff:report", pk=pk)
    item = _staff_report(request, pk)
    actor: User = request.user  # type: ignore[assignment]
    try:
        if action == "status":
            form = StatusForm(request.POST, report=item)
            if not form.is_valid():
                raise services.ReportError(_("Choose one of the statuses offered."))
            original = None
            if form.cleaned_data.get("duplicate_of"):
                original = Report.objects.filter(pk=form.cleaned_data["duplicate_of"]).first()
            services.change_status(
                report=item,
                to=form.cleaned_data["status"],
                actor=actor,
                note=form.cleaned_data["note"],
                duplicate_of=original,
                referred_to=form.cleaned_data["referred_to"],
                request=request,
            )
        elif action == "note":
            note = NoteForm(request.POST)
            if not note.is_valid():
                raise services.ReportError(_("Write the note."))
            services.add_note(
                report=item,
                actor=actor,
                text=note.cleaned_data["text"],
                public=note.cleaned_data["public"],
                request=request,
            )
        elif action == "assign":
            staff = User.objects.filter(
                is_active=True, is_staff=True, groups=item.category.department
            )
            assign = AssignForm(request.POST, staff=staff)
            if not assign.is_valid():
                raise services.ReportError(_("Choose someone from the department."))
            if assign.cleaned_data["assignee"] != item.assigned_to:
                services.assign(
                    report=item, actor=actor, to=assign.cleaned_data["assignee"], request=request
                )
            if assign.cleaned_data["priority"] != item.priority:
                services.set_priority(
                    report=item,
                    actor=actor,
                    priority=assign.cleaned_data["priority"],
                    request=request,
                )
        elif action == "hide_photo":
            photo_id = request.POST.get("photo", "")
            photo = get_object_or_404(item.photos, pk=int(photo_id) if photo_id.isdigit() else 0)
            services.hide_photo(
                photo=photo,
                actor=actor,
                reason=request.POST.get("reason", "")[:300],
                request=request,
            )
        else:
            return redirect("reports_staff:report", pk=pk)
    except services.ReportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Saved."))
    return redirect("reports_staff:report", pk=pk)
