"""The monitoring dashboard of the reports and their CSV export, for staff."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import formats, translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dimos.core import audit, charts
from dimos.core.cached import CachedAnswer
from dimos.core.models import District
from dimos.core.permissions import staff_required
from dimos.reports import stats
from dimos.reports.models import Category, Report, Status
from dimos.reports.selectors import data_version


class DashboardFilterForm(forms.Form):
    """The dashboard's filters (GET). The same form validates the API's query."""

    all_optional = True

    date_from = forms.DateField(label=_("Reported from"), required=False)
    date_to = forms.DateField(label=_("Reported until"), required=False)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Group.objects.none(), required=False
    )
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.order_by("name_el"), required=False
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Group.objects.filter(report_categories__isnull=False).distinct()
        if not user.has_perm("reports.view_all_reports"):
            departments = departments.filter(pk__in=user.groups.values("pk"))
        self.fields["department"].queryset = departments.order_by("name")  # type: ignore[attr-defined]
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("Any")),
            ("any_open", _("Open (any open status)")),
            ("any_closed", _("Closed (any closed status)")),
            *[(v, label) for v, label in Status.choices if v != Status.UNCONFIRMED],
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> stats.Filters:
        data = self.cleaned_data
        return stats.Filters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            category_id=data["category"].pk if data.get("category") else None,
            department_id=data["department"].pk if data.get("department") else None,
            district_id=data["district"].pk if data.get("district") else None,
            status=data.get("status") or "",
        )


def scoped_reports(user: Any, form: DashboardFilterForm) -> QuerySet[Report]:
    """The viewer's reports (their departments', or all for managers), filtered."""
    filters = form.filters() if form.is_valid() else stats.Filters()
    return stats.filtered(Report.objects.for_staff(user), filters)


# The figures are kept for as long as no report changes (the version is the newest change),
# and the last figures of the same question for a day, shown while a worker computes newer
# ones: over a million reports they take seconds to compute.
FIGURES_SECONDS = 3600
LAST_FIGURES_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Figures:
    figures: stats.Dashboard
    computed_at: datetime
    stale: bool = False


def _scope(user: Any) -> str:
    """Whose reports the figures are over: every report, or the viewer's departments."""
    if user.has_perm("reports.view_all_reports"):
        return "all"
    return ",".join(str(pk) for pk in sorted(user.groups.values_list("pk", flat=True)))


def _filters_json(filters: stats.Filters) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(filters).items()}


def _filters_from(data: dict[str, Any]) -> stats.Filters:
    dates = {
        k: date.fromisoformat(data[k]) if data.get(k) else None for k in ("date_from", "date_to")
    }
    return stats.Filters(**{**data, **dates})


def _figures_over(user: Any, filters: dict[str, Any], language: str) -> stats.Dashboard:
    with translation.override(language):
        reports = stats.filtered(Report.objects.for_staff(user), _filters_from(filters))
        return stats.dashboard(reports)


def compute_figures(user_id: int, filters: dict[str, Any], language: str) -> stats.Dashboard:
    """The figures over the reports ``user_id`` may see, computed again by a worker."""
    from django.contrib.auth import get_user_model

    # A deactivated viewer's refresh fails: the last figures stay until they expire.
    user = get_user_model().objects.get(pk=user_id, is_active=True)
    return _figures_over(user, filters, language)


FIGURES = CachedAnswer(
    "reports:figures",
    compute=compute_figures,
    version=data_version,
    seconds=FIGURES_SECONDS,
    stale_seconds=LAST_FIGURES_SECONDS,
)


def figures_for(user: Any, form: DashboardFilterForm) -> Figures:
    """The dashboard's figures for the viewer and filters: cached, stale-while-revalidate."""
    filters = _filters_json(form.filters() if form.is_valid() else stats.Filters())
    language = get_language() or settings.LANGUAGE_CODE
    entry = FIGURES.get(
        {"user_id": user.pk, "filters": filters, "language": language},
        # Viewers with the same scope share the figures.
        shared_by=[_scope(user), filters, language],
        compute=lambda: _figures_over(user, filters, language),
    )
    return Figures(figures=entry.value, computed_at=entry.computed_at, stale=entry.stale)


def _with_bars(rows: list[Any], attr: str = "count") -> list[dict[str, Any]]:
    """Pair each row with a bar width in steps of 5% of the largest (CSS classes, no styles)."""
    top = max((getattr(r, attr) or 0 for r in rows), default=0)
    return [
        {"row": r, "width": 5 * round(20 * (getattr(r, attr) or 0) / top) if top else 0}
        for r in rows
    ]


def charts_for(figures: stats.Dashboard) -> list[charts.Chart]:
    """The dashboard's charts: the trend by month and the share of each category."""
    months = [
        {
            "month": formats.date_format(date.fromisoformat(bar.key + "-01"), "M Y"),
            "count": bar.count,
        }
        for bar in figures.by_month
    ]
    categories = [{"category": bar.label, "count": bar.count} for bar in figures.by_category]
    reports = charts.Column("count", _("Reports"), "quantitative")
    return [
        charts.Chart(
            key="reports-by-month",
            title=_("Reports received each month"),
            description=_(
                "How many reports arrived in each month, for the reports the filters select: "
                "a rising line is more work coming in."
            ),
            columns=[charts.Column("month", _("Month"), "ordinal"), reports],
            rows=months,
            mark="line" if len(months) > 1 else "bar",
        ),
        charts.Chart(
            key="reports-by-category",
            title=_("Reports by category"),
            description=_("Which problems are reported most, for the reports the filters select."),
            columns=[charts.Column("category", _("Category")), reports],
            rows=categories,
            horizontal=True,
            sort=True,
        ),
    ]


def _heatmap_points(figures: stats.Dashboard) -> list[dict[str, Any]]:
    return [
        {
            "lat": cell.lat,
            "lon": cell.lon,
            "count": cell.count,
            "bbox": cell.bbox_param,
            "place": cell.place,
        }
        for cell in figures.heatmap
    ]


@staff_required(perm="reports.view_report")
def dashboard(request: HttpRequest) -> HttpResponse:
    form = DashboardFilterForm(request.GET or None, user=request.user)
    entry = figures_for(request.user, form)
    figures = entry.figures
    chart_list = charts_for(figures)
    answer = charts.download(request, chart_list)
    if answer is not None:
        return answer
    return render(
        request,
        "reports/staff/dashboard.html",
        {
            "form": form,
            "figures": figures,
            "by_category": _with_bars(figures.by_category),
            "by_district": _with_bars(figures.by_district),
            "by_status": _with_bars(figures.by_status),
            "by_month": _with_bars(figures.by_month),
            "backlog": _with_bars(figures.backlog),
            "heatmap": _with_bars(figures.heatmap),
            "heatmap_points": _heatmap_points(figures),
            "charts": chart_list,
            "tile_url": settings.DIMOS_TILE_URL,
            "tile_attribution": settings.DIMOS_TILE_ATTRIBUTION,
            "query": request.GET.urlencode(),
            "computed_at": entry.computed_at,
            "stale": entry.stale,
        },
    )


CSV_COLUMNS = (
    ("id", "pk"),
    ("created", "created_at"),
    ("category", "category__code"),
    ("department", "category__department__name"),
    ("district", "district__code"),
    ("status", "status"),
    ("priority", "priority"),
    ("expected_on", "expected_on"),
    ("acknowledged_at", "acknowledged_at"),
    ("fixed_at", "fixed_at"),
    ("closed_at", "closed_at"),
    ("lat", "lat"),
    ("lon", "lon"),
    ("address", "address"),
)


class _Echo:
    """A file-like object whose write returns the line: lets csv.writer feed a stream."""

    def write(self, value: str) -> str:
        return value


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        # Spreadsheets would run it as a formula (CSV injection).
        return "'" + value
    return value


def _csv_rows(reports: QuerySet[Report]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow([name for name, _field in CSV_COLUMNS])
    rows = reports.order_by("pk").values_list(*[f for _name, f in CSV_COLUMNS])
    for row in rows.iterator(chunk_size=2000):
        yield writer.writerow([_csv_value(v) for v in row])


@staff_required(perm="reports.view_report")
def export_csv(request: HttpRequest) -> HttpResponseBase:
    form = DashboardFilterForm(request.GET or None, user=request.user)
    if request.GET and not form.is_valid():
        return render(
            request,
            "reports/staff/dashboard.html",
            {"form": form, "figures": None},
            status=400,
        )
    reports = scoped_reports(request.user, form)
    audit.record(
        action="reports.exported",
        request=request,
        details={"filters": {k: v for k, v in request.GET.items() if k in form.fields}},
    )
    response = StreamingHttpResponse(_csv_rows(reports), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="reports.csv"'
    return response
