"""The reports' figures through the API: the dashboard's numbers for staff integrations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from dimos.api.api import MAX_ID, Error, error_response, token_or_session
from dimos.reports import stats
from dimos.reports.dashboard import DashboardFilterForm, figures_for

router = Router(tags=["reports"], auth=token_or_session)


class StatsFilters(Schema):
    date_from: dt.date | None = Field(None, description="Reported on or after (Europe/Athens).")
    date_to: dt.date | None = Field(None, description="Reported on or before (Europe/Athens).")
    category: int | None = Field(None, ge=1, le=MAX_ID, description="Category id.")
    department: int | None = Field(
        None, ge=1, le=MAX_ID, description="Department (staff group) id."
    )
    district: int | None = Field(None, ge=1, le=MAX_ID, description="District id.")
    status: str | None = Field(
        None, description="A status, or any_open / any_closed for every open or closed one."
    )


class BarOut(Schema):
    key: str
    label: str
    count: int


class TotalsOut(Schema):
    total: int
    open: int
    overdue: int
    fixed_with_deadline: int
    fixed_on_time: int
    on_time_share: float | None


class DepartmentOut(Schema):
    department_id: int
    name: str
    total: int
    open: int
    overdue: int
    closed: int
    fixed_with_deadline: int
    fixed_on_time: int
    on_time_share: float | None
    median_days_to_fix: float | None
    comparable: bool
    rank: int | None


class CellOut(Schema):
    lat: float
    lon: float
    count: int
    bbox: tuple[float, float, float, float]
    place: str = Field(description="Its most reported streets and its district.")


class StatsOut(Schema):
    totals: TotalsOut
    by_category: list[BarOut]
    by_district: list[BarOut]
    by_status: list[BarOut]
    by_month: list[BarOut]
    backlog: list[BarOut]
    median_days_to_acknowledge: float | None
    median_days_to_fix: float | None
    departments: list[DepartmentOut]
    heatmap: list[CellOut]
    min_sample: int


def _figures(figures: stats.Dashboard) -> dict[str, Any]:
    """Plain data; the computed properties (shares) are read by the schemas."""
    return {
        "totals": figures.totals,
        "by_category": figures.by_category,
        "by_district": figures.by_district,
        "by_status": figures.by_status,
        "by_month": figures.by_month,
        "backlog": figures.backlog,
        "median_days_to_acknowledge": figures.median_days_to_acknowledge,
        "median_days_to_fix": figures.median_days_to_fix,
        "departments": figures.departments,
        "heatmap": figures.heatmap,
        "min_sample": figures.min_sample,
    }


@router.get(
    "/stats",
    response={200: StatsOut, 403: Error, 422: Error},
    summary="The dashboard's figures over the reports the caller may see",
)
def report_stats(request: HttpRequest, filters: Query[StatsFilters]) -> Any:
    """Counts by category, district, status and month; medians in days; departments (ranked
    only with at least ``min_sample`` closed reports); the busiest map cells."""
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perm("reports.view_report")):
        raise HttpError(403, str(_("Only staff who work on reports may see these figures.")))
    data = {k: v for k, v in filters.dict().items() if v is not None}
    form = DashboardFilterForm(data, user=user)
    if not form.is_valid():
        details = [
            {"loc": ["query", name], "msg": str(message), "type": "invalid"}
            for name, messages in form.errors.items()
            for message in messages
        ]
        response: HttpResponse = error_response(
            request, 422, "invalid", _("The request is not valid."), details
        )
        return response
    return _figures(figures_for(user, form).figures)
