"""The guarantee: twenty volunteers taking one task at the same moment — exactly one holds it.

Each attempt runs in its own thread with its own database connection and transaction, all
released together by a barrier, on SQLite (a file database, as in production) and on
PostgreSQL (whichever DATABASE_URL selects). The partial unique index on the active claim of
a delivery is what decides; the delivery's courier is set in the same transaction.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from dimos.relief import volunteering
from dimos.relief.models import ClaimStatus, ReliefRequest, RequestEvent, TaskClaim
from dimos.relief.tests.conftest import make_volunteer

pytestmark = pytest.mark.django_db(transaction=True)

RACERS = 20


@pytest.fixture
def file_database(transactional_db: Any, tmp_path: Path) -> Iterator[None]:
    """On SQLite, race on a file database (WAL, BEGIN IMMEDIATE): the test database is in
    memory with a shared cache, where a second writer fails at once instead of waiting."""
    if connection.vendor != "sqlite":
        yield
        return
    settings_dict = connection.settings_dict
    memory_name = settings_dict["NAME"]
    path = tmp_path / "race.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    keeper = sqlite3.connect(memory_name, uri=True)  # keeps the in-memory database alive
    settings_dict["NAME"] = str(path)
    connection.close()
    try:
        yield
    finally:
        connection.close()
        settings_dict["NAME"] = memory_name
        connection.ensure_connection()
        keeper.close()


def test_twenty_volunteers_taking_one_task_at_once_leave_exactly_one_holder(
    open_task: Any, file_database: None
) -> None:
    req, _code = open_task
    volunteers = [make_volunteer(f"racer{i}@example.org") for i in range(RACERS)]
    assert all(volunteering.suits(v, req) for v in volunteers)
    events_before = RequestEvent.objects.filter(request=req).count()
    barrier = threading.Barrier(RACERS)
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def attempt(volunteer: Any) -> None:
        try:
            task = ReliefRequest.objects.get(pk=req.pk)
            barrier.wait(timeout=30)
            volunteering.claim(req=task, volunteer=volunteer, actor=volunteer.user)
            result = "held"
        except volunteering.TaskTaken:
            result = "taken"
        except Exception as exc:  # the test fails on any other outcome
            result = f"error: {type(exc).__name__}: {exc}"
        finally:
            connection.close()
        with lock:
            outcomes[result] += 1

    threads = [threading.Thread(target=attempt, args=(v,)) for v in volunteers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert outcomes == Counter({"held": 1, "taken": RACERS - 1}), outcomes
    holder = TaskClaim.objects.get(status=ClaimStatus.ACTIVE)
    assert TaskClaim.objects.count() == 1
    req.delivery.refresh_from_db()
    assert req.delivery.assigned_to_id == holder.volunteer.user_id
    # One "a volunteer took it" in the history: the refused attempts wrote nothing.
    assert RequestEvent.objects.filter(request=req).count() == events_before + 1
