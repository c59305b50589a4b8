"""The demo seeder: the services of Serres, the office's and a service's accounts, forty
complaints in every state over last year and this, a published annual report; idempotent."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from dimos.advocate import selectors
from dimos.advocate.models import AnnualReport, Complaint, Status

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_the_advocate_once(municipality: Any, settings: Any, tmp_path: Any) -> None:
    from dimos.accounts.demo import seed_accounts
    from dimos.accounts.models import User
    from dimos.advocate.demo import seed

    settings.DIMOS_PRIVATE_DIR = tmp_path
    seed_accounts()
    seed()
    seed()
    assert Complaint.objects.count() == 40
    states = set(Complaint.objects.values_list("status", flat=True))
    assert {
        Status.SUBMITTED,
        Status.ADMITTED,
        Status.CONCLUDED,
        Status.INADMISSIBLE,
        Status.REFERRED,
    } <= states
    office = User.objects.get(email="advocate@demo.dimos.gr")
    assert office.has_perm("advocate.handle_complaint")
    assert User.objects.get(email="liaison@demo.dimos.gr").has_perm("advocate.answer_mediation")
    last_year = timezone.localdate().year - 1
    figures = selectors.compute_figures(last_year)
    assert figures["total"] > 10 and figures["answered"] > 5 and figures["median_days"]
    assert AnnualReport.objects.get(year=last_year).published_at
    # Protocol numbers run from 1 in each year, in the order of submission.
    numbers = list(
        Complaint.objects.filter(year=last_year)
        .order_by("submitted_at")
        .values_list("number", flat=True)
    )
    assert numbers == list(range(1, len(numbers) + 1))
