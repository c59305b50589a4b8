"""The system under test: a scratch database with demo data and ``dimos serve`` on loopback."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

HOST = "127.0.0.1"  # the benchmark only ever targets loopback
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/dimos_bench"
SETUP_TIMEOUT = 900  # seconds for migrations, collectstatic and demo data

# Variables of the caller's shell that would change what is measured.
_SCRUBBED_PREFIXES = ("DIMOS_", "DJANGO_")
_SCRUBBED = {
    "DATABASE_URL",
    "CACHE_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "WEB_CONCURRENCY",
    "S3_BUCKET",
    "EMAIL_URL",
}


@dataclass(frozen=True)
class Database:
    """SQLite in the scratch directory (``url`` empty), or a PostgreSQL database we create."""

    kind: str
    url: str = ""

    @property
    def name(self) -> str:
        return urlsplit(self.url).path.lstrip("/") if self.url else "dimos.sqlite3"

    def public_url(self) -> str:
        """The URL without its password, for reports."""
        if not self.url:
            return ""
        parts = urlsplit(self.url)
        netloc = parts.hostname or ""
        if parts.username:
            netloc = f"{parts.username}@{netloc}"
        if parts.port:
            netloc += f":{parts.port}"
        return parts._replace(netloc=netloc).geturl()


def postgres(url: str) -> Database:
    name = urlsplit(url).path.lstrip("/")
    # The harness drops and recreates this database: never let it touch a real one.
    if "bench" not in name:
        raise SystemExit(f"refusing to drop and recreate {name!r}: its name must contain 'bench'")
    return Database(kind="postgresql", url=url)


def _pg_args(db: Database) -> tuple[list[str], dict[str, str]]:
    parts = urlsplit(db.url)
    args = ["-h", parts.hostname or HOST, "-p", str(parts.port or 5432)]
    if parts.username:
        args += ["-U", unquote(parts.username)]
    env = dict(os.environ)
    if parts.password:
        env["PGPASSWORD"] = unquote(parts.password)
    return args, env


def _pg_tool(tool: str, db: Database, *extra: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise SystemExit(f"{tool} not found: install the PostgreSQL client tools")
    args, env = _pg_args(db)
    out = subprocess.run(
        [path, *args, *extra], capture_output=True, text=True, env=env, timeout=120
    )
    if out.returncode != 0:
        raise RuntimeError(f"{tool} failed: {out.stderr.strip()}")
    return out.stdout.strip()


def create_database(db: Database) -> None:
    if db.kind == "postgresql":
        _pg_tool("dropdb", db, "--if-exists", db.name)
        _pg_tool("createdb", db, db.name)


def drop_database(db: Database) -> None:
    if db.kind == "postgresql":
        _pg_tool("dropdb", db, "--if-exists", db.name)


def database_version(db: Database) -> str:
    if db.kind == "postgresql":
        return "PostgreSQL " + _pg_tool("psql", db, "-d", db.name, "-tAc", "SHOW server_version")
    return f"SQLite {sqlite3.sqlite_version}"


def server_env(scratch: Path, db: Database, cache_url: str = "") -> dict[str, str]:
    """Default (non-production) mode with DEBUG off, as a deployment without TLS would run."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in _SCRUBBED and not k.startswith(_SCRUBBED_PREFIXES)
    }
    env.update(
        DIMOS_VAR_DIR=str(scratch / "var"),
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=f"{HOST},localhost",
        DIMOS_BENCH_FLOOR="1",
        # One client address would hit the API limits within a second (anonymous calls count
        # against both: 120/min and 600/min per address). The throttles still run on every
        # call; they just never refuse.
        DIMOS_API_ANON_RATE="1000000/s",
        DIMOS_API_AUTH_RATE="1000000/s",
        DIMOS_VERIFY_RATE="1000000/s",  # the same for the certificates' verification
        DIMOS_ACCESS_LOG="-",  # gunicorn's access log, into the server log as in production
    )
    if db.url:
        env["DATABASE_URL"] = db.url
    if cache_url:
        env["CACHE_URL"] = cache_url
    return env


def prepare_data(env: dict[str, str], log: Path) -> None:
    """Migrations, static files (compressed by WhiteNoise) and the demo municipality."""
    with log.open("ab") as out:
        done = subprocess.run(
            [sys.executable, "-m", "dimos.cli", "demo", "--no-serve"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=SETUP_TIMEOUT,
        )
    if done.returncode != 0:
        raise RuntimeError(f"dimos demo --no-serve failed; see {log}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class Server:
    """``dimos serve`` (gunicorn) in a process group of its own, stopped on exit."""

    def __init__(
        self, env: dict[str, str], log: Path, *, port: int, workers: int, threads: int
    ) -> None:
        self.env, self.log = env, log
        self.port, self.workers, self.threads = port, workers, threads
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def __enter__(self) -> Server:
        try:
            self.start()
        except BaseException:
            self.stop()  # started but never ready, or interrupted while waiting
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self, ready_timeout: float = 60.0) -> None:
        argv = [
            sys.executable,
            "-m",
            "dimos.cli",
            "serve",
            "--no-collectstatic",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
        ]
        with self.log.open("ab") as out:
            # A new session: Ctrl+C in the terminal reaches the harness, which stops the
            # server itself, and stop() can signal gunicorn's master and workers together.
            self.process = subprocess.Popen(
                argv, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited ({self.process.returncode}); see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)
        raise RuntimeError(f"no answer from the server in {ready_timeout:.0f} s; see {self.log}")

    def cpu_seconds(self) -> float | None:
        """CPU time used so far by gunicorn's master and workers (Linux), else None.

        Per request, it is a figure that other load on a shared machine barely moves.
        """
        if self.process is None or not Path("/proc").is_dir():
            return None
        total_ticks = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # the process ended meanwhile
            # After the command: state ppid pgrp … utime (12th) stime (13th), in clock ticks.
            if int(fields[2]) == self.process.pid:
                total_ticks += int(fields[11]) + int(fields[12])
        return total_ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)  # gunicorn: graceful stop of all workers
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
        except ProcessLookupError:
            pass


GENERATE_TIMEOUT = 3600  # seconds for ``dimos generate_reports`` (1,000,000 takes minutes)

_ISSUE_KEY = """
from dimos.accounts.models import User
from dimos.accounts.services import issue_api_token
user, _ = User.objects.get_or_create(email="bench-open311@example.org")
token, raw = issue_api_token(user=user, name="benchmark", actor=user)
print("APIKEY=" + raw)
"""

# Streams the staff CSV export of every report through the view, in a fresh process, and
# prints the process's peak resident set size before and after.
_EXPORT_RSS = """
import json, resource, time
from django.test import RequestFactory
from dimos.accounts.models import User
from dimos.reports.models import Report
from django.urls import resolve
user = User.objects.filter(is_superuser=True).first()
request = RequestFactory().get("/staff/reports/export.csv", REMOTE_ADDR="127.0.0.1")
request.user = user
request.session = {}
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.monotonic()
response = resolve("/staff/reports/export.csv").func(request)
size = rows = 0
for chunk in response:
    size += len(chunk)
    rows += chunk.count(b"\\n") if isinstance(chunk, bytes) else chunk.count("\\n")
print("EXPORT=" + json.dumps({
    "status": response.status_code,
    "streaming": bool(getattr(response, "streaming", False)),
    "bytes": size,
    "lines": rows,
    "reports": Report.objects.count(),
    "seconds": round(time.monotonic() - started, 1),
    "rss_before_kb": before,
    "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
"""


def dimos_command(env: dict[str, str], log: Path, *argv: str, timeout: float) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "dimos.cli", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    with log.open("a") as out:
        out.write(done.stdout + done.stderr)
    if done.returncode != 0:
        raise RuntimeError(f"dimos {argv[0]} failed; see {log}")
    return done.stdout


def generate_reports(env: dict[str, str], log: Path, count: int) -> None:
    """``dimos generate_reports --count N --yes`` after the demo data."""
    dimos_command(
        env, log, "generate_reports", "--count", str(count), "--yes", timeout=GENERATE_TIMEOUT
    )


def issue_api_key(env: dict[str, str], log: Path) -> str:
    """An Open311 API key for the submission benchmark, from ``dimos shell -c``."""
    out = dimos_command(env, log, "shell", "-c", _ISSUE_KEY, timeout=120)
    line = next((x for x in out.splitlines() if x.startswith("APIKEY=")), "")
    if not line:
        raise RuntimeError(f"no API key was issued; see {log}")
    return line.removeprefix("APIKEY=")


def export_rss(env: dict[str, str], log: Path) -> dict[str, object]:
    """Peak RSS of a process streaming the staff CSV export of every report."""
    try:
        out = dimos_command(env, log, "shell", "-c", _EXPORT_RSS, timeout=GENERATE_TIMEOUT)
    except RuntimeError as exc:
        return {"error": str(exc)}
    line = next((x for x in out.splitlines() if x.startswith("EXPORT=")), "")
    if not line:
        return {"error": f"no figures; see {log}"}
    data: dict[str, object] = json.loads(line.removeprefix("EXPORT="))
    return data
