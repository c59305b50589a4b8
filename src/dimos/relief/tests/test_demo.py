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
    # The deliveries carry their map points, and today's clerk's visits of one district are
    # a run, ordered along the way.
    assert delivered.delivery.lat is not None and delivered.delivery.district is not None
    from dimos.deliveries.models import Run

    run = Run.objects.get()
    assert run.stops.count() >= 2 and run.courier.email == "clerk@demo.dimos.gr"


def test_demo_volunteers_hold_some_visits_and_the_resident_is_not_made_one(
    municipality: Any,
) -> None:
    from dimos.accounts.demo import seed_accounts
    from dimos.relief import volunteering
    from dimos.relief.demo import seed, seed_tasks
    from dimos.relief.models import TaskClaim
    from dimos.volunteers.demo import seed_skills, seed_volunteers
    from dimos.volunteers.models import Volunteer

    seed_accounts()
    seed_skills()
    seed_volunteers()
    seed()
    open_before = volunteering.open_tasks().count()
    seed_tasks()
    seed_tasks()  # once
    held = list(TaskClaim.objects.select_related("delivery", "volunteer__user"))
    assert held and all(c.delivery.assigned_to_id == c.volunteer.user_id for c in held)
    assert all(c.volunteer.user.email.endswith("@volunteers.demo.dimos.gr") for c in held)
    assert volunteering.open_tasks().count() == open_before - len(held) > 0
    assert not Volunteer.objects.filter(user__email__startswith="resident@").exists()
