"""Figures: the coordinators' page (period, charts, CSV) and the public ones (suppressed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dimos.core.selectors import districts
from dimos.relief import figures
from dimos.relief.models import (
    Beneficiary,
    EventKind,
    Need,
    ReliefRequest,
    RequestEvent,
    Status,
)
from dimos.testing.personas import login, staff
from dimos.volunteers.models import Status as VolunteerStatus
from dimos.volunteers.models import Volunteer, VolunteerHours

pytestmark = pytest.mark.django_db


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def _request(
    n: int,
    *,
    day: dt.date,
    created: dt.datetime,
    status: str = Status.RECEIVED,
    delivered: dt.datetime | None = None,
    district: Any = None,
    kind: str = "food",
) -> ReliefRequest:
    beneficiary = Beneficiary.objects.create(
        full_name=f"Person {n}",
        address=f"Street {n}",
        district=district,
        consent_version=1,
        consent_method="phone",
    )
    req = ReliefRequest.objects.create(
        beneficiary=beneficiary,
        channel="phone",
        day=day,
        window_start=dt.time(9),
        window_end=dt.time(13),
        status=status,
        created_at=created,
        delivered_at=delivered,
    )
    Need.objects.create(request=req, kind=kind)
    return req


def _fail(req: ReliefRequest, reason: str, when: dt.datetime) -> None:
    RequestEvent.objects.create(
        request=req, kind=EventKind.STATUS, status=Status.FAILED, message=reason, created_at=when
    )


@pytest.fixture
def week(municipality: Any) -> dict[str, Any]:
    """Requests over the last days: some delivered on their day, one late, one failed twice."""
    today = timezone.localdate()
    d1, d2 = today - dt.timedelta(days=2), today - dt.timedelta(days=1)
    first = list(districts()[:2])
    made = [
        # Asked the day before, delivered on the day: 26 hours.
        _request(1, day=d2, created=_at(d1, 9), status=Status.DELIVERED, delivered=_at(d2, 11)),
        # Same day: 2 hours.
        _request(2, day=d2, created=_at(d2, 8), status=Status.DELIVERED, delivered=_at(d2, 10)),
        # Delivered a day late: 30 hours, not on the day.
        _request(3, day=d1, created=_at(d1, 8), status=Status.DELIVERED, delivered=_at(d2, 14)),
        # Failed (due, not delivered).
        _request(4, day=d2, created=_at(d2, 7), status=Status.FAILED),
        # Declined: not due.
        _request(5, day=d2, created=_at(d2, 7), status=Status.DECLINED),
        # Long ago: outside every period.
        _request(6, day=today - dt.timedelta(days=60), created=_at(today, 0) - dt.timedelta(60)),
    ]
    for i, req in enumerate(made):
        req.beneficiary.district = first[i % 2]
        req.beneficiary.save()
    _fail(made[3], "Nobody at home", _at(d2, 12))
    _fail(made[3], " nobody at HOME", _at(d2, 15))
    _fail(made[2], "", _at(d1, 15))
    return {"requests": made, "today": today, "d1": d1, "d2": d2}


def test_requests_per_day_count_every_day_of_the_period(week: dict[str, Any]) -> None:
    period = figures.Period.last(7)
    per_day = dict(figures.requests_per_day(period))
    assert len(per_day) == 7 and period.end == week["today"]
    assert per_day[week["d1"]] == 2 and per_day[week["d2"]] == 3
    assert sum(per_day.values()) == 5  # the one of two months ago is not in it


def test_delivered_on_the_requested_day_and_the_median(week: dict[str, Any]) -> None:
    period = figures.Period.last(7)
    days = {day: (due, on_day) for day, due, on_day in figures.on_the_day(period)}
    assert days[week["d2"]] == (3, 2)  # 1 and 2 on the day, 4 failed; 5 declined is not due
    assert days[week["d1"]] == (1, 0)  # 3 came a day late
    # Times: 2 h, 26 h, 30 h → the median is 26 h.
    assert figures.median_time(period) == dt.timedelta(hours=26)
    speed = dict(figures.delivery_speed(period))
    assert list(speed.values()) == [1, 0, 0, 2, 0]
    summary = figures.summary(period)
    assert summary["received"] == 5 and summary["delivered"] == 3 and summary["failed"] == 3
    assert summary["on_day_share"] == 50  # 2 of 4 due
    assert figures.hours_text(dt.timedelta(hours=26)) == "1 d 2 h"


def test_the_median_of_an_even_number_is_between_the_middle_two(week: dict[str, Any]) -> None:
    today = week["today"]
    _request(7, day=today, created=_at(today, 1), delivered=_at(today, 5), status="delivered")
    # 2, 4, 26, 30 hours → 15 hours.
    assert figures.median_time(figures.Period.last(7)) == dt.timedelta(hours=15)


def test_failures_by_reason_fold_case_and_spaces(week: dict[str, Any]) -> None:
    reasons = dict(figures.failures(figures.Period.last(7)))
    assert reasons == {"Nobody at home": 2, "No reason recorded": 1}


def test_the_failure_reason_is_kept_in_the_history(scheduled: Any, courier: Any) -> None:
    from dimos.relief import services

    req, _code = scheduled
    services.fail_delivery(req=req, reason="Pharmacy closed", actor=courier)
    assert dict(figures.failures(figures.Period.last(7))) == {"Pharmacy closed": 1}


def test_volunteer_hours_come_from_the_volunteers_app(week: dict[str, Any], citizen: Any) -> None:
    volunteer = Volunteer.objects.create(user=citizen, phone="6944000000", status="approved")
    volunteer.districts.add(districts().first())
    VolunteerHours.objects.create(
        volunteer=volunteer, date=week["d1"], hours=Decimal("2.5"), source="relief"
    )
    VolunteerHours.objects.create(volunteer=volunteer, date=week["d2"], hours=Decimal("1"))
    period = figures.Period.last(7)
    hours = dict(figures.volunteer_hours(period))
    assert hours[week["d1"]] == Decimal("2.5") and hours[week["d2"]] == Decimal("1")
    summary = figures.summary(period)
    assert summary["volunteer_hours"] == Decimal("3.5") and summary["relief_hours"] == Decimal(
        "2.5"
    )
    active = dict(figures.active_volunteers_by_district())
    assert active[districts().first().name] == 1  # type: ignore[union-attr]
    assert volunteer.status == VolunteerStatus.APPROVED


def test_the_figures_page_is_for_coordinators(
    week: dict[str, Any], coordinator_client: Client, citizen: Any
) -> None:
    page = coordinator_client.get("/staff/relief/figures/")
    assert page.status_code == 200
    html = page.content.decode()
    for title in (
        "Requests per day",
        "Delivered on the requested day",
        "Time from request to delivery",
        "Failed deliveries and why",
        "Volunteer hours per day",
        "Active volunteers per district",
    ):
        assert title in html
    # Each chart is an image named by its title, with its figures as a table.
    assert html.count('role="img"') == 6 and html.count("<table") >= 6
    assert "Nobody at home" in html and "26 h" not in html and "1 d 2 h" in html
    thirty = coordinator_client.get("/staff/relief/figures/?days=30")
    assert thirty.status_code == 200 and thirty.context["period"].days == 30
    # An unknown period falls back to the week.
    assert coordinator_client.get("/staff/relief/figures/?days=9").context["period"].days == 7
    # A resident and a volunteers' coordinator are turned away.
    assert login(citizen).get("/staff/relief/figures/").status_code in (302, 403)
    other = login(staff("volunteers@example.org", "volunteer_coordinator"))
    assert other.get("/staff/relief/figures/").status_code == 403


def test_each_chart_downloads_its_data_as_csv(
    week: dict[str, Any], coordinator_client: Client
) -> None:
    answer = coordinator_client.get("/staff/relief/figures/?chart=failed-by-reason&format=csv")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    assert "attachment" in answer["Content-Disposition"]
    lines = answer.content.decode().splitlines()
    assert lines[0] == "Reason,Failed deliveries" and "Nobody at home,2" in lines
    per_day = coordinator_client.get("/staff/relief/figures/?chart=requests-per-day&format=csv")
    assert len(per_day.content.decode().splitlines()) == 8  # a heading and seven days
    month = coordinator_client.get(
        "/staff/relief/figures/?days=30&chart=requests-per-day&format=csv"
    )
    assert len(month.content.decode().splitlines()) == 31
    assert coordinator_client.get("/staff/relief/figures/?chart=nope&format=csv").status_code == 404


def test_the_page_reads_in_few_queries(
    week: dict[str, Any], coordinator_client: Client, django_assert_max_num_queries: Any
) -> None:
    coordinator_client.get("/staff/relief/figures/")  # sessions and caches warm
    # Aggregates only: the count does not grow with the number of requests.
    with django_assert_max_num_queries(30):
        coordinator_client.get("/staff/relief/figures/")
    for n in range(20):
        _request(
            100 + n,
            day=week["d2"],
            created=_at(week["d2"], 9),
            status="delivered",
            delivered=_at(week["d2"], 12),
        )
    with django_assert_max_num_queries(30):
        coordinator_client.get("/staff/relief/figures/")


# --- Public figures ---------------------------------------------------------------------------


def test_suppression_hides_small_counts_and_the_next_smallest() -> None:
    assert figures.suppress([("a", 0), ("b", 7), ("c", 9)], 5) == {"a": 0, "b": 7, "c": 9}
    # One small cell alone could be worked out from the total: the next smallest goes too.
    assert figures.suppress([("a", 3), ("b", 7), ("c", 9)], 5) == {
        "a": None,
        "b": "hidden",
        "c": 9,
    }
    assert figures.suppress([("a", 3), ("b", 1), ("c", 9)], 5) == {"a": None, "b": None, "c": 9}


def test_public_figures_suppress_small_counts(week: dict[str, Any]) -> None:
    data = figures._public_figures("en")
    assert data["minimum"] == 5 and data["days"] == 30
    assert data["received"] == {"count": 5, "suppressed": "", "text": "5"}
    # 3 delivered: fewer than 5, and no median or share resting on them.
    assert data["delivered"]["count"] is None and data["delivered"]["text"] == "fewer than 5"
    assert data["median_hours"] is None and data["on_day_share"] is None
    counts = {row["code"]: row for row in data["by_district"]}
    shown = [row for row in counts.values() if row["count"]]
    assert not shown  # 3 and 2 requests in two districts: both fewer than 5
    assert all(row["count"] == 0 or row["suppressed"] for row in counts.values())
    food = next(row for row in data["by_need"] if row["kind"] == "food")
    assert food["count"] == 5
    text = str(data)
    assert "Person" not in text and "Street" not in text


def test_public_figures_show_counts_from_five(week: dict[str, Any], settings: Any) -> None:
    settings.DIMOS_RELIEF_FIGURES_MIN_COUNT = 2
    data = figures._public_figures("en")
    assert data["delivered"]["count"] == 3 and data["median_hours"] == 26.0
    assert data["on_day_share"] == 50
    assert sorted(r["count"] for r in data["by_district"] if r["count"]) == [2, 3]


def test_the_public_page_and_the_api_show_the_figures(week: dict[str, Any], client: Client) -> None:
    page = client.get("/relief/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "The service in the last 30 days" in html and "fewer than 5" in html
    assert "Person 1" not in html
    greek = client.get("/relief/", HTTP_ACCEPT_LANGUAGE="el").content.decode()
    assert "λιγότερα από 5" in greek
    answer = client.get("/api/v1/relief/figures")
    assert answer.status_code == 200
    body = answer.json()
    assert body["received"]["count"] == 5 and body["delivered"]["suppressed"] == "small"
    assert {"code", "name", "count", "suppressed"} <= set(body["by_district"][0])
    assert "text" not in body["received"]


def test_public_figures_are_cached(week: dict[str, Any]) -> None:
    first = figures.public_figures()
    _request(50, day=week["d2"], created=_at(week["d2"], 9))
    assert figures.public_figures() == first  # the cached answer, for ten minutes
    assert figures.PUBLIC.get({"language": "en"}).state == "hit"
