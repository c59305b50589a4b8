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
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dimos.accounts.models import User
from dimos.accounts.selectors import active_staff, department_staff
from dimos.core import audit
from dimos.core.permissions import staff_required
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
                note=template_text(form),
                duplicate_of=original,
                referred_to=form.cleaned_data["referred_to"],
                request=request,
            )
        elif action == "note":
            note = NoteForm(request.POST, report=item)
            if not note.is_valid() or not template_text(note):
                raise services.ReportError(_("Write the note."))
            services.add_note(
                report=item,
                actor=actor,
                text=template_text(note),
                public=note.cleaned_data["public"],
                request=request,
            )
        elif action == "assign":
            assign = AssignForm(request.POST, staff=department_staff(item.category.department))
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
        elif action == "category":
            moved = CategoryChangeForm(request.POST)
            if not moved.is_valid():
                raise services.ReportError(_("Choose one of the categories offered."))
            services.change_category(
                report=item, actor=actor, category=moved.cleaned_data["category"], request=request
            )
            if not Report.objects.for_staff(actor).filter(pk=item.pk).exists():
                messages.success(
                    request, _("The report went to the department of its new category.")
                )
                return redirect("reports_staff:queue")
        elif action == "location":
            place = LocationForm(request.POST)
            if not place.is_valid():
                raise services.ReportError(_("Give the latitude and longitude of the place."))
            services.move_location(
                report=item,
                actor=actor,
                location=services.Location(
                    lat=place.cleaned_data["lat"],
                    lon=place.cleaned_data["lon"],
                    address=place.cleaned_data["address"],
                ),
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
