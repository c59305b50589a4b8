"""The demo budget: three published years of about 1,500 lines, monthly snapshots whose amounts
follow the execution chain, spending decisions with valid ADAs — seeded once."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Count, F, Q, Sum

from dimos.budget.models import (
    BudgetLine,
    Direction,
    FiscalYear,
    Kae,
    LineAmounts,
    Service,
    Snapshot,
    SpendingDecision,
)
from dimos.core.diavgeia import validate_ada

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The demo budget, seeded once for the module (it takes seconds) and removed after."""
    from dimos.budget.demo import seed_budget

    with django_db_blocker.unblock():
        seed_budget()
        yield
        SpendingDecision.objects.all().delete()
        FiscalYear.objects.all().delete()
        Service.objects.all().delete()
        for level in (5, 4, 3, 2, 1):
            Kae.objects.filter(level=level).delete()


def test_a_second_run_adds_nothing(seeded: None) -> None:
    from dimos.budget.demo import seed_budget

    counts = [m.objects.count() for m in (BudgetLine, Snapshot, LineAmounts, SpendingDecision)]
    seed_budget()
    assert [m.objects.count() for m in (BudgetLine, Snapshot, LineAmounts, SpendingDecision)] == (
        counts
    )


def test_three_published_years_of_about_1500_lines_with_monthly_snapshots(seeded: None) -> None:
    years = FiscalYear.objects.annotate(n=Count("lines", distinct=True)).order_by("year")
    assert [(y.year, y.published) for y in years] == [(2024, True), (2025, True), (2026, True)]
    for y in years:
        assert 1400 <= y.n <= 1600
        assert y.lines.filter(direction=Direction.REVENUE).count() >= 150
    snapshots = {
        y: list(Snapshot.objects.filter(year__year=y).values_list("as_of", flat=True))
        for y in (2024, 2025, 2026)
    }
    assert [len(s) for s in snapshots.values()] == [12, 12, 11]
    assert snapshots[2026][-1].isoformat() == "2026-11-30"
    assert all(d.month == m for s in snapshots.values() for m, d in enumerate(s, start=1))
    # Every snapshot holds every line of its year once.
    for snapshot in Snapshot.objects.annotate(n=Count("amounts")):
        assert snapshot.n == snapshot.rows == snapshot.year.lines.count()


def test_twelve_services_and_codes_under_the_built_in_groups(seeded: None) -> None:
    assert list(Service.objects.values_list("code", flat=True)) == [
        "00", "10", "15", "20", "25", "30", "35", "40", "45", "50", "60", "70",
    ]  # fmt: skip
    assert not Service.objects.filter(Q(name_el="") | Q(name_en="")).exists()
    # A line's KAE is of its direction, and its chain of parents reaches a class.
    assert not BudgetLine.objects.exclude(direction=F("kae__direction")).exists()
    parents = dict(Kae.objects.values_list("pk", "parent_id"))
    levels = dict(Kae.objects.values_list("pk", "level"))
    for pk in set(BudgetLine.objects.values_list("kae_id", flat=True)):
        chain = [pk]
        while parents[chain[-1]] is not None:
            chain.append(parents[chain[-1]])
        assert levels[chain[-1]] == 1 and len(chain) >= 4
    assert Kae.objects.filter(level=5, lines__isnull=False).count() >= 500


def _totals(snapshot: Snapshot, direction: str) -> dict[str, Decimal]:
    phases = ("approved", "adjusted", "committed", "ordered", "paid", "assessed", "collected")
    found = LineAmounts.objects.filter(snapshot=snapshot, line__direction=direction).aggregate(
        **{p: Sum(p) for p in phases}
    )
    return {k: v for k, v in found.items() if v is not None}


def test_each_year_is_balanced_and_city_sized(seeded: None) -> None:
    for year in FiscalYear.objects.all():
        latest = year.snapshots.latest()
        spending, income = _totals(latest, "expenditure"), _totals(latest, "revenue")
        assert spending["approved"] == income["approved"]
        assert Decimal("60e6") <= spending["approved"] <= Decimal("80e6")
        assert spending["approved"] * Decimal("0.5") < spending["paid"] < spending["adjusted"]
        assert set(spending) == {"approved", "adjusted", "committed", "ordered", "paid"}
        assert set(income) == {"approved", "adjusted", "assessed", "collected"}


def test_every_snapshot_follows_the_execution_chain(seeded: None) -> None:
    expenditure = LineAmounts.objects.filter(line__direction=Direction.EXPENDITURE)
    assert expenditure.exists()
    assert not expenditure.filter(
        Q(paid__gt=F("ordered")) | Q(ordered__gt=F("committed")) | Q(committed__gt=F("adjusted"))
    ).exists()
    assert not expenditure.filter(
        Q(paid__isnull=True) | Q(assessed__isnull=False) | Q(collected__isnull=False)
    ).exists()
    revenue = LineAmounts.objects.filter(line__direction=Direction.REVENUE)
    assert not revenue.filter(collected__gt=F("assessed")).exists()
    assert not revenue.filter(Q(committed__isnull=False) | Q(collected__isnull=True)).exists()
    assert not LineAmounts.objects.filter(
        Q(approved__lt=0) | Q(adjusted__lt=0) | Q(paid__lt=0) | Q(collected__lt=0)
    ).exists()


def test_amounts_grow_month_by_month(seeded: None) -> None:
    phases = ("committed", "ordered", "paid", "assessed", "collected")
    for year in FiscalYear.objects.all():
        previous: dict[int, tuple[Decimal | None, ...]] = {}
        for snapshot in year.snapshots.order_by("as_of"):
            rows = {
                line_id: rest for line_id, *rest in snapshot.amounts.values_list("line_id", *phases)
            }
            for line_id, now in rows.items():
                before = previous.get(line_id, (None,) * len(phases))
                for phase, a, b in zip(phases, before, now, strict=True):
                    assert (b or 0) >= (a or 0), (line_id, phase)
            previous = rows
        # And the year moves: more is paid at the end than after the first month.
        first, last = year.snapshots.order_by("as_of")[0], year.snapshots.latest()
        assert _totals(last, "expenditure")["paid"] > 3 * _totals(first, "expenditure")["paid"]


def test_spending_decisions_have_valid_unique_adas_within_their_line(seeded: None) -> None:
    decisions = list(SpendingDecision.objects.select_related("line__year"))
    assert len(decisions) >= 100
    assert len({d.ada for d in decisions}) == len(decisions)
    latest = {y.pk: y.snapshots.latest() for y in FiscalYear.objects.all()}
    for d in decisions:
        validate_ada(d.ada)
        assert d.date.year == d.line.year.year and d.date <= latest[d.line.year_id].as_of
        assert d.line.direction == Direction.EXPENDITURE and d.amount > 0
        committed = LineAmounts.objects.get(snapshot=latest[d.line.year_id], line=d.line).committed
        assert committed is not None and d.amount <= committed
    assert {d.kind for d in decisions} == {"commitment", "payment"}
