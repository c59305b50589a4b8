"""The query engine, on the budget of ``budget_data`` (its docstring has the figures)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from dimos.budget.aggregates import (
    Amounts,
    Cuts,
    QueryError,
    aggregate,
    latest_snapshot,
    over_snapshots,
    over_years,
    percentage,
    snapshot_of,
    totals,
)
from dimos.budget.tests.budget_data import BudgetData

EXPENDITURE = Cuts(direction="expenditure")
REVENUE = Cuts(direction="revenue")


def test_percentage_rounds_half_up_and_is_none_of_nothing() -> None:
    assert percentage(Decimal("1850"), Decimal("4000")) == Decimal("46.3")
    assert percentage(Decimal("1"), Decimal("0")) is None


def test_the_latest_snapshot_is_the_current_one(budget: BudgetData) -> None:
    assert latest_snapshot(2026) == budget.snapshots[date(2026, 6, 30)]
    assert snapshot_of(2026, date(2026, 3, 31)) == budget.snapshots[date(2026, 3, 31)]
    assert snapshot_of(2026, date(2026, 4, 1)) is None
    assert latest_snapshot(2030) is None


def test_expenditure_totals_of_the_latest_snapshot(budget: BudgetData) -> None:
    spent = totals(2026, cuts=EXPENDITURE)
    assert (spent.approved, spent.adjusted, spent.committed, spent.ordered, spent.paid) == (
        Decimal("3900.00"),
        Decimal("4000.00"),
        Decimal("1850.00"),
        Decimal("1150.00"),
        Decimal("950.00"),
    )
    assert spent.collected == Decimal("0.00")
    assert spent.lines == 4
    assert spent.execution == Decimal("23.8")
    assert spent.commitment == Decimal("46.3")


def test_revenue_execution_is_collected_of_adjusted(budget: BudgetData) -> None:
    income = totals(2026, cuts=REVENUE)
    assert (income.approved, income.adjusted, income.assessed, income.collected) == (
        Decimal("4000.00"),
        Decimal("4100.00"),
        Decimal("3600.00"),
        Decimal("2600.00"),
    )
    assert income.execution == Decimal("63.4")  # 2600 / 4100
    assert income.commitment == Decimal("87.8")  # 3600 / 4100


def test_an_earlier_snapshot_has_its_own_figures(budget: BudgetData) -> None:
    march = budget.snapshots[date(2026, 3, 31)]
    spent = totals(2026, cuts=EXPENDITURE, snapshot=march)
    assert spent.adjusted == Decimal("3900.00")
    assert spent.paid == Decimal("475.00")


def test_by_direction(budget: BudgetData) -> None:
    with translation.override("en"):
        answer = aggregate(2026, drilldown=("direction",))
    cells = {c.key("direction"): c for c in answer.cells}
    assert cells["expenditure"].amounts.paid == Decimal("950.00")
    assert cells["revenue"].amounts.collected == Decimal("2600.00")
    assert cells["revenue"].label("direction") == "Revenue"
    assert answer.summary.approved == Decimal("7900.00")


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("kae1", {"6": "2000.00", "7": "2000.00"}),
        ("kae2", {"60": "1700.00", "62": "300.00", "73": "2000.00"}),
        ("kae3", {"601": "1700.00", "626": "300.00", "732": "2000.00"}),
        ("kae4", {"6011": "1700.00", "6262": "300.00", "7323": "2000.00"}),
        ("kae5", {"6011": "1700.00", "6262.01": "300.00", "7323": "2000.00"}),
    ],
)
def test_by_each_kae_level(budget: BudgetData, level: str, expected: dict[str, str]) -> None:
    answer = aggregate(2026, drilldown=(level,), cuts=EXPENDITURE)
    assert {c.key(level): str(c.amounts.adjusted) for c in answer.cells} == expected


def test_kae_groups_are_named_in_the_visitors_language(budget: BudgetData) -> None:
    with translation.override("el"):
        greek = aggregate(2026, drilldown=("kae2",), cuts=EXPENDITURE).cells[0]
    with translation.override("en"):
        english = aggregate(2026, drilldown=("kae2",), cuts=EXPENDITURE).cells[0]
    assert greek.label("kae2") == "Αμοιβές και έξοδα προσωπικού"
    assert english.label("kae2") == "Staff pay and costs"


def test_by_service_with_a_kae_cut(budget: BudgetData) -> None:
    with translation.override("el"):  # the labels are in the visitor's language
        answer = aggregate(2026, drilldown=("service",), cuts=Cuts(kae="60"))
    assert [(c.key("service"), c.amounts.paid, c.amounts.lines) for c in answer.cells] == [
        ("10", Decimal("600.00"), 1),
        ("20", Decimal("200.00"), 1),
    ]
    with translation.override("el"):
        assert answer.cells[1].label("service") == "Οικονομικές υπηρεσίες"


def test_by_line_keys_are_service_and_kae(budget: BudgetData) -> None:
    answer = aggregate(2026, drilldown=("line",), cuts=Cuts(service="20"))
    assert [(c.key("line"), c.label("line")) for c in answer.cells] == [
        ("20-6011", "Τακτικές αποδοχές υπαλλήλων οικονομικής"),
        ("20-6262.01", "Συντήρηση οδών και πεζοδρομίων"),
    ]


def test_two_dimensions(budget: BudgetData) -> None:
    answer = aggregate(2026, drilldown=("kae1", "service"), cuts=EXPENDITURE)
    assert [(c.key("kae1"), c.key("service"), c.amounts.paid) for c in answer.cells] == [
        ("6", "10", Decimal("600.00")),
        ("6", "20", Decimal("250.00")),
        ("7", "30", Decimal("100.00")),
    ]


def test_cuts_by_line_and_by_prefix_with_extension(budget: BudgetData) -> None:
    assert totals(2026, cuts=Cuts(line="20-6262.01")).paid == Decimal("50.00")
    assert totals(2026, cuts=Cuts(kae="6262")).adjusted == Decimal("300.00")
    assert totals(2026, cuts=Cuts(kae="6262.01", service="20")).lines == 1
    assert totals(2026, cuts=Cuts(service="99")).lines == 0


def test_order_by_a_measure_descending_then_by_the_keys(budget: BudgetData) -> None:
    answer = aggregate(2026, drilldown=("kae2",), cuts=EXPENDITURE, order=[("paid", True)])
    assert [c.key("kae2") for c in answer.cells] == ["60", "73", "62"]
    by_key = aggregate(2026, drilldown=("kae2",), cuts=EXPENDITURE, order=[("kae2", True)])
    assert [c.key("kae2") for c in by_key.cells] == ["73", "62", "60"]


def test_order_by_execution(budget: BudgetData) -> None:
    # 60: 800/1700 = 47.1 %; 62: 50/300 = 16.7 %; 73: 100/2000 = 5 %.
    answer = aggregate(2026, drilldown=("kae2",), cuts=EXPENDITURE, order=[("execution", False)])
    assert [(c.key("kae2"), c.amounts.execution) for c in answer.cells] == [
        ("73", Decimal("5.0")),
        ("62", Decimal("16.7")),
        ("60", Decimal("47.1")),
    ]


def test_pages_carry_the_total_and_the_summary_of_all_cells(budget: BudgetData) -> None:
    first = aggregate(2026, drilldown=("line",), page=1, page_size=4)
    second = aggregate(2026, drilldown=("line",), page=2, page_size=4)
    assert first.total_cell_count == 6
    assert first.pages == 2
    assert len(first.cells) == 4
    assert [c.key("line") for c in second.cells] == ["20-6262.01", "30-7323"]
    assert second.summary.approved == Decimal("7900.00")


def test_a_year_without_snapshots_answers_empty(db: Any) -> None:
    answer = aggregate(2030, drilldown=("kae1",))
    assert answer.snapshot is None
    assert answer.cells == []
    assert answer.summary == Amounts()


@pytest.mark.parametrize(
    "question",
    [
        {"drilldown": ("colour",)},
        {"drilldown": ("kae1", "kae1")},
        {"cuts": Cuts(direction="sideways")},
        {"cuts": Cuts(kae="6x")},
        {"cuts": Cuts(line="6011")},
        {"cuts": Cuts(service="10; DROP")},
        {"order": [("price", True)]},
        {"page": 0},
        {"page_size": 0},
        {"page_size": 10_001},
    ],
)
def test_questions_it_cannot_answer_raise_query_error(
    budget: BudgetData, question: dict[str, Any]
) -> None:
    with pytest.raises(QueryError):
        aggregate(2026, **question)


def test_a_snapshot_of_another_year_is_refused(budget: BudgetData) -> None:
    with pytest.raises(QueryError):
        aggregate(2026, snapshot=budget.snapshots[date(2025, 12, 31)])


def test_series_over_the_years_snapshots(budget: BudgetData) -> None:
    points = over_snapshots(2026, cuts=EXPENDITURE)
    assert [(p.as_of, p.amounts.paid, p.amounts.execution) for p in points] == [
        (date(2026, 3, 31), Decimal("475.00"), Decimal("12.2")),  # 475 / 3900
        (date(2026, 6, 30), Decimal("950.00"), Decimal("23.8")),
    ]


def test_series_over_the_years_of_one_line(budget: BudgetData) -> None:
    points = over_years(cuts=Cuts(line="10-6011"))
    assert [(p.year, p.as_of, p.amounts.paid) for p in points] == [
        (2025, date(2025, 12, 31), Decimal("950.00")),
        (2026, date(2026, 6, 30), Decimal("600.00")),
    ]
    assert [p.year for p in over_years(years=[2026])] == [2026]


def test_a_line_missing_from_a_year_is_zero_there(budget: BudgetData) -> None:
    points = over_years(cuts=Cuts(line="30-7323"))
    assert [(p.year, p.amounts.lines, p.amounts.paid) for p in points] == [
        (2025, 0, Decimal("0.00")),
        (2026, 1, Decimal("100.00")),
    ]


def test_query_counts(budget: BudgetData, django_assert_max_num_queries: Any) -> None:
    # Snapshot, summary, count, page, names of the groups.
    with django_assert_max_num_queries(5):
        aggregate(2026, drilldown=("kae2",), cuts=EXPENDITURE)
    with django_assert_max_num_queries(3):
        over_years(cuts=EXPENDITURE)
