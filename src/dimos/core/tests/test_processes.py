"""Real processes: workers killed and stopped, `dimos demo` and `dimos serve` on SIGTERM."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from dimos.testing.processes import WORKER_LEASE, Site, group_members, wait_for


@pytest.mark.django_db(transaction=True)
def test_a_task_of_a_killed_worker_is_recovered_by_another(process_site: Site, tmp_path: Path):
    folder = tmp_path / "hold"
    folder.mkdir()
    task_id = process_site.enqueue_hold(folder)
    first = process_site.start("worker", "--interval", "0.2")
    wait_for(lambda: (folder / "runs").exists(), 60, "the first worker to start the task")
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(10)

    # What the audit found: the task stays RUNNING with nobody to run it.
    assert process_site.task(task_id)["status"] == "RUNNING"

    (folder / "release").touch()
    second = process_site.start("worker", "--interval", "0.2")
    wait_for(
        lambda: process_site.task(task_id)["status"] == "SUCCESSFUL",
        WORKER_LEASE + 60,
        "the second worker to recover and finish the task\n" + process_site.logs(),
    )
    task = process_site.task(task_id)
    assert len(task["workers"]) == 2 and task["workers"][0] != task["workers"][1]
    assert len((folder / "runs").read_text().split()) == 2
    recovered = process_site.query(
        "SELECT details FROM core_auditentry WHERE action = ?", "task.recovered"
    )
    assert len(recovered) == 1
    details = recovered[0][0]
    details = json.loads(details) if isinstance(details, str) else details
    assert details["task"] == "dimos.core.tests.tasks.hold"

    second.send_signal(signal.SIGTERM)
    assert second.wait(30) == 0


@pytest.mark.django_db(transaction=True)
def test_sigterm_gives_the_running_task_back_to_the_queue_after_the_grace(
    process_site: Site, tmp_path: Path
):
    folder = tmp_path / "hold"
    folder.mkdir()
    task_id = process_site.enqueue_hold(folder)
    worker = process_site.start("worker", "--interval", "0.2", DIMOS_WORKER_GRACE_SECONDS="1")
    wait_for(lambda: (folder / "runs").exists(), 60, "the worker to start the task")
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(30) == 0
    assert process_site.task(task_id)["status"] == "READY"
    assert group_members(worker.pid) == []
    stopped = process_site.query(
        "SELECT COUNT(*) FROM core_taskworker WHERE stopped_at IS NOT NULL"
    )
    assert stopped[0][0] == 1


@pytest.mark.django_db(transaction=True)
def test_sigterm_lets_the_running_task_finish_within_the_grace(process_site: Site, tmp_path: Path):
    folder = tmp_path / "hold"
    folder.mkdir()
    task_id = process_site.enqueue_hold(folder)
    worker = process_site.start("worker", "--interval", "0.2", DIMOS_WORKER_GRACE_SECONDS="30")
    wait_for(lambda: (folder / "runs").exists(), 60, "the worker to start the task")
    worker.send_signal(signal.SIGTERM)
    time.sleep(1)
    assert worker.poll() is None  # still finishing the task
    (folder / "release").touch()
    assert worker.wait(30) == 0
    assert process_site.task(task_id)["status"] == "SUCCESSFUL"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.fixture
def demo_site(migrated_sqlite: Path, tmp_path: Path) -> Iterator[Site]:
    """The demo always runs on SQLite in its own folder."""
    for item in migrated_sqlite.iterdir():
        target = tmp_path / item.name
        if item.is_dir():
            shutil.copytree(item, target)
        else:
            shutil.copy(item, target)
    instance = Site(tmp_path)
    yield instance
    instance.stop_all()


def test_demo_stopped_with_sigterm_leaves_no_process_behind(demo_site: Site):
    port = _free_port()
    demo = demo_site.start("demo", "--addr", f"127.0.0.1:{port}")
    wait_for(lambda: _answers(f"http://127.0.0.1:{port}/healthz"), 120, "the demo to serve")
    wait_for(lambda: len(group_members(demo.pid)) >= 2, 30, "the demo's worker to start")
    demo.send_signal(signal.SIGTERM)
    assert demo.wait(30) == 0
    wait_for(lambda: group_members(demo.pid) == [], 10, "the demo's worker to stop")


def test_demo_on_a_taken_port_says_so_and_leaves_no_process(demo_site: Site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        demo = demo_site.start("demo", "--addr", f"127.0.0.1:{port}")
        assert demo.wait(60) != 0
    assert "already in use" in demo_site.logs()
    assert "dimos demo --addr" in demo_site.logs()
    assert group_members(demo.pid) == []


def test_serve_stops_cleanly_on_sigterm(demo_site: Site):
    port = _free_port()
    server = demo_site.start(
        "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--no-collectstatic"
    )
    wait_for(lambda: _answers(f"http://127.0.0.1:{port}/healthz"), 60, "gunicorn to serve")
    assert len(group_members(server.pid)) >= 3  # the master and its two workers
    server.send_signal(signal.SIGTERM)
    assert server.wait(40) == 0
    assert group_members(server.pid) == []
