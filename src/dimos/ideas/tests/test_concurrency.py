"""The same person voting from 20 connections at once gets one vote; racing for different
ideas past the limit gets exactly the limit (SQLite on a file, as in production, and
PostgreSQL: whichever DATABASE_URL selects)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from dimos.ideas import services
from dimos.ideas.models import Idea, Vote
from dimos.ideas.tests.conftest import make_competition, make_idea, resident
from dimos.testing.race import on_a_file_database

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def file_database(transactional_db: Any, tmp_path: Path) -> Iterator[None]:
    with on_a_file_database(tmp_path):
        yield


def _race(attempts: list[Callable[[], Any]]) -> Counter[str]:
    barrier = threading.Barrier(len(attempts))
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def run(attempt: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            attempt()
            result = "voted"
        except services.IdeaError as exc:
            result = f"refused: {exc.code}"
        except Exception as exc:  # the test fails on any other outcome
            result = f"error: {type(exc).__name__}: {exc}"
        finally:
            connection.close()
        with lock:
            outcomes[result] += 1

    threads = [threading.Thread(target=run, args=(a,)) for a in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return outcomes


def test_the_same_person_voting_from_20_connections_gets_one_vote() -> None:
    competition = make_competition("voting")
    idea = make_idea(competition)
    person = resident("eager@example.org")
    connection.close()

    def attempt() -> None:
        services.vote(
            idea=Idea.objects.select_related("competition").get(pk=idea.pk), person=person
        )

    outcomes = _race([attempt] * 20)
    assert outcomes == {"voted": 1, "refused: already_voted": 19}, outcomes
    assert Vote.objects.filter(idea=idea).count() == 1
    assert Idea.objects.get(pk=idea.pk).votes_count == 1


def test_racing_for_many_ideas_stops_at_the_limit() -> None:
    competition = make_competition("voting", votes_per_person=3)
    ideas = [make_idea(competition, title=f"Ιδέα {n}") for n in range(8)]
    person = resident("greedy@example.org")
    connection.close()

    def attempt_for(pk: int) -> Callable[[], None]:
        def attempt() -> None:
            found = Idea.objects.select_related("competition").get(pk=pk)
            services.vote(idea=found, person=person)

        return attempt

    outcomes = _race([attempt_for(i.pk) for i in ideas])
    assert outcomes == {"voted": 3, "refused: limit": 5}, outcomes
    votes = Vote.objects.filter(person=person)
    assert sorted(votes.values_list("slot", flat=True)) == [1, 2, 3]
    counted = sum(
        Idea.objects.filter(competition=competition).values_list("votes_count", flat=True)
    )
    assert counted == 3
