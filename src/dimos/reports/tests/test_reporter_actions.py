from datetime import timedelta

import pytest
from django.utils import timezone

from dimos.reports.models import Report, Status
from dimos.reports.services import Location, change_status, submit_report
from dimos.reports.tests.factories import CategoryFactory


@pytest.fixture
def mine(municipality, citizen):
    report, _ = submit_report(
        category=CategoryFactory.create(), location=Location(41.10, 23.56), reporter=citizen
    )
    return report


def test_reporter_withdraws_shortly_after_sending(citizen_client, mine):
    html = citizen_client.get(f"/reports/{mine.pk}/").content.decode()
    assert "withdraw" in html
    citizen_client.post(f"/reports/{mine.pk}/withdraw/")
    mine.refresh_from_db()
    assert mine.status == Status.WITHDRAWN


def test_withdrawing_late_is_refused(citizen_client, mine):
    Report.objects.filter(pk=mine.pk).update(created_at=timezone.now() - timedelta(days=1))
    citizen_client.post(f"/reports/{mine.pk}/withdraw/")
    mine.refresh_from_db()
    assert mine.status == Status.OPEN


def test_others_cannot_act_on_my_report(mine, other_citizen):
    from django.test import Client

    client = Client()
    client.force_login(other_citizen)
    assert client.post(f"/reports/{mine.pk}/withdraw/").status_code == 404
    mine.refresh_from_db()
    assert mine.status == Status.OPEN


def test_reporter_reopens_a_fixed_report(citizen_client, mine, clerk):
    change_status(report=mine, to=Status.FIXED, actor=clerk)
    citizen_client.post(f"/reports/{mine.pk}/reopen/", {"reason": "Άνοιξε πάλι"})
    mine.refresh_from_db()
    assert mine.status == Status.OPEN
    assert mine.updates.filter(text="Άνοιξε πάλι").exists()


def test_reopen_needs_a_reason_and_the_window(citizen_client, mine, clerk):
    change_status(report=mine, to=Status.FIXED, actor=clerk)
    citizen_client.post(f"/reports/{mine.pk}/reopen/", {"reason": " "})
    mine.refresh_from_db()
    assert mine.status == Status.FIXED
    Report.objects.filter(pk=mine.pk).update(fixed_at=timezone.now() - timedelta(days=90))
    citizen_client.post(f"/reports/{mine.pk}/reopen/", {"reason": "πάλι"})
    mine.refresh_from_db()
    assert mine.status == Status.FIXED


def test_actions_need_post(citizen_client, mine):
    assert citizen_client.get(f"/reports/{mine.pk}/withdraw/").status_code == 405
