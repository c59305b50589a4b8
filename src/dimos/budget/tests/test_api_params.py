"""Whatever a client writes in the aggregate's drilldown, cut and order, the answer is the
figures or a 4xx in the platform's error shape — never a server error."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dimos.budget.api import DIMENSIONS, MEASURES
from dimos.budget.tests.budget_data import BudgetData

pytestmark = pytest.mark.django_db

# Pieces of real parameters, glued together with arbitrary text, separators and odd characters.
PIECES = st.sampled_from(
    [*DIMENSIONS, *MEASURES, "kae", "direction", "expenditure", "revenue", "60", "6262.01",
     "10-6011", ":", ";", "|", ",", "asc", "desc", ".", "-", "\x00", "Ω", " ", "%", "9" * 30]
)  # fmt: skip
PARAMETER = st.lists(PIECES | st.text(max_size=4), max_size=8).map("".join)


@given(drilldown=PARAMETER, cut=PARAMETER, order=PARAMETER, fmt=st.sampled_from(["json", "csv"]))
@settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_drilldown_cut_or_order_is_a_server_error(
    budget: BudgetData, client: Client, drilldown: str, cut: str, order: str, fmt: str
) -> None:
    cache.clear()  # not to meet the API's throttle
    response = client.get(
        "/api/v1/budget/2026/aggregate",
        {"drilldown": drilldown, "cut": cut, "order": order, "format": fmt, "pagesize": 5},
    )
    assert response.status_code in (200, 400, 422), response.content
    if response.status_code != 200:
        assert response.json()["error"]["code"] in ("bad_request", "invalid")
