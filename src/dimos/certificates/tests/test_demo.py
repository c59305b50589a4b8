from __future__ import annotations

from typing import Any

import pytest

from dimos.certificates.models import CertificateRequest, CertificateType, Status

pytestmark = pytest.mark.django_db


def test_demo_seeders_are_idempotent_and_cover_the_states(municipality: Any) -> None:
    from dimos.accounts.demo import seed_accounts
    from dimos.certificates.demo import seed_requests, seed_types

    seed_accounts()
    for _ in range(2):
        seed_types()
        seed_requests()
    assert CertificateType.objects.count() == 5
    statuses = set(CertificateRequest.objects.values_list("status", flat=True))
    assert {Status.NEW, Status.WAITING, Status.REVIEW, Status.ISSUED} <= statuses
    assert CertificateRequest.objects.filter(channel="phone").exists()
