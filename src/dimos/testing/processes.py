"""Helpers for tests that run real `dimos` processes (workers, demo, serve, shells).

They run against the suite's database: a file SQLite database (migrated once per session,
with the demo data) when the suite runs on SQLite, the test database itself when it runs on
PostgreSQL (so such tests are marked ``django_db(transaction=True)``). The fixtures are made
available to every test by the project's conftest.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

SRC = Path(__file__).resolve().parents[2]  # src/
WORKER_LEASE = 3  # seconds: a killed worker's task is recovered after this


def base_env(var_dir: Path) -> dict[str, str]:
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


def write_signing_p12(path: Path, password: str = "s3cret") -> Path:
    """A municipality signing key and certificate as a PKCS#12 file (production needs one)."""
    from cryptography.hazmat.primitives.serialization import (
        BestAvailableEncryption,
        load_pem_private_key,
        pkcs12,
    )
    from cryptography.x509 import load_pem_x509_certificate

    from dimos.core.keys import self_signed_pem

    pem = self_signed_pem(
        common_name="Dimos test signing certificate", organization="Dimos test municipality"
    )
    key = load_pem_private_key(pem, None)
    cert = load_pem_x509_certificate(pem[pem.index(b"-----BEGIN CERTIFICATE") :])
    encryption = BestAvailableEncryption(password.encode())
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(b"municipality", key, cert, None, encryption)  # type: ignore[arg-type]
    )
    path.chmod(0o600)
    return path


def wait_for(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}")


def group_members(pgid: int) -> list[int]:
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
        env=base_env(var_dir),
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
        self.env = base_env(var_dir)
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

    def shell(self, code: str) -> str:
        """Run Python in a `dimos shell` of this site; return the last line it printed."""
        result = subprocess.run(
            [sys.executable, "-m", "dimos.cli", "shell", "-c", code],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout.strip().splitlines()[-1]

    def enqueue_hold(self, folder: Path) -> str:
        return self.shell(
            f"from dimos.core.tests.tasks import hold; print(hold.enqueue({str(folder)!r}).id)"
        )

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
def process_site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Site]:
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
            elif item.name in {"media", "private"}:  # the files the demo data names
                shutil.copytree(item, tmp_path / item.name)
        instance = Site(tmp_path)
    yield instance
    instance.stop_all()
    if "DATABASE_URL" in instance.env:
        connection.close()


# A secret key production accepts, for tests that start a production process.
STRONG_KEY = "k3y-" + "Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lz" * 2


@functools.cache
def signing_p12() -> str:
    """The signing key production refuses to start without, made once per run."""
    return str(write_signing_p12(Path(tempfile.mkdtemp()) / "signing.p12", "s3cret"))


def run_dimos(env_extra: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """``dimos ARGS`` in a new process under the real settings (not the suite's), with none of
    this process's DIMOS_* variables: only ``env_extra`` (production gets a signing key)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DIMOS_", "SECRET_KEY"))}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in this process
    if env_extra.get("DIMOS_ENV") == "production":
        env.update(DIMOS_SIGNING_PKCS12=signing_p12(), DIMOS_SIGNING_PKCS12_PASSWORD="s3cret")
    env.update(env_extra)
    env["DJANGO_SETTINGS_MODULE"] = "dimos.settings"
    return subprocess.run(
        [sys.executable, "-c", "from dimos.cli import main; main()", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
