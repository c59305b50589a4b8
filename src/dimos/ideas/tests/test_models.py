"""The competition's phases and what is open in each; the rules the database keeps."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from dimos.ideas.models import (
    AppEntry,
    Award,
    Criterion,
    IdeaStatus,
    JuryMember,
    Phase,
    Prize,
    Score,
    Vote,
)
from dimos.ideas.tests.conftest import make_competition, make_idea, resident

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("phase", "submitting", "editing", "commenting", "voting", "entries"),
    [
        ("upcoming", False, False, False, False, False),
        ("submission", True, True, True, False, False),
        ("voting", False, False, True, True, False),
        ("building", False, False, False, False, True),
        ("judging", False, False, False, False, False),
        ("results", False, False, False, False, False),
    ],
)
def test_each_phase_opens_what_it_should(
    phase: str, submitting: bool, editing: bool, commenting: bool, voting: bool, entries: bool
) -> None:
    competition = make_competition(phase)
    openness = competition.openness()
    assert openness.phase == Phase(phase)
    assert (openness.submitting, openness.editing, openness.commenting) == (
        submitting,
        editing,
        commenting,
    )
    assert (openness.voting, openness.entries) == (voting, entries)


def test_a_gap_between_phases_is_said_to_be_one() -> None:
    competition = make_competition("voting")
    competition.building_opens = competition.voting_closes + dt.timedelta(days=2)
    later = competition.voting_closes + dt.timedelta(days=1)
    assert competition.phase(later) == Phase.INTERVAL
    assert not competition.openness(later).anything


def test_the_timeline_marks_past_current_and_future() -> None:
    competition = make_competition("building")
    states = [(step.phase, step.state) for step in competition.timeline()]
    assert states == [
        (Phase.SUBMISSION, "past"),
        (Phase.VOTING, "past"),
        (Phase.BUILDING, "current"),
        (Phase.JUDGING, "future"),
        (Phase.RESULTS, "future"),
    ]


def test_phases_out_of_order_are_refused_by_the_database() -> None:
    now = timezone.now()
    with pytest.raises(IntegrityError):
        make_competition("voting", voting_opens=now - dt.timedelta(days=20))


def test_one_vote_per_person_per_idea_and_slots_unique() -> None:
    competition = make_competition("voting")
    idea = make_idea(competition)
    other = make_idea(competition, title="Πράσινη στέγη")
    person = resident("v@example.org")
    Vote.objects.create(competition=competition, idea=idea, person=person, slot=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(competition=competition, idea=idea, person=person, slot=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(competition=competition, idea=other, person=person, slot=1)


def test_a_merged_idea_names_its_target_and_only_then() -> None:
    competition = make_competition("voting")
    idea = make_idea(competition)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_idea(competition, title="Διπλή", status=IdeaStatus.MERGED)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_idea(competition, title="Άλλη", merged_into=idea)


def test_a_point_is_whole_and_on_the_map() -> None:
    competition = make_competition("voting")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_idea(competition, lat=41.09)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_idea(competition, title="Β", lat=141.0, lon=23.5)
    assert make_idea(competition, title="Γ", lat=41.09, lon=23.55).has_point


def test_scores_once_per_juror_entry_and_criterion_within_the_scale() -> None:
    competition = make_competition("judging")
    juror = JuryMember.objects.create(competition=competition, account=resident("j@example.org"))
    criterion = Criterion.objects.create(competition=competition, name_el="Χρησιμότητα", weight=2)
    entry = AppEntry.objects.create(
        competition=competition,
        team_name="Ομάδα",
        contact_email="team@example.org",
        name="Ποδήλατο",
        description="Εφαρμογή",
    )
    Score.objects.create(juror=juror, entry=entry, criterion=criterion, value=7)
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(juror=juror, entry=entry, criterion=criterion, value=8)
    other = JuryMember.objects.create(competition=competition, account=resident("k@example.org"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(juror=other, entry=entry, criterion=criterion, value=11)
    prize = Prize.objects.create(competition=competition, rank=1, title_el="Πρώτο")
    Award.objects.create(prize=prize, entry=entry, reasons_el="Χρήσιμη")
    second = Prize.objects.create(competition=competition, rank=2, title_el="Δεύτερο")
    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.create(prize=second, entry=entry, reasons_el="Πάλι")


def test_a_title_once_per_author_while_the_idea_lives(db: Any) -> None:
    competition = make_competition("submission")
    author = resident("a@example.org")
    make_idea(competition, author, title="Ποδηλατόδρομος")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_idea(competition, author, title="ποδηλατόδρομος")
    make_idea(competition, author, title="Ποδηλατόδρομος ", status=IdeaStatus.WITHDRAWN)
