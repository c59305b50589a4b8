"""Real processes: workers killed and stopped, `dimos demo` and `dimos serve` on SIGTERM.

Workers run against the suite's database: a file SQLite database (migrated once per session)
when the suite runs on SQLite, the test database itself when it runs on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

SRC = Path(__file__).resolve().parents[3]  # src/
WORKER_LEASE = 3  # seconds: a killed worker's task is recovered after this


def _base_env(var_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DIMOS_", "DJANGO_"))
        and k not in {"DATABASE_URL", "CACHE_URL", "EMAIL_URL", "SECRET_KEY", "PYTEST_CURRENT_TEST"}
    }
    env.update(
        {
            "DIMOS_VAR_DIR": str(var_dir),
            "PYTHONPATH": str(SRC),
            "DIMOS_WORKER_LEASE_SECONDS": str(WORKER_LEASE),
            "DIMOS_LOG_LEVEL": "INFO",
        }
    )
    return env


def _wait_for(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}")


def _group_members(pgid: int) -> list[int]:
    """Processes still alive in a process group, read from /proc (zombies excluded)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After "(comm)": state, ppid, pgrp, …
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated file database with the demo data, made once (copied by each test)."""
    var_dir = tmp_path_factory.mktemp("dimos-template")
    # The demo's static files would take a minute to collect; these tests serve no page
    # that needs them, so an empty manifest newer than every source marks them as collected.
    static = var_dir / "static"
    static.mkdir()
    (static / "staticfiles.json").write_text('{"paths": {}, "version": "1.1", "hash": ""}')
    result = subprocess.run(
        [sys.executable, "-m", "dimos.cli", "demo", "--no-serve"],
        env=_base_env(var_dir),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return var_dir


class Site:
    """A Dimos installation for subprocesses, and a way to look at its task table."""

    def __init__(self, var_dir: Path, database_url: str = "") -> None:
        self.var_dir = var_dir
        self.env = _base_env(var_dir)
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, *args: str, **env: str) -> subprocess.Popen[bytes]:
        log = (self.var_dir / f"{args[0]}-{len(self.processes)}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "dimos.cli", *args],
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, to find what it leaves behind
        )
        self.processes.append(process)
        return process

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in self.var_dir.glob("*.log"))

    def enqueue_hold(self, folder: Path) -> str:
        code = f"from dimos.core.tests.tasks import hold;print(hold.enqueue({str(folder)!r}).id)"
        result = subprocess.run(
            [sys.executable, "-m", "dimos.cli", "shell", "-c", code],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        if "DATABASE_URL" in self.env:
            with connection.cursor() as cursor:
                cursor.execute(sql.replace("?", "%s"), params)
                return list(cursor.fetchall())
        db = sqlite3.connect(self.var_dir / "dimos.sqlite3", timeout=20)
        try:
            return db.execute(sql, params).fetchall()
        finally:
            db.close()

    def task(self, task_id: str) -> dict[str, Any]:
        # SQLite stores UUIDs without dashes, PostgreSQL as uuid.
        key = task_id if "DATABASE_URL" in self.env else task_id.replace("-", "")
        (status, worker_ids) = self.query(
            "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE id = ?", key
        )[0]
        if isinstance(worker_ids, str):
            worker_ids = json.loads(worker_ids)
        return {"status": status, "workers": worker_ids}

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)


@pytest.fixture
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Site]:
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        db = connection.settings_dict  # the test database (the tests are transactional)
        auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        url = f"postgresql://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        instance = Site(tmp_path, url)
    else:
        template = request.getfixturevalue("migrated_sqlite")
        for item in template.iterdir():
            if item.name.startswith("dimos.sqlite3") or item.name == "secret_key":
                shutil.copy(item, tmp_path / item.name)
        instance = Site(tmp_path)
    yield instance
    instance.stop_all()
    if "DATABASE_URL" in instance.env:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_task_of_a_killed_worker_is_recovered_by_another(site: Site, tmp_path: Path):
    folder = tmp_path / "hold"
    folder.mkdir()
    task_id = site.enqueue_hold(folder)
    first = site.start("worker", "--interval", "0.2")
    _wait_for(lambda: (folder / "runs").exists(), 60, "the first worker to start the task")
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(10)

    # What the audit found: the task stays RUNNING with nobody to run it.
    assert site.task(task_id)["status"] == "RUNNING"

    (folder / "release").touch()
    second = site.start("worker", "--interval", "0.2")
    _wait_for(
        lambda: site.task(task_id)["status"] == "SUCCESSFUL",
        WORKER_LEASE + 60,
        "the second worker to recover and finish the task\n" + site.logs(),
    )
    task = site.task(task_id)
    assert len(task["workers"]) == 2 and task["workers"][0] != task["workers"][1]
    assert len((folder / "runs").read_text().split()) == 2
    recovered = site.query("SELECT details FROM core_auditentry WHERE action = ?", "task.recovered")
    assert len(recovered) == 1
    details = recovered[0][0]
    details = json.loads(details) if isinstance(details, str) else details
    assert details["task"] == "dimos.core.tests.tasks.hold"

    second.send_signal(signal.SIGTERM)
    assert second.wait(30) == 0


@pytest.mark.django_db(transaction=True)
def test_sigterm_gives_the_running_task_back_to_the_queue_after_the_grace(
    site: Site, tmp_path: Path
):
    folder = tmp_path / "hold"
    folder.mkdir()
    task_id = site.enqueue_hold(folder)
    worker = site.start("worker", "--interval", "0.2", DIMOS_WORKER_GRACE_SECONDS="1")
    _wait_for(lambda: (folder / "runs").exists(), 60, "the worker to start the task")
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(30) == 0
    assert site.task(task_id)["status"] == "READY"
    assert _group_members(worker.pid) == []
    stopped = site.query("SELECT COUNT(*) FROM core_taskworker WHERE stopped_at IS NOT NULL")
    assert stopped[0][0] == 1


@pytest.mark.django_db(transaction=True)
def test_sigterm_lets_the_running_task_finish_within_the_grace(site: Site, tmp_path: Path):
    folder = tmp_path / "hold"
    folder.mkdir()
    task_id = site.enqueue_hold(folder)
    worker = site.start("worker", "--interval", "0.2", DIMOS_WORKER_GRACE_SECONDS="30")
    _wait_for(lambda: (folder / "runs").exists(), 60, "the worker to start the task")
    worker.send_signal(signal.SIGTERM)
    time.sleep(1)
    assert worker.poll() is None  # still finishing the task
    (folder / "release").touch()
    assert worker.wait(30) == 0
    assert site.task(task_id)["status"] == "SUCCESSFUL"


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
    _wait_for(lambda: _answers(f"http://127.0.0.1:{port}/healthz"), 120, "the demo to serve")
    _wait_for(lambda: len(_group_members(demo.pid)) >= 2, 30, "the demo's worker to start")
    demo.send_signal(signal.SIGTERM)
    assert demo.wait(30) == 0
    _wait_for(lambda: _group_members(demo.pid) == [], 10, "the demo's worker to stop")


def test_demo_on_a_taken_port_says_so_and_leaves_no_process(demo_site: Site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        demo = demo_site.start("demo", "--addr", f"127.0.0.1:{port}")
        assert demo.wait(60) != 0
    assert "already in use" in demo_site.logs()
    assert "dimos demo --addr" in demo_site.logs()
    assert _group_members(demo.pid) == []


def test_serve_stops_cleanly_on_sigterm(demo_site: Site):
    port = _free_port()
    server = demo_site.start(
        "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--no-collectstatic"
    )
    _wait_for(lambda: _answers(f"http://127.0.0.1:{port}/healthz"), 60, "gunicorn to serve")
    assert len(_group_members(server.pid)) >= 3  # the master and its two workers
    server.send_signal(signal.SIGTERM)
    assert server.wait(40) == 0
    assert _group_members(server.pid) == []
