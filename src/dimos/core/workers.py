"""Task workers: heartbeats, tasks lost with their worker, and whether the queue is moving.

django-tasks-db marks a task RUNNING when a worker claims it and has no notion of a worker
that dies: a task whose worker was killed (``kill -9``, out of memory, a lost machine) would
stay RUNNING for ever. ``dimos worker`` therefore keeps a :class:`TaskWorker` row with a
heartbeat, and every worker sweeps now and then: a RUNNING task whose worker stopped or has
not beaten within ``DIMOS_WORKER_LEASE_SECONDS`` goes back to the queue (tasks are
idempotent, so running one again is safe). Each recovery is written to the audit log
(``task.recovered``) and shown at ``/staff/operations/``.

:func:`queue_health` is what ``/readyz`` and that page report: tasks due but not started,
tasks running too long, notifications overdue.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import FrameType
from typing import Any

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max

from dimos.core import audit
from dimos.core.models import Delivery, TaskWorker

logger = logging.getLogger(__name__)


def lease() -> timedelta:
    return timedelta(seconds=settings.DIMOS_WORKER_LEASE_SECONDS)


def new_worker_id() -> str:
    """Unique, and readable in the admin: ``<host>-<pid>-<random>`` (django-tasks-db: ≤ 64)."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"


def register(worker_id: str) -> TaskWorker:
    return TaskWorker.objects.create(
        worker_id=worker_id, hostname=socket.gethostname()[:255], pid=os.getpid()
    )


def beat(worker_id: str) -> None:
    now = timezone.now()
    if not TaskWorker.objects.filter(worker_id=worker_id).update(last_seen_at=now):
        TaskWorker.objects.create(
            worker_id=worker_id,
            hostname=socket.gethostname()[:255],
            pid=os.getpid(),
            last_seen_at=now,
        )


def stop(worker_id: str) -> None:
    TaskWorker.objects.filter(worker_id=worker_id).update(stopped_at=timezone.now())


def _alive_ids(now: datetime) -> set[str]:
    return set(
        TaskWorker.objects.filter(
            stopped_at__isnull=True, last_seen_at__gte=now - lease()
        ).values_list("worker_id", flat=True)
    )


def recover_lost_tasks(now: datetime | None = None) -> int:
    """Put back in the queue the running tasks whose worker is gone; return how many."""
    now = now or timezone.now()
    running = list(
        DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only(
            "id", "worker_ids", "started_at", "task_path"
        )
    )
    if not running:
        return 0
    alive = _alive_ids(now)
    known = set(
        TaskWorker.objects.filter(
            worker_id__in=[r.worker_ids[-1] for r in running if r.worker_ids]
        ).values_list("worker_id", flat=True)
    )
    recovered = 0
    for result in running:
        worker = result.worker_ids[-1] if result.worker_ids else ""
        if worker in alive:
            continue
        # A worker without a heartbeat (a bare db_worker) gets the lease from the task's start.
        if worker not in known and result.started_at and result.started_at > now - lease():
            continue
        with transaction.atomic():
            # Only if still as seen: the worker may have finished it meanwhile.
            updated = DBTaskResult.objects.filter(
                pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
            ).update(status=TaskResultStatus.READY, started_at=None)
            if updated:
                audit.record(
                    action="task.recovered",
                    details={
                        "task": result.task_path,
                        "task_id": str(result.pk),
                        "worker": worker,
                        "started_at": result.started_at.isoformat() if result.started_at else None,
                    },
                )
        if updated:
            recovered += 1
            logger.warning(
                "Task %s (%s) of stopped worker %s put back in the queue",
                result.pk,
                result.task_path,
                worker or "?",
            )
    # Forget workers gone for a week; the audit log keeps what they left behind.
    TaskWorker.objects.filter(last_seen_at__lt=now - timedelta(days=7)).delete()
    return recovered


@dataclass(frozen=True)
class QueueHealth:
    """What is stuck in the background work, counting only what is late by the alert window."""

    waiting: int  # tasks due for longer than the window and not started
    long_running: int  # tasks running for longer than the window
    overdue_deliveries: int  # emails and SMS that should have gone out by now
    minutes: int

    @property
    def ok(self) -> bool:
        return not (self.waiting or self.long_running or self.overdue_deliveries)

    def problems(self) -> list[str]:
        """The problems in plain English, for /readyz and the logs."""
        found = []
        if self.waiting:
            found.append(f"{self.waiting} task(s) due for over {self.minutes} min, not started")
        if self.long_running:
            found.append(f"{self.long_running} task(s) running for over {self.minutes} min")
        if self.overdue_deliveries:
            found.append(
                f"{self.overdue_deliveries} notification(s) overdue by over {self.minutes} min"
            )
        return found


def _waiting_tasks(cutoff: datetime) -> Any:
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY).filter(
        Q(run_after__lte=cutoff) | Q(run_after=get_date_max(), enqueued_at__lte=cutoff)
    )


def _overdue_deliveries(cutoff: datetime) -> Any:
    from dimos.core.notifications import SEND_LEASE

    return Delivery.objects.filter(
        Q(status=Delivery.Status.PENDING, next_attempt_at__lte=cutoff)
        | Q(status=Delivery.Status.PENDING, next_attempt_at__isnull=True, created_at__lte=cutoff)
        | Q(status=Delivery.Status.SENDING, claimed_at__lte=cutoff - SEND_LEASE)
    )


def queue_health(now: datetime | None = None, *, limit: int = 100) -> QueueHealth:
    """Counts (up to ``limit`` each: enough to alarm, cheap to ask every few seconds)."""
    now = now or timezone.now()
    minutes = settings.DIMOS_QUEUE_ALERT_MINUTES
    cutoff = now - timedelta(minutes=minutes)
    return QueueHealth(
        waiting=_waiting_tasks(cutoff)[:limit].count(),
        long_running=DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, started_at__lte=cutoff
        )[:limit].count(),
        overdue_deliveries=_overdue_deliveries(cutoff)[:limit].count(),
        minutes=minutes,
    )


# --- The worker process -----------------------------------------------------------------------


class Interrupted(BaseException):
    """Raised inside a task when the worker must stop before the task ends."""


class Heartbeat(threading.Thread):
    """Beats for the worker and sweeps for lost tasks, even while a task runs.

    With ``parent_pid``, also stops the worker (SIGTERM to itself) once that process is gone,
    so a worker started by ``dimos demo`` never outlives it.
    """

    def __init__(self, worker_id: str, *, parent_pid: int | None = None) -> None:
        super().__init__(name="dimos-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.parent_pid = parent_pid
        self.interval = max(1.0, settings.DIMOS_WORKER_LEASE_SECONDS / 4)
        self.done = threading.Event()

    def run(self) -> None:
        since_beat = 0.0
        while not self.done.wait(1.0):
            if self.parent_pid is not None and os.getppid() != self.parent_pid:
                logger.warning("The process that started this worker is gone: stopping")
                self.parent_pid = None
                os.kill(os.getpid(), signal.SIGTERM)
            since_beat += 1.0
            if since_beat < self.interval:
                continue
            since_beat = 0.0
            try:
                beat(self.worker_id)
                recover_lost_tasks()
            except DatabaseError as exc:
                # Busy or unreachable: the next beat tries again; past the lease, other
                # workers will take this one's task, which is safe (tasks are idempotent).
                logger.warning("Worker heartbeat failed: %s", exc)
            finally:
                connection.close()

    def stop(self) -> None:
        self.done.set()
        self.join(5)


class DimosWorker(Worker):
    """django-tasks-db's worker, stopping cleanly on SIGTERM.

    The first SIGTERM (or SIGINT) lets the current task finish for up to
    ``DIMOS_WORKER_GRACE_SECONDS``; past that, or on a second signal, the task is interrupted
    and put back in the queue rather than marked failed. An idle worker stops at once.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.interrupted = False

    def configure_signals(self) -> None:
        super().configure_signals()
        signal.signal(signal.SIGALRM, self._interrupt)

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if self.running_task:
            if self.running:
                grace = settings.DIMOS_WORKER_GRACE_SECONDS
                logger.warning(
                    "Received %s: finishing the current task (at most %s s), then stopping",
                    signal.strsignal(signum),
                    grace,
                )
                self.running = False
                signal.setitimer(signal.ITIMER_REAL, max(grace, 0.001))
                return
            self._interrupt(signum, frame)  # a second signal: stop the task now
            return
        logger.warning("Received %s: stopping", signal.strsignal(signum))
        self.running = False
        raise SystemExit(0)

    def _interrupt(self, signum: int, frame: FrameType | None) -> None:
        if not self.running_task or self.interrupted:
            return
        self.interrupted = True
        raise Interrupted

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            super().run_task(db_task_result)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if self.interrupted:
            # The library recorded the interruption as a failure; it was not one.
            returned = DBTaskResult.objects.filter(
                pk=db_task_result.pk, status=TaskResultStatus.FAILED
            ).update(
                status=TaskResultStatus.READY,
                started_at=None,
                finished_at=None,
                exception_class_path="",
                traceback="",
            )
            if returned:
                logger.warning("Task %s interrupted and put back in the queue", db_task_result.pk)
            self.running = False


def run_worker(
    *,
    queue_names: list[str],
    interval: float,
    batch: bool,
    parent_pid: int | None = None,
) -> None:
    """Run a worker in this process until it is told to stop (or, with ``batch``, idle)."""
    worker_id = new_worker_id()
    worker = DimosWorker(
        queue_names=queue_names,
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=not batch,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    register(worker_id)
    heartbeat = Heartbeat(worker_id, parent_pid=parent_pid)
    worker.configure_signals()
    try:
        recover_lost_tasks()
        close_old_connections()
        heartbeat.start()
        worker.run()
    finally:
        heartbeat.stop()
        signal.setitimer(signal.ITIMER_REAL, 0)
        stop(worker_id)
        # Whatever this worker still held (a signal between claiming and starting a task).
        recover_lost_tasks()
        logger.info("Worker %s stopped", worker_id)
