"""Background tasks of the core, and the one way the platform enqueues work.

Tasks are thin: they load ids and call services, and are safe to run twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django_tasks import task
from django_tasks.base import Task


def enqueue_on_commit(
    t: Task, *args: Any, run_after: datetime | None = None, **kwargs: Any
) -> None:
    """Enqueue ``t`` once the current transaction commits (at once outside one).

    Enqueuing after commit means a worker never picks up an id whose row it cannot see yet,
    and a rolled-back write never sends a notification.
    """

    def _enqueue() -> None:
        (t.using(run_after=run_after) if run_after else t).enqueue(*args, **kwargs)

    transaction.on_commit(_enqueue)


@task()
def deliver(delivery_id: int) -> str:
    from dimos.core import notifications

    return notifications.deliver(delivery_id=delivery_id)


@task()
def refresh_answer(module: str, name: str, question: dict[str, Any], digest: str) -> None:
    """Compute a cached answer again after a change, while visitors get the last one."""
    import importlib

    from dimos.core import cached

    importlib.import_module(module)  # registers the answer
    cached.answer(name).refresh(question, digest)
