"""The feedback app's API, under /api/v1/feedback: the published service performance."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from dimos.api.api import Error, error_response
from dimos.feedback import selectors
from dimos.feedback.selectors import Month

router = Router(tags=["feedback"])


class MonthOut(Schema):
    month: dt.date
    started: int
    completed: int
    online: int
    ratings: int
    satisfaction: int | None
    completion_rate: int | None
    digital_take_up: int | None
    mean_days: float | None


class PerformanceOut(Schema):
    service: str
    name: str
    total: MonthOut
    months: list[MonthOut]


def _month(m: Month) -> dict[str, Any]:
    return {
        "month": m.month,
        "started": m.started,
        "completed": m.completed,
        "online": m.online,
        "ratings": m.ratings,
        "satisfaction": m.satisfaction,
        "completion_rate": m.completion_rate,
        "digital_take_up": m.digital,
        "mean_days": m.mean_days,
    }


def _out(perf: selectors.Performance) -> dict[str, Any]:
    return {
        "service": perf.key,
        "name": perf.name,
        "total": _month(perf.total),
        "months": [_month(m) for m in perf.months],
    }


@router.get("/performance", response=list[PerformanceOut], auth=None)
def performance(request: HttpRequest) -> Any:
    """The last twelve months of the whole municipality (service "") and of each service:
    satisfaction (0-100), completion rate and digital take-up (%), volumes, mean days."""
    return [_out(selectors.performance())] + [
        _out(selectors.performance(key)) for key, _name in selectors.services()
    ]


@router.get("/performance/{service}", response={200: PerformanceOut, 404: Error}, auth=None)
def service_performance(request: HttpRequest, service: str) -> Any:
    """One service's last twelve months, by its catalogue key (``report-problem``)."""
    if service not in dict(selectors.services()):
        return error_response(request, 404, "not_found", "No such service.")
    return _out(selectors.performance(service))
