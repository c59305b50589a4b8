"""The demo: this year's competition in voting with 30 ideas and votes, last year's with its
results; seeded once."""

from __future__ import annotations

from typing import Any

import pytest

from dimos.ideas.models import Award, Competition, Idea, Vote

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_a_voting_competition_and_a_past_one_once(municipality: Any) -> None:
    from dimos.accounts.demo import seed_accounts
    from dimos.ideas.demo import CURRENT, PAST, seed

    seed_accounts()
    seed()
    current = Competition.objects.get(slug=CURRENT)
    assert current.openness().voting
    published = Idea.objects.filter(competition=current, status="published")
    assert published.count() >= 30
    for idea in published:
        assert idea.votes_count == Vote.objects.filter(idea=idea).count()
    past = Competition.objects.get(slug=PAST)
    assert past.phase() == "results"
    assert Award.objects.filter(prize__competition=past, is_published=True).count() == 3
    count = Idea.objects.count()
    seed()
    assert Idea.objects.count() == count
