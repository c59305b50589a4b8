"""The budget officers' pages, at /staff/budget/: years, snapshots, imports, decisions."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.files.base import ContentFile
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.budget import services
from dimos.budget.forms import DecisionForm, DecisionsFileForm, ImportForm, YearForm
from dimos.budget.importer import ImportRefused
from dimos.budget.importing.preview import Preview, preview
from dimos.budget.models import FiscalYear, Snapshot, SpendingDecision
from dimos.core.permissions import staff_required
from dimos.core.storage import private_storage

if TYPE_CHECKING:
    from dimos.accounts.models import User

VIEW = "budget.view_snapshot"
IMPORT = "budget.add_snapshot"
PUBLISH = "budget.change_fiscalyear"
ADD_DECISION = "budget.add_spendingdecision"
CHANGE_DECISION = "budget.change_spendingdecision"
DELETE_DECISION = "budget.delete_spendingdecision"

# How many lines of each list the preview shows (a whole budget is thousands).
PREVIEW_LINES = 100

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _officer(request: HttpRequest) -> User:
    return cast("User", request.user)  # staff_required let only signed-in staff in


def _upload_name(sha256: str) -> str:
    return f"budget/imports/{sha256}"


@staff_required(perm=VIEW)
def home(request: HttpRequest) -> HttpResponse:
    """The years, each with its snapshots' count and last date; a new year."""
    years = FiscalYear.objects.annotate(
        snapshot_count=Count("snapshots"), last_as_of=Max("snapshots__as_of")
    )
    return render(request, "budget/staff/home.html", {"years": years, "form": YearForm()})


@require_POST
@staff_required(perm=PUBLISH)
def create_year(request: HttpRequest) -> HttpResponse:
    form = YearForm(request.POST)
    if not form.is_valid():
        years = FiscalYear.objects.annotate(
            snapshot_count=Count("snapshots"), last_as_of=Max("snapshots__as_of")
        )
        return render(request, "budget/staff/home.html", {"years": years, "form": form}, status=400)
    fiscal_year = services.create_year(
        year=form.cleaned_data["year"], actor=_officer(request), request=request
    )
    messages.success(request, _("The year %(year)s was added.") % {"year": fiscal_year.year})
    return redirect("budget_staff:year", year=fiscal_year.year)


@staff_required(perm=VIEW)
def year(request: HttpRequest, year: int) -> HttpResponse:
    """A year: its snapshots (who imported which file when, its hash) and whether it is public."""
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    snapshots = fiscal_year.snapshots.select_related("imported_by").order_by("-as_of")
    return render(
        request,
        "budget/staff/year.html",
        {
            "year": fiscal_year,
            "snapshots": snapshots,
            "decision_count": SpendingDecision.objects.filter(line__year=fiscal_year).count(),
        },
    )


@require_POST
@staff_required(perm=PUBLISH)
def publish(request: HttpRequest, year: int) -> HttpResponse:
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    published = request.POST.get("published") == "1"
    services.set_year_published(
        fiscal_year=fiscal_year, published=published, actor=_officer(request), request=request
    )
    if published:
        messages.success(request, _("The year %(year)s is public.") % {"year": year})
    else:
        messages.success(request, _("The year %(year)s is no longer public.") % {"year": year})
    return redirect("budget_staff:year", year=year)


# --- Importing a snapshot ---------------------------------------------------------------------


@staff_required(perm=IMPORT)
def import_file(request: HttpRequest) -> HttpResponse:
    """Upload a file: the preview of what it would change, or every problem in it."""
    if request.method != "POST":
        initial = {"year": request.GET.get("year")} if request.GET.get("year") else {}
        return render(request, "budget/staff/import.html", {"form": ImportForm(initial=initial)})
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "budget/staff/import.html", {"form": form}, status=400)
    upload = form.cleaned_data["file"]
    data = upload.read()
    result = preview(
        year=form.cleaned_data["year"],
        as_of=form.cleaned_data["as_of"],
        name=upload.name,
        data=data,
    )
    if result.ok:
        # Kept until confirmed, under its hash, so the confirmation imports exactly this file.
        name = _upload_name(result.file.sha256)
        storage = private_storage()
        if not storage.exists(name):
            storage.save(name, ContentFile(data))
    return _preview_page(request, result)


def _preview_page(request: HttpRequest, result: Preview, status: int = 200) -> HttpResponse:
    again = ImportForm(initial={"year": result.year, "as_of": result.as_of})
    return render(
        request,
        "budget/staff/preview.html",
        {
            "preview": result,
            "form": again,
            "new_lines": result.new_lines[:PREVIEW_LINES],
            "changed": result.changed[:PREVIEW_LINES],
            "limit": PREVIEW_LINES,
        },
        status=status if result.ok else 400,
    )


@require_POST
@staff_required(perm=IMPORT)
def confirm_import(request: HttpRequest) -> HttpResponse:
    """Import the previewed file, all or nothing; a second click imports nothing more."""
    sha256 = request.POST.get("sha256", "")
    try:
        year = int(request.POST.get("year", ""))
        as_of = date.fromisoformat(request.POST.get("as_of", ""))
    except ValueError as error:
        raise Http404 from error
    file_name = request.POST.get("file_name", "")[:255] or "budget"
    done = Snapshot.objects.filter(sha256=sha256, year__year=year, as_of=as_of).first()
    if done is not None:
        messages.info(request, _("This file is already imported."))
        return redirect("budget_staff:year", year=year)
    storage = private_storage()
    name = _upload_name(sha256)
    if not _SHA256.match(sha256) or not storage.exists(name):
        messages.error(request, _("The uploaded file is no longer kept: upload it again."))
        return redirect(f"{_import_url()}?year={year}")
    with storage.open(name, "rb") as stored:
        data = stored.read()
    try:
        snapshot = services.import_snapshot(
            year=year,
            as_of=as_of,
            file_name=file_name,
            data=data,
            actor=_officer(request),
            request=request,
        )
    except ImportRefused:
        done = Snapshot.objects.filter(sha256=sha256, year__year=year, as_of=as_of).first()
        if done is not None:  # the first of two clicks won
            messages.info(request, _("This file is already imported."))
            return redirect("budget_staff:year", year=year)
        return _preview_page(request, preview(year=year, as_of=as_of, name=file_name, data=data))
    storage.delete(name)
    messages.success(
        request,
        _("Imported %(rows)s lines as the snapshot of %(year)s as of %(as_of)s.")
        % {"rows": snapshot.rows, "year": year, "as_of": _day(as_of)},
    )
    return redirect("budget_staff:year", year=year)


def _import_url() -> str:
    from django.urls import reverse

    return reverse("budget_staff:import")


def _day(value: date) -> str:
    from django.utils.formats import date_format

    return date_format(value, "j E Y")


# --- Spending decisions -----------------------------------------------------------------------


@staff_required(perm=VIEW)
def decisions(request: HttpRequest, year: int) -> HttpResponse:
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    found = SpendingDecision.objects.filter(line__year=fiscal_year).select_related(
        "line__service", "line__kae"
    )
    return render(
        request,
        "budget/staff/decisions.html",
        {"year": fiscal_year, "decisions": found, "file_form": DecisionsFileForm()},
    )


@staff_required(perm=ADD_DECISION)
def add_decision(request: HttpRequest, year: int) -> HttpResponse:
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    return _decision_form(request, fiscal_year, SpendingDecision())


@staff_required(perm=CHANGE_DECISION)
def edit_decision(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(SpendingDecision.objects.select_related("line__year"), pk=pk)
    return _decision_form(request, decision.line.year, decision)


def _decision_form(
    request: HttpRequest, fiscal_year: FiscalYear, decision: SpendingDecision
) -> HttpResponse:
    form = DecisionForm(
        request.POST if request.method == "POST" else None, instance=decision, year=fiscal_year
    )
    if request.method == "POST" and form.is_valid():
        services.save_decision(decision=form.instance, actor=_officer(request), request=request)
        messages.success(request, _("The decision %(ada)s was saved.") % {"ada": decision.ada})
        return redirect("budget_staff:decisions", year=fiscal_year.year)
    context: dict[str, Any] = {"year": fiscal_year, "form": form, "decision": decision}
    status = 400 if request.method == "POST" else 200
    return render(request, "budget/staff/decision_form.html", context, status=status)


@staff_required(perm=DELETE_DECISION)
def delete_decision(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(
        SpendingDecision.objects.select_related("line__year", "line__service", "line__kae"), pk=pk
    )
    year = decision.line.year.year
    if request.method == "POST":
        services.delete_decision(decision=decision, actor=_officer(request), request=request)
        messages.success(request, _("The decision %(ada)s was deleted.") % {"ada": decision.ada})
        return redirect("budget_staff:decisions", year=year)
    return render(request, "budget/staff/decision_delete.html", {"decision": decision})


@require_POST
@staff_required(perm=ADD_DECISION)
def import_decisions(request: HttpRequest, year: int) -> HttpResponse:
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    form = DecisionsFileForm(request.POST, request.FILES)
    errors: list[Any] = []
    summary = ""
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            added, updated = services.import_decisions(
                year=fiscal_year,
                file_name=upload.name,
                data=upload.read(),
                actor=_officer(request),
                request=request,
            )
        except ImportRefused as refused:
            errors, summary = refused.errors, refused.summary
        else:
            messages.success(
                request,
                _("Decisions imported: %(added)s added, %(updated)s updated.")
                % {"added": added, "updated": updated},
            )
            return redirect("budget_staff:decisions", year=year)
    found = SpendingDecision.objects.filter(line__year=fiscal_year).select_related(
        "line__service", "line__kae"
    )
    return render(
        request,
        "budget/staff/decisions.html",
        {
            "year": fiscal_year,
            "decisions": found,
            "file_form": form,
            "errors": errors,
            "summary": summary,
        },
        status=400,
    )
