"""The demo council: 41 members in factions, a year of meetings with decisions, ADAs, votes and
recordings that hold together — seeded once."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Count, Max, Min
from django.utils import timezone

from dimos.council.models import (
    ADA_RE,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingState,
    Membership,
    MembershipRole,
    Organization,
    OrganizationKind,
    Vote,
    VoteChoice,
)
from dimos.council.video import video_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(municipality: Any) -> None:
    from dimos.accounts.demo import seed_accounts
    from dimos.council.demo import seed_council

    seed_accounts()
    seed_council()


def test_a_second_run_adds_nothing(seeded: None) -> None:
    from dimos.council.demo import seed_council

    counts = [m.objects.count() for m in (Meeting, AgendaItem, Decision, Vote, Membership)]
    seed_council()
    assert [m.objects.count() for m in (Meeting, AgendaItem, Decision, Vote, Membership)] == counts


def test_the_council_has_41_members_whose_factions_add_up(seeded: None) -> None:
    council = Organization.objects.get(kind=OrganizationKind.COUNCIL)
    seats = Membership.objects.filter(organization=council, end_date__isnull=True)
    assert seats.count() == 41
    assert seats.filter(role=MembershipRole.MAYOR).count() == 1
    for role in (MembershipRole.PRESIDENT, MembershipRole.VICE_PRESIDENT, MembershipRole.SECRETARY):
        assert seats.filter(role=role).count() == 1
    factions = Organization.objects.filter(kind=OrganizationKind.FACTION).annotate(
        seats=Count("memberships")
    )
    assert sum(f.seats for f in factions) == 41
    assert all(f.color.startswith("#") for f in factions)
    # Each faction has one leader, and each member sits for the faction they belong to.
    assert all(f.memberships.filter(role=MembershipRole.LEADER).count() == 1 for f in factions)
    assert all(
        Membership.objects.filter(person=s.person, organization=s.on_behalf_of).exists()
        for s in seats
    )
    committee = Organization.objects.get(kind=OrganizationKind.MUNICIPAL_COMMITTEE)
    assert committee.memberships.count() == 7


def test_decisions_are_numbered_per_body_and_year_with_valid_unique_adas(seeded: None) -> None:
    adas = list(Decision.objects.exclude(ada="").values_list("ada", flat=True))
    assert len(adas) > 100
    assert all(ADA_RE.fullmatch(a) for a in adas)
    assert len(set(adas)) == len(adas)
    # Numbered one after another per body and year (the first year goes on from the
    # decisions before the demo's year began).
    per_body_year = Decision.objects.values("organization", "year").annotate(
        low=Min("number"), top=Max("number")
    )
    assert per_body_year.count() >= 2
    for row in per_body_year:
        numbers = Decision.objects.filter(
            organization=row["organization"], year=row["year"]
        ).values_list("number", flat=True)
        assert sorted(numbers) == list(range(row["low"], row["top"] + 1))
    assert any(row["low"] == 1 for row in per_body_year)


def test_time_codes_fall_in_order_within_the_recording(seeded: None) -> None:
    recorded = Meeting.objects.exclude(recording_url="")
    assert recorded.count() > 20
    for meeting in recorded:
        assert video_of(meeting.recording_url) is not None
        assert meeting.recording is not None and meeting.recording_seconds
        items = [i for i in meeting.agenda_items.order_by("order") if i.start_seconds is not None]
        previous_end = 0
        for item in items:
            assert item.end_seconds is not None
            assert previous_end <= item.start_seconds < item.end_seconds
            assert item.end_seconds <= meeting.recording_seconds
            previous_end = item.end_seconds
    assert AgendaItem.objects.filter(start_seconds__isnull=False).count() > 100


def test_votes_follow_attendance_and_make_the_result(seeded: None) -> None:
    attendance = {(a.meeting_id, a.person_id): a.status for a in Attendance.objects.all()}
    decided = Decision.objects.select_related("agenda_item").prefetch_related("agenda_item__votes")
    assert Vote.objects.count() > 1000
    for decision in decided:
        item = decision.agenda_item
        votes = list(item.votes.all())
        members = Membership.objects.filter(organization=item.meeting.organization)
        assert len(votes) == members.count()
        for vote in votes:
            present = attendance[(item.meeting_id, vote.person_id)] == Attendance.Status.PRESENT
            assert (vote.choice != VoteChoice.ABSENT) == present
        cast = [v.choice for v in votes if v.choice != VoteChoice.ABSENT]
        yes = cast.count(VoteChoice.FOR)
        expected = (
            "adopted" if yes == len(cast) else "majority" if yes * 2 > len(cast) else "rejected"
        )
        assert decision.result == item.result == expected


def test_one_meeting_is_cancelled_one_live_now_and_one_invited_next_week(seeded: None) -> None:
    now = timezone.now()
    cancelled = Meeting.objects.get(state=MeetingState.CANCELLED)
    assert cancelled.cancel_reason and not cancelled.agenda_items.filter(decision__isnull=False)
    live = Meeting.objects.get(start__lte=now, end__gte=now)
    assert live.state == MeetingState.INVITED and video_of(live.stream_url) is not None
    upcoming = Meeting.objects.filter(start__gt=now).get()
    assert upcoming.state == MeetingState.INVITED and upcoming.agenda_items.exists()
    assert Meeting.objects.filter(minutes__isnull=False).count() > 10
