"""Reads of the Advocate: the office's queue with its deadlines, what a service's staff may
see, and the public figures of a year (no personal data: counts, shares, days)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from dimos.advocate.conf import conf
from dimos.advocate.models import (
    OPEN_STATUSES,
    Adoption,
    AnnualReport,
    Body,
    CaseSummary,
    Category,
    Complaint,
    Mediation,
    Outcome,
    Status,
)
from dimos.core.cached import CachedAnswer, Version
from dimos.core.registry import service_satisfaction
from dimos.core.workflow import Deadline

# Bumped by every move of a complaint and by publishing: the public pages and figures follow.
PUBLIC_VERSION = Version("advocate")


@dataclass(frozen=True)
class DeadlineState:
    """Where a complaint stands against its date: ``state`` is one of paused, running, soon,
    overdue, very_overdue (or none before admission); ``days`` left (negative: late)."""

    state: str
    days: int
    due: date | None

    @property
    def late(self) -> int:
        return max(-self.days, 0)


def deadline_state(complaint: Complaint, today: date | None = None) -> DeadlineState:
    today = today or timezone.localdate()
    if complaint.due_on is None or complaint.status not in OPEN_STATUSES:
        return DeadlineState("none", 0, complaint.due_on)
    deadline = Deadline(due=complaint.due_on, paused_since=complaint.paused_since, calendar=True)
    days = deadline.remaining(today)
    due = deadline.due_if_resumed(today)
    if deadline.is_paused:
        return DeadlineState("paused", days, due)
    if days < -conf.VERY_OVERDUE_DAYS:
        return DeadlineState("very_overdue", days, due)
    if days < 0:
        return DeadlineState("overdue", days, due)
    if days <= conf.WARN_DAYS:
        return DeadlineState("soon", days, due)
    return DeadlineState("running", days, due)


def office_queue(
    *, status: str = "", assigned: Any = None, state: str = ""
) -> list[tuple[Complaint, DeadlineState]]:
    """Open complaints (or those of ``status``), the most urgent first."""
    found: QuerySet[Complaint] = Complaint.objects.select_related("body", "assigned_to")
    if status == "all":
        pass
    elif status:
        found = found.filter(status=status)
    else:
        found = found.filter(status__in=OPEN_STATUSES)
    if assigned is not None:
        found = found.filter(assigned_to=assigned)
    today = timezone.localdate()
    rows = [(c, deadline_state(c, today)) for c in found[:500]]
    if state:
        rows = [row for row in rows if row[1].state == state]
    order = {"very_overdue": 0, "overdue": 1, "soon": 2, "running": 3, "paused": 4, "none": 5}
    rows.sort(key=lambda row: (order[row[1].state], row[1].days, row[0].pk))
    return rows


def queue_counts() -> tuple[int, int]:
    today = timezone.localdate()
    open_ = Complaint.objects.filter(status__in=OPEN_STATUSES)
    overdue = open_.filter(status=Status.ADMITTED, due_on__lt=today).count()
    return open_.count(), overdue


def complaints_of(user: Any) -> QuerySet[Complaint]:
    if not user.is_authenticated:
        return Complaint.objects.none()
    return Complaint.objects.filter(user=user, erased_at__isnull=True).select_related("body")


def requests_for(user: Any) -> QuerySet[Mediation]:
    """The requests a service liaison may see: their services' only."""
    return Mediation.objects.filter(body__liaisons=user).select_related("body", "complaint")


def active_bodies() -> QuerySet[Body]:
    return Body.objects.filter(is_active=True)


# --- The figures of a year ---------------------------------------------------------------


def _label(choices: Any, value: str) -> str:
    return str(dict(choices).get(value, value))


def compute_figures(year: int, language: str = "el") -> dict[str, Any]:
    """The year's figures for the annual report and the public page, as plain values."""
    from django.utils import translation

    with translation.override(language):
        cases = Complaint.objects.filter(submitted_at__year=year).exclude(status=Status.UNCONFIRMED)
        total = cases.count()
        by_body = [
            {"service": str(Body.objects.get(pk=row["body"]).name), "count": row["n"]}
            for row in cases.values("body").annotate(n=Count("pk")).order_by("-n", "body")
        ]
        by_category = [
            {"category": _label(Category.choices, row["category"]), "count": row["n"]}
            for row in cases.values("category").annotate(n=Count("pk")).order_by("-n")
        ]
        statuses = dict(cases.values_list("status").annotate(n=Count("pk")))
        admitted = sum(
            statuses.get(s, 0)
            for s in (Status.ADMITTED, Status.WAITING, Status.CONCLUDED, Status.WITHDRAWN)
        )
        admissibility = [
            {"decision": str(Status.ADMITTED.label), "count": admitted},
            {
                "decision": str(Status.INADMISSIBLE.label),
                "count": statuses.get(Status.INADMISSIBLE, 0),
            },
            {"decision": str(Status.REFERRED.label), "count": statuses.get(Status.REFERRED, 0)},
            {"decision": str(Status.SUBMITTED.label), "count": statuses.get(Status.SUBMITTED, 0)},
        ]
        outcomes = [
            {"outcome": _label(Outcome.choices, row["outcome"]), "count": row["n"]}
            for row in cases.exclude(outcome="")
            .values("outcome")
            .annotate(n=Count("pk"))
            .order_by("-n")
        ]
        answered = list(
            cases.filter(status=Status.CONCLUDED).values_list(
                "admitted_at", "closed_at", "due_on", "paused_days"
            )
        )
        days = [
            max((timezone.localdate(closed) - timezone.localdate(admitted)).days - paused, 0)
            for admitted, closed, _due, paused in answered
            if admitted and closed
        ]
        kept = sum(
            1
            for _a, closed, due, _p in answered
            if closed and due and timezone.localdate(closed) <= due
        )
        recommendations = cases.exclude(recommendation="")
        follow = dict(recommendations.values_list("adoption").annotate(n=Count("pk")))
        # Rated through the feedback app (the complaint is a completed transaction): its
        # satisfaction over the last twelve months, by the registry.
        satisfaction = service_satisfaction().get("advocate")
        return {
            "year": year,
            "total": total,
            "admitted": admitted,
            "answered": len(answered),
            "by_body": by_body,
            "by_category": by_category,
            "admissibility": admissibility,
            "outcomes": outcomes,
            "median_days": statistics.median(days) if days else None,
            "max_days": max(days) if days else None,
            "deadline_kept": kept,
            "deadline_kept_share": round(100 * kept / len(answered)) if answered else None,
            "recommendations": recommendations.count(),
            "adoption": [
                {"follow_up": _label(Adoption.choices, value), "count": follow.get(value, 0)}
                for value in Adoption.values
            ],
            "satisfaction": satisfaction.score if satisfaction else None,
            "ratings": satisfaction.count if satisfaction else 0,
            "open_now": Complaint.objects.filter(status__in=OPEN_STATUSES).count(),
        }


FIGURES = CachedAnswer(
    "advocate:figures", compute=compute_figures, version=PUBLIC_VERSION, seconds=3600
)


def figures(year: int, language: str = "el") -> dict[str, Any]:
    return FIGURES.get({"year": year, "language": language}).value  # type: ignore[no-any-return]


def years() -> list[int]:
    found = {d.year for d in Complaint.objects.dates("submitted_at", "year")}
    found.add(timezone.localdate().year)
    return sorted(found, reverse=True)


def published_reports() -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(published_at__isnull=False)


def published_summaries() -> QuerySet[CaseSummary]:
    return CaseSummary.objects.filter(published_at__isnull=False).select_related("body")
