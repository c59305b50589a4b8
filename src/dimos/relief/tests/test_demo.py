"""The demo seeder: a Serres emergency week, over a hundred requests in every state, once."""

from __future__ import annotations

from typing import Any

import pytest

from dimos.relief.models import ReliefRequest, Status

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_an_emergency_week_once(municipality: Any) -> None:
    from dimos.accounts.demo import seed_accounts
    from dimos.relief.demo import seed

    seed_accounts()
    seed()
    seed()
    assert ReliefRequest.objects.count() >= 100
    assert set(ReliefRequest.objects.values_list("status", flat=True)) == set(Status.values)
    districts = set(ReliefRequest.objects.values_list("beneficiary__district__code", flat=True))
    assert len(districts) >= 5 and None not in districts
    delivered = ReliefRequest.objects.filter(status=Status.DELIVERED).first()
    assert delivered is not None and delivered.delivery.status == "delivered"
