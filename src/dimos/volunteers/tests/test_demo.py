"""The demo seeder: dozens of volunteers in Serres' districts, idempotent."""

from __future__ import annotations

from typing import Any

import pytest

from dimos.volunteers import selectors
from dimos.volunteers.models import Status, Volunteer

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_dozens_of_volunteers_once(municipality: Any) -> None:
    from dimos.accounts.demo import seed_accounts
    from dimos.volunteers.demo import seed_skills, seed_volunteers

    seed_accounts()
    seed_skills()
    seed_volunteers()
    seed_volunteers()
    assert Volunteer.objects.count() >= 36
    assert set(Volunteer.objects.values_list("status", flat=True)) == set(Status.values)
    assert all(n for _name, n in selectors.active_by_district())
    assert selectors.hours_by_month()
