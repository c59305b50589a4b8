"""A task backend for tests: runs tasks at once, and keeps delayed ones until asked.

Django's immediate backend cannot take ``run_after``; this one runs a task as soon as it is
enqueued unless it is delayed into the future, in which case it waits in ``deferred`` until
:meth:`run_due` is called with a time at or after its ``run_after``, as a worker would.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django_tasks.backends.immediate import ImmediateBackend as _Immediate
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id


class ImmediateBackend(_Immediate):
    supports_defer = True

    def __init__(self, alias: str, params: dict) -> None:
        super().__init__(alias, params)
        self.deferred: list[tuple[Task, list[Any], dict[str, Any]]] = []

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        if task.run_after is None or task.run_after <= timezone.now():
            return super().enqueue(task, args, kwargs)
        self.validate_task(task)
        self.deferred.append((task, list(args), dict(kwargs)))
        return TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            finished_at=None,
            last_attempted_at=None,
            args=list(args),
            kwargs=dict(kwargs),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )

    def run_due(self, now: datetime | None = None) -> int:
        """Run the delayed tasks that are due at ``now``; return how many ran."""
        now = now or timezone.now()
        due = [item for item in self.deferred if (item[0].run_after or now) <= now]
        self.deferred = [item for item in self.deferred if item not in due]
        for task, args, kwargs in due:
            super().enqueue(task, args, kwargs)
        return len(due)
