"""The demo: Serres' lessons for children and Thessaloniki's hackathon, seeded once."""

from __future__ import annotations

from typing import Any

import pytest

from dimos.activities.models import Programme, Registration

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_lessons_a_hackathon_and_a_family_once(municipality: Any) -> None:
    from dimos.accounts.demo import seed_accounts
    from dimos.activities.demo import seed

    seed_accounts()
    seed()
    count = Programme.objects.count()
    assert count == 6
    hackathon = Programme.objects.get(kind="event")
    assert hackathon.teams and hackathon.check_in and hackathon.audience == "adults"
    english = Programme.objects.get(title_en="English with songs")
    assert english.registrations.filter(status="waitlisted").count() == 4
    resident = Registration.objects.filter(account__email="resident@demo.dimos.gr")
    assert set(resident.values_list("status", flat=True)) == {"confirmed", "waitlisted"}
    assert resident.filter(attendance__present=True).exists()
    seed()
    assert Programme.objects.count() == count
