"""/readyz notices a stuck queue; lost tasks are recovered and shown to platform operators."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from dimos.core import audit, workers
from dimos.core.models import AuditEntry, Delivery, Notification, TaskWorker

pytestmark = pytest.mark.django_db


def _task(status: str = TaskResultStatus.READY, **fields) -> DBTaskResult:
    result = DBTaskResult.objects.create(
        task_path="dimos.core.tasks.deliver",
        args_kwargs={"args": [1], "kwargs": {}},
        backend_name="default",
        run_after=fields.pop("run_after", get_date_max()),
        status=status,
        **fields,
    )
    if "enqueued_at" in fields:
        DBTaskResult.objects.filter(pk=result.pk).update(enqueued_at=fields["enqueued_at"])
    return result


def _worker(worker_id: str, *, seen_ago: timedelta, stopped: bool = False) -> TaskWorker:
    now = timezone.now()
    return TaskWorker.objects.create(
        worker_id=worker_id,
        hostname="app1",
        pid=4242,
        last_seen_at=now - seen_ago,
        stopped_at=now if stopped else None,
    )


def _ago(minutes: float):
    return timezone.now() - timedelta(minutes=minutes)


def test_readyz_is_ok_when_work_is_on_time(client):
    _task()  # just enqueued
    _task(run_after=timezone.now() + timedelta(hours=1))  # a reminder for later
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["queue"] == "ok"


def test_readyz_answers_503_when_a_task_waits_with_no_worker(client):
    task = _task()
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=_ago(20))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["queue"].startswith("stuck: 1 task(s) due for over 15 min")
    # A load balancer that must keep serving while workers are down can leave the queue out.
    assert client.get("/readyz?skip=queue").status_code == 200


def test_readyz_answers_503_for_a_delayed_task_long_overdue(client):
    _task(run_after=_ago(30))
    assert client.get("/readyz").status_code == 503


def test_readyz_answers_503_for_a_task_running_too_long(client):
    _task(TaskResultStatus.RUNNING, started_at=_ago(16), worker_ids=["w1"])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "running for over 15 min" in response.json()["checks"]["queue"]


def test_readyz_answers_503_for_overdue_notifications(client, settings):
    notification = Notification.objects.create(kind="accounts.welcome", subject="s", body="b")
    delivery = Delivery.objects.create(
        notification=notification, channel=Delivery.Channel.EMAIL, address="a@example.org"
    )
    assert client.get("/readyz").status_code == 200
    Delivery.objects.filter(pk=delivery.pk).update(created_at=_ago(20))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "1 notification(s) overdue" in response.json()["checks"]["queue"]
    settings.DIMOS_QUEUE_ALERT_MINUTES = 30
    assert client.get("/readyz").status_code == 200


def test_a_task_of_a_worker_gone_silent_goes_back_to_the_queue():
    _worker("dead", seen_ago=timedelta(minutes=5))
    _worker("alive", seen_ago=timedelta(seconds=5))
    lost = _task(TaskResultStatus.RUNNING, started_at=_ago(3), worker_ids=["dead"])
    busy = _task(TaskResultStatus.RUNNING, started_at=_ago(3), worker_ids=["alive"])

    assert workers.recover_lost_tasks() == 1
    lost.refresh_from_db()
    busy.refresh_from_db()
    assert (lost.status, lost.started_at) == (TaskResultStatus.READY, None)
    assert busy.status == TaskResultStatus.RUNNING
    entry = AuditEntry.objects.get(action="task.recovered")
    assert entry.details["worker"] == "dead"
    assert entry.details["task"] == "dimos.core.tasks.deliver"
    with translation.override("en"):
        [line] = audit.sentences([entry])
    assert "put a background task back in the queue" in line.sentence
    # Run again: nothing more to do.
    assert workers.recover_lost_tasks() == 0


def test_a_task_of_a_stopped_worker_goes_back_at_once():
    _worker("stopped", seen_ago=timedelta(seconds=1), stopped=True)
    task = _task(TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=["stopped"])
    assert workers.recover_lost_tasks() == 1
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY


def test_a_worker_without_heartbeat_gets_the_lease_from_the_task_start():
    recent = _task(TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=["bare"])
    old = _task(TaskResultStatus.RUNNING, started_at=_ago(5), worker_ids=["bare"])
    assert workers.recover_lost_tasks() == 1
    recent.refresh_from_db()
    old.refresh_from_db()
    assert recent.status == TaskResultStatus.RUNNING
    assert old.status == TaskResultStatus.READY


def test_operations_page_shows_workers_running_and_recovered_tasks(admin_client_):
    admin_client_.cookies["dimos_language"] = "en"
    _worker("dead", seen_ago=timedelta(minutes=5))
    _worker("alive", seen_ago=timedelta(seconds=5))
    _task(TaskResultStatus.RUNNING, started_at=_ago(3), worker_ids=["alive"])
    _task(TaskResultStatus.RUNNING, started_at=_ago(3), worker_ids=["dead"])
    workers.recover_lost_tasks()
    _task()
    page = admin_client_.get(reverse("core:operations"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Not responding" in text and "Running" in text
    assert "Tasks put back in the queue" in text
    assert text.count("dimos.core.tasks.deliver") == 2  # one running, one recovered
    assert "Nothing is late." in text


def test_operations_page_warns_of_late_work(admin_client_):
    admin_client_.cookies["dimos_language"] = "en"
    task = _task()
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=_ago(20))
    page = admin_client_.get(reverse("core:operations"))
    assert "1 task has been due for over 15 minutes" in page.content.decode()
    home = admin_client_.get(reverse("portal:staff_home"))
    assert "Background work" in home.content.decode()


def test_operations_page_is_for_platform_operators(clerk_client):
    assert clerk_client.get(reverse("core:operations")).status_code == 403
