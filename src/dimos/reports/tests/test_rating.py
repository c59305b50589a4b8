"""A fixed or closed report is a completed transaction: its reporter is asked once, on the
report's page and by email, to rate it (through the feedback app, reached only by its pages),
and the rating moves the service's published satisfaction."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from dimos.reports.models import Status
from dimos.reports.services import Location, change_status, submit_report
from dimos.reports.tests.factories import CategoryFactory


@pytest.fixture
def mine(municipality, citizen):
    report, _ = submit_report(
        category=CategoryFactory.create(), location=Location(41.10, 23.56), reporter=citizen
    )
    return report


def _rate_link(to: str) -> str:
    bodies = [m.body for m in mail.outbox if m.to == [to] and "/feedback/rate/" in m.body]
    assert len(bodies) == 1, bodies
    return re.search(r"https?://[^/\s]+(/feedback/rate/\S+/)", bodies[0]).group(1)


def test_a_fixed_report_is_rated_from_the_email_link(
    mine, citizen, citizen_client, clerk, django_capture_on_commit_callbacks
):
    assert "/feedback/rate/" not in citizen_client.get(f"/reports/{mine.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        change_status(report=mine, to=Status.FIXED, actor=clerk)
    link = _rate_link(citizen.email)
    # The report's page offers the same link to its reporter, and to nobody else.
    assert link in citizen_client.get(f"/reports/{mine.pk}/").content.decode()
    assert "/feedback/rate/" not in Client().get(f"/reports/{mine.pk}/").content.decode()
    stranger = Client()
    assert stranger.post(link, {"score": "5", "improve": "Μπράβο"}).status_code == 200
    api = stranger.get("/api/v1/feedback/performance/report-problem").json()
    assert api["total"]["satisfaction"] == 100 and api["total"]["ratings"] == 1
    assert "/feedback/rate/" not in citizen_client.get(f"/reports/{mine.pk}/").content.decode()


def test_reopened_and_fixed_again_is_asked_once(
    mine, citizen, clerk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change_status(report=mine, to=Status.FIXED, actor=clerk)
        change_status(report=mine, to=Status.OPEN, actor=citizen, note="πάλι")
        change_status(report=mine, to=Status.FIXED, actor=clerk)
    _rate_link(citizen.email)  # exactly one invitation


def test_a_withdrawn_report_is_not_a_completed_transaction(
    mine, citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change_status(report=mine, to=Status.WITHDRAWN, actor=citizen)
    assert not [m for m in mail.outbox if "/feedback/rate/" in m.body]


def test_the_old_rate_action_is_gone(mine, citizen_client, clerk):
    change_status(report=mine, to=Status.FIXED, actor=clerk)
    html = citizen_client.get(f"/reports/{mine.pk}/").content.decode()
    assert 'name="stars"' not in html
