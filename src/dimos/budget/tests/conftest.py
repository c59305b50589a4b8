"""Fixtures of the budget tests: the hand-checkable budget of ``budget_data``."""

from __future__ import annotations

from typing import Any

import pytest

from dimos.budget.tests.budget_data import BudgetData, make_budget


@pytest.fixture
def budget(db: Any) -> BudgetData:
    return make_budget()
