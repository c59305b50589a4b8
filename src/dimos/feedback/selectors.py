"""Reads of the feedback app: each service's satisfaction and its published performance.

Every figure is computed: satisfaction from the ratings here, volumes, completion, digital
take-up and time to complete from the apps' own rows through the registry (each
``CompletedTransaction`` declares its ``figures``). Answers are kept for
``DIMOS_FEEDBACK_PERFORMANCE_MINUTES`` and dropped at once when a rating changes.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone

from dimos.core.cached import CachedAnswer
from dimos.core.monthly import month_starts
from dimos.core.registry import MonthFigures, Satisfaction, registry
from dimos.feedback.conf import conf
from dimos.feedback.models import Rating
from dimos.feedback.services import RATINGS

MONTHS = 12


def satisfaction_score(total: int, count: int) -> int | None:
    """The GOV.UK satisfaction score: very satisfied 100, satisfied 75, neither 50,
    dissatisfied 25, very dissatisfied 0; the mean over the ratings, 0-100."""
    if not count:
        return None
    return round((total - count) * 25 / count)


def since() -> dt.date:
    """The first day of the month eleven months ago: twelve months, this one included."""
    today = timezone.localdate()
    year, month = today.year, today.month - (MONTHS - 1)
    while month < 1:
        year, month = year - 1, month + 12
    return dt.date(year, month, 1)


def _satisfaction() -> dict[str, Satisfaction]:
    rows = (
        Rating.objects.filter(created_at__date__gte=since())
        .order_by()
        .values("service")
        .annotate(n=Count("pk"), total=Sum("score"))
    )
    return {
        row["service"]: Satisfaction(
            score=satisfaction_score(row["total"], row["n"]) or 0, count=row["n"]
        )
        for row in rows
    }


SATISFACTION = CachedAnswer(
    "feedback-satisfaction",
    seconds=lambda: conf.PERFORMANCE_MINUTES * 60,
    compute=_satisfaction,
    version=RATINGS,
)


def satisfaction() -> dict[str, Satisfaction]:
    """Each service's satisfaction over the last twelve months, by catalogue key."""
    return dict(SATISFACTION.get().value)


@dataclass
class Month:
    month: dt.date
    started: int = 0
    completed: int = 0
    online: int = 0
    days: float = 0.0
    ratings: int = 0
    score_total: int = 0

    @property
    def satisfaction(self) -> int | None:
        return satisfaction_score(self.score_total, self.ratings)

    @property
    def completion_rate(self) -> int | None:
        return round(100 * self.completed / self.started) if self.started else None

    @property
    def digital(self) -> int | None:
        return round(100 * self.online / self.completed) if self.completed else None

    @property
    def mean_days(self) -> float | None:
        return round(self.days / self.completed, 1) if self.completed else None


@dataclass
class Performance:
    """One service's (or the municipality's) twelve months."""

    key: str
    name: str
    months: list[Month] = field(default_factory=list)

    @property
    def total(self) -> Month:
        out = Month(month=self.months[0].month if self.months else since())
        for m in self.months:
            out.started += m.started
            out.completed += m.completed
            out.online += m.online
            out.days += m.days
            out.ratings += m.ratings
            out.score_total += m.score_total
        return out


def services() -> list[tuple[str, str]]:
    """The services that declare completed transactions: (key, name), in their order."""
    seen: dict[str, str] = {}
    for kind in sorted(registry.transactions.values(), key=lambda k: (k.order, k.key)):
        entry = registry.catalogue.get(kind.service)
        seen.setdefault(kind.service, str(entry.name if entry else kind.title))
    return list(seen.items())


def _ratings_by_month(service: str | None, starts: list[dt.datetime]) -> dict[int, tuple[int, int]]:
    rows = Rating.objects.filter(created_at__gte=starts[0]).order_by()
    if service is not None:
        rows = rows.filter(service=service)
    bounds = list(itertools.pairwise(starts))
    got = rows.aggregate(
        **{
            key: agg
            for i, (a, b) in enumerate(bounds)
            for key, agg in (
                (f"n{i}", Count("pk", filter=Q(created_at__gte=a, created_at__lt=b))),
                (f"t{i}", Sum("score", filter=Q(created_at__gte=a, created_at__lt=b))),
            )
        }
    )
    return {i: (got[f"n{i}"] or 0, got[f"t{i}"] or 0) for i in range(len(bounds))}


def _add(months: list[Month], figures: Iterable[MonthFigures]) -> None:
    by_month = {m.month: m for m in months}
    for f in figures:
        month = by_month.get(f.month)
        if month is not None:
            month.started += f.started
            month.completed += f.completed
            month.online += f.online
            month.days += f.days


def _performance(service: str = "") -> dict[str, object]:
    first = since()
    starts = month_starts(first)
    months = [Month(month=s.date()) for s in starts[:-1]]
    for kind in registry.transactions.values():
        if kind.figures is not None and (not service or kind.service == service):
            _add(months, kind.figures(first))
    for i, (n, total) in _ratings_by_month(service or None, starts).items():
        months[i].ratings, months[i].score_total = n, total
    return {"months": [vars(m) for m in months]}


PERFORMANCE = CachedAnswer(
    "feedback-performance",
    seconds=lambda: conf.PERFORMANCE_MINUTES * 60,
    compute=_performance,
    version=RATINGS,
)


def performance(service: str = "") -> Performance:
    """Twelve months of a service (by catalogue key), or of every service when empty."""
    names = dict(services())
    value = PERFORMANCE.get({"service": service}).value
    return Performance(
        key=service,
        name=names.get(service, ""),
        months=[Month(**m) for m in value["months"]],  # type: ignore[attr-defined]
    )


def published_comments(service: str, limit: int = 10) -> list[dict[str, object]]:
    """The latest comments staff chose to publish for a service, personal data redacted."""
    from dimos.feedback.redact import redact

    rows = Rating.objects.filter(service=service, publish=True).exclude(improve="")[:limit]
    return [
        {"text": redact(r.improve), "score": r.score, "reply": redact(r.reply), "at": r.created_at}
        for r in rows
    ]
