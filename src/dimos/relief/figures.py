"""Figures of relief: the coordinators' page (a period of 7 or 30 days) and the public ones.

Every number is one aggregate query (counts grouped by day, reason or district; the median by
ordering in the database and reading the middle row), never a loop over the requests.

Public figures (:func:`public_figures`, on /relief/ and ``GET /api/v1/relief/figures``) are
counts only, of the last 30 days, with **small counts suppressed**: a count from 1 to
``DIMOS_RELIEF_FIGURES_MIN_COUNT - 1`` (default 5) is not shown ("fewer than 5"), and when a
single cell of a table is suppressed, the next smallest is hidden too so that the total minus
the others cannot give it away. Shares and the median are shown only when they rest on at
least that many requests. They are cached for ten minutes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Min, Q, QuerySet
from django.db.models.functions import Lower, Trim, TruncDate
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dimos.core.cached import CachedAnswer
from dimos.core.selectors import districts
from dimos.relief.conf import conf
from dimos.relief.models import EventKind, Need, NeedKind, ReliefRequest, RequestEvent, Status
from dimos.volunteers import selectors as volunteers  # see pyproject.toml: a real need

PERIODS = (7, 30)
PUBLIC_DAYS = 30
# How long it takes from the request to the delivery, in buckets (upper bounds, hours).
SPEED_BUCKETS = (4, 12, 24, 48)
# Failure reasons shown one by one; the rest are counted together.
TOP_REASONS = 8


@dataclass(frozen=True)
class Period:
    """The last ``days`` days, today included."""

    days: int
    start: dt.date
    end: dt.date

    @classmethod
    def last(cls, days: int, today: dt.date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls(days=days, start=today - dt.timedelta(days=days - 1), end=today)

    def dates(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range(self.days)]

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as aware datetimes [from midnight of the first day, to the one after)."""
        zone = timezone.get_current_timezone()
        first = dt.datetime.combine(self.start, dt.time.min, tzinfo=zone)
        after = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return first, after


def _received(period: Period) -> QuerySet[ReliefRequest]:
    first, after = period.bounds()
    return ReliefRequest.objects.filter(created_at__gte=first, created_at__lt=after)


def _delivered(period: Period) -> QuerySet[ReliefRequest]:
    first, after = period.bounds()
    return ReliefRequest.objects.filter(delivered_at__gte=first, delivered_at__lt=after)


def requests_per_day(period: Period) -> list[tuple[dt.date, int]]:
    """(day, requests received that day), every day of the period."""
    rows = (
        _received(period)
        .annotate(on=TruncDate("created_at"))
        .values("on")
        .annotate(n=Count("pk"))
        .values_list("on", "n")
    )
    counts = dict(rows)
    return [(day, counts.get(day, 0)) for day in period.dates()]


def on_the_day(period: Period) -> list[tuple[dt.date, int, int]]:
    """(requested day, requests due, delivered on that day) for every day of the period.

    Due: not declined, and the day is over or it was delivered (today's open requests do not
    count against the day while it runs)."""
    today = timezone.localdate()
    rows = (
        ReliefRequest.objects.filter(day__gte=period.start, day__lte=period.end)
        .exclude(status=Status.DECLINED)
        .filter(Q(day__lt=today) | Q(delivered_at__isnull=False))
        .values("day")
        .annotate(
            due=Count("pk"),
            on_day=Count("pk", filter=Q(delivered_at__date=F("day"))),
        )
        .values_list("day", "due", "on_day")
    )
    found = {day: (due, on_day) for day, due, on_day in rows}
    return [(day, *found.get(day, (0, 0))) for day in period.dates()]


def _took() -> ExpressionWrapper:
    return ExpressionWrapper(F("delivered_at") - F("created_at"), output_field=DurationField())


def median_time(period: Period) -> dt.timedelta | None:
    """The median time from the request to its delivery, of those delivered in the period:
    the middle row (or the two middle rows) of the times ordered by the database."""
    rows = _delivered(period).annotate(took=_took())
    n = rows.count()
    if not n:
        return None
    middle = list(rows.order_by("took").values_list("took", flat=True)[(n - 1) // 2 : n // 2 + 1])
    return sum(middle, dt.timedelta()) / len(middle)


def delivery_speed(period: Period) -> list[tuple[str, int]]:
    """How many deliveries of the period took under 4 hours, 4 to 12, … more than 2 days."""
    limits = [dt.timedelta(hours=h) for h in SPEED_BUCKETS]
    buckets: dict[str, Any] = {}
    lower = None
    for i, limit in enumerate(limits):
        cond = Q(took__lt=limit) if lower is None else Q(took__gte=lower, took__lt=limit)
        buckets[f"b{i}"] = Count("pk", filter=cond)
        lower = limit
    buckets["more"] = Count("pk", filter=Q(took__gte=lower))
    totals = _delivered(period).annotate(took=_took()).aggregate(**buckets)
    labels = [
        _("Under 4 hours"),
        _("4 to 12 hours"),
        _("12 to 24 hours"),
        _("1 to 2 days"),
        _("More than 2 days"),
    ]
    return list(
        zip(labels, [totals[k] for k in [*(f"b{i}" for i in range(4)), "more"]], strict=False)
    )


def failures(period: Period) -> list[tuple[str, int]]:
    """Failed deliveries of the period by reason (the courier's words, case and spaces
    folded), most frequent first; past the first few, counted together."""
    first, after = period.bounds()
    rows = list(
        RequestEvent.objects.filter(
            kind=EventKind.STATUS,
            status=Status.FAILED,
            created_at__gte=first,
            created_at__lt=after,
        )
        .annotate(reason=Lower(Trim("message")))
        .values("reason")
        .annotate(n=Count("pk"), label=Min(Trim("message")))
        .order_by("-n", "reason")
        .values_list("label", "n")
    )
    shown = [
        (capfirst(label.strip()) or _("No reason recorded"), n) for label, n in rows[:TOP_REASONS]
    ]
    rest = sum(n for _label, n in rows[TOP_REASONS:])
    if rest:
        shown.append((_("Other reasons"), rest))
    return shown


def summary(period: Period) -> dict[str, Any]:
    """The period's headline numbers."""
    received = _received(period).aggregate(n=Count("pk"), urgent=Count("pk", filter=Q(urgent=True)))
    delivered = _delivered(period).count()
    first, after = period.bounds()
    failed = RequestEvent.objects.filter(
        kind=EventKind.STATUS, status=Status.FAILED, created_at__gte=first, created_at__lt=after
    ).count()
    days = on_the_day(period)
    due = sum(d for _day, d, _o in days)
    on_day = sum(o for _day, _d, o in days)
    hours = volunteers.hours_by_day(period.start, period.end)
    relief_hours = volunteers.hours_by_day(period.start, period.end, source="relief")
    return {
        "received": received["n"],
        "urgent": received["urgent"],
        "delivered": delivered,
        "failed": failed,
        "due": due,
        "on_day": on_day,
        "on_day_share": round(100 * on_day / due) if due else None,
        "median": median_time(period),
        "volunteer_hours": sum((h for _d, h in hours), Decimal(0)),
        "relief_hours": sum((h for _d, h in relief_hours), Decimal(0)),
    }


def volunteer_hours(period: Period) -> list[tuple[dt.date, Decimal]]:
    """Hours volunteers gave each day of the period (every source: relief's deliveries and
    what they logged themselves)."""
    found = dict(volunteers.hours_by_day(period.start, period.end))
    return [(day, found.get(day, Decimal(0))) for day in period.dates()]


def active_volunteers_by_district() -> list[tuple[str, int]]:
    return volunteers.active_by_district()


def hours_text(value: dt.timedelta | None) -> str:
    """A duration as people say it: "3 h 20 min", "2 days 4 h"."""
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
    return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}


# --- Public figures -------------------------------------------------------------------------


def suppress(cells: list[tuple[Any, int]], minimum: int) -> dict[Any, int | str | None]:
    """Each cell's count, or ``None`` when it is from 1 to ``minimum - 1``, or ``"hidden"``
    when it is the next smallest after a single suppressed cell (so that it cannot be worked
    out from the total). Zero is shown: it says no one, about no one."""
    out: dict[Any, int | str | None] = {key: (None if 0 < n < minimum else n) for key, n in cells}
    if sum(1 for v in out.values() if v is None) == 1:
        shown = sorted((n, i) for i, (key, n) in enumerate(cells) if out[key] is not None and n)
        if shown:
            out[cells[shown[0][1]][0]] = "hidden"
    return out


def _cell(value: int | str | None, minimum: int) -> dict[str, Any]:
    if value is None:
        return {
            "count": None,
            "suppressed": "small",
            "text": _("fewer than %(n)s") % {"n": minimum},
        }
    if value == "hidden":
        return {"count": None, "suppressed": "secondary", "text": _("not shown")}
    return {"count": value, "suppressed": "", "text": str(value)}


def _public_figures(language: str) -> dict[str, Any]:
    from django.utils import translation

    with translation.override(language):
        minimum = conf.FIGURES_MIN_COUNT
        period = Period.last(PUBLIC_DAYS)
        received = _received(period)
        total = received.count()
        delivered = _delivered(period).count()
        by_district: dict[int | None, int] = dict(
            received.values("beneficiary__district")
            .annotate(n=Count("pk"))
            .values_list("beneficiary__district", "n")
        )
        named = [(d.pk, d.code, d.name) for d in districts()]
        cells: list[tuple[int | None, int]] = [(pk, by_district.get(pk, 0)) for pk, _c, _n in named]
        if by_district.get(None):
            cells.append((None, by_district[None]))
        hidden = suppress(cells, minimum)
        district_rows = [
            {"code": code, "name": str(name), **_cell(hidden[pk], minimum)}
            for pk, code, name in named
        ]
        if None in hidden:
            district_rows.append(
                {"code": "", "name": _("Outside any district"), **_cell(hidden[None], minimum)}
            )
        needs = dict(
            Need.objects.filter(request__in=received)
            .values("kind")
            .annotate(n=Count("request", distinct=True))
            .values_list("kind", "n")
        )
        need_cells = suppress([(k, needs.get(k, 0)) for k in NeedKind.values], minimum)
        need_rows = [
            {"kind": k, "name": str(NeedKind(k).label), **_cell(need_cells[k], minimum)}
            for k in NeedKind.values
        ]
        days = on_the_day(period)
        due = sum(d for _day, d, _o in days)
        on_day = sum(o for _day, _d, o in days)
        median = median_time(period) if delivered >= minimum else None
        return {
            "days": PUBLIC_DAYS,
            "since": period.start,
            "minimum": minimum,
            "received": _cell(total if total >= minimum or not total else None, minimum),
            "delivered": _cell(
                delivered if delivered >= minimum or not delivered else None, minimum
            ),
            "on_day_share": round(100 * on_day / due) if due >= minimum else None,
            "median_hours": round(median.total_seconds() / 3600, 1) if median else None,
            "median_text": hours_text(median) if median else "",
            "by_district": district_rows,
            "by_need": need_rows,
        }


PUBLIC = CachedAnswer("relief.public_figures", seconds=600, compute=_public_figures)


def public_figures() -> dict[str, Any]:
    """The public figures in the current language (cached for ten minutes)."""
    return PUBLIC.get({"language": get_language() or "el"}).value  # type: ignore[no-any-return]
