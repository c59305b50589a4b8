"""Fixtures of the ideas tests: competitions in each phase, themes, verified residents.

``make_competition(phase)`` places today's date inside the named phase (``"submission"``,
``"voting"``, ``"building"``, ``"judging"``, ``"results"``); the jury's tests use it too."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from dimos.ideas.models import Competition, Idea, IdeaStatus, Theme
from dimos.testing.factories import UserFactory
from dimos.testing.personas import staff, verified

# Days from now at which each boundary falls, per phase the competition is in now.
_OFFSETS = {
    "upcoming": (1, 10, 10, 20, 20, 30, 30, 40, 40),
    "submission": (-5, 5, 5, 15, 15, 25, 25, 35, 35),
    "voting": (-15, -5, -5, 5, 5, 15, 15, 25, 25),
    "building": (-25, -15, -15, -5, -5, 5, 5, 15, 15),
    "judging": (-35, -25, -25, -15, -15, -5, -5, 5, 5),
    "results": (-45, -35, -35, -25, -25, -15, -15, -5, -5),
}
FIELDS = (
    "submission_opens",
    "submission_closes",
    "voting_opens",
    "voting_closes",
    "building_opens",
    "building_closes",
    "judging_opens",
    "judging_closes",
    "results_at",
)


def make_competition(phase: str = "voting", slug: str = "apps4city", **fields: Any) -> Competition:
    now = timezone.now()
    dates = {f: now + dt.timedelta(days=d) for f, d in zip(FIELDS, _OFFSETS[phase], strict=True)}
    values: dict[str, Any] = {
        "slug": slug,
        "title_el": "Apps4Serres: ιδέες για την πόλη",
        "title_en": "Apps4Serres: ideas for the city",
        "description_el": "Προτείνετε ιδέες για μια καλύτερη πόλη.",
        "description_en": "Propose ideas for a better city.",
        "rules_el": "Μία ιδέα ανά πρόταση.",
        "prizes_el": "Χρηματοδότηση, καθοδήγηση.",
        "votes_per_person": 3,
        "is_published": True,
        **dates,
        **fields,
    }
    competition = Competition.objects.create(**values)
    Theme.objects.create(competition=competition, name_el="Μετακίνηση", name_en="Transport")
    Theme.objects.create(competition=competition, name_el="Περιβάλλον", name_en="Environment")
    return competition


def make_idea(
    competition: Competition, author: Any = None, *, title: str = "Ποδηλατόδρομος", **fields: Any
) -> Idea:
    values: dict[str, Any] = {
        "competition": competition,
        "theme": competition.themes.first(),
        "author": author,
        "title": title,
        "description": "Ένας ποδηλατόδρομος στην παραλία.",
        "status": IdeaStatus.PUBLISHED,
        "submitted_at": timezone.now(),
        "published_at": timezone.now(),
        **fields,
    }
    return Idea.objects.create(**values)


def resident(email: str, **fields: Any) -> Any:
    return verified(UserFactory.create(email=email, first_name="Κάτοικος", **fields))


@pytest.fixture
def voting(db: Any) -> Competition:
    return make_competition("voting")


@pytest.fixture
def submission(db: Any) -> Competition:
    return make_competition("submission", slug="open-call")


@pytest.fixture
def moderator(db: Any) -> Any:
    return staff("moderator@example.org", "ideas_moderator")
