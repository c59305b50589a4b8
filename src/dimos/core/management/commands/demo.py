"""``dimos demo``: a working portal with demo data on SQLite, web server and task worker."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from dimos.core.registry import sorted_demo_seeders


def _static_is_stale() -> bool:
    """Whether any static source file is newer than the collected manifest."""
    from pathlib import Path

    from django.contrib.staticfiles import finders

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            if Path(storage.path(path)).stat().st_mtime > built:
                return True
    return False


def _port_problem(addr: str) -> str:
    """Why runserver could not listen on ``addr`` (empty if it can, or if unsure)."""
    from django.core.management.commands.runserver import naiveip_re

    match = re.match(naiveip_re, addr)
    if match is None:
        return ""  # runserver explains bad addresses itself
    host = (match["addr"] or "127.0.0.1").strip("[]")
    family = socket.AF_INET6 if match["ipv6"] else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as runserver does
        try:
            probe.bind((host, int(match["port"])))
        except OSError as exc:
            return exc.strerror or str(exc)
    return ""


def site_url_for(addr: str) -> str:
    """The address people open for ``--addr`` (``HOST:PORT`` or a port): what the links in
    emails, ``.ics`` files and certificate QR codes point to. A server listening on every
    interface (0.0.0.0, ::) is opened as 127.0.0.1 on this machine."""
    from django.core.management.commands.runserver import naiveip_re

    match = re.match(naiveip_re, addr)
    if match is None:
        return settings.SITE_URL
    host = match["addr"] or "127.0.0.1"
    if host in {"0.0.0.0", "[::]", "::"}:  # noqa: S104 - a name for "every interface"
        host = "127.0.0.1"
    if match["ipv6"] and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{match['port']}"


def use_site_url(addr: str) -> str:
    """Make every link the demo sends use the address it serves on, here and in the worker
    (which inherits the environment), unless SITE_URL was set explicitly."""
    if os.environ.get("SITE_URL"):
        return settings.SITE_URL
    url = site_url_for(addr)
    settings.SITE_URL = url
    os.environ["SITE_URL"] = url
    return url


def _stop(signum: int, frame: FrameType | None) -> None:
    # SIGTERM ends the process without unwinding by default: the worker would be orphaned.
    raise SystemExit(0)


class Command(BaseCommand):
    help = "Set up demo data, then run the web server and the task worker."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000", help="Address to serve on.")
        parser.add_argument(
            "--no-serve", action="store_true", help="Only set up the data, then exit."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("dimos demo is refused in production (DIMOS_ENV=production).")
        addr = options["addr"]
        if not options["no_serve"]:
            # Before a minute of setup, and before a worker is started for nothing: runserver
            # itself ends the process at once (os._exit) when it cannot listen.
            problem = _port_problem(addr)
            if problem:
                raise CommandError(
                    f"Cannot serve on {addr}: {problem}. Stop what is using it, or choose "
                    "another address, e.g. dimos demo --addr 127.0.0.1:8001"
                )
        use_site_url(addr)
        self.stdout.write("Preparing the database…")
        call_command("migrate", interactive=False, verbosity=0)
        if _static_is_stale():
            self.stdout.write("Collecting static files…")
            call_command("collectstatic", interactive=False, verbosity=0)
        for seeder in sorted_demo_seeders():
            seeder.seed()
        self._print_ready()
        if options["no_serve"]:
            return
        signal.signal(signal.SIGTERM, _stop)
        # The worker also stops by itself if this process disappears without telling it.
        worker = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "dimos.cli", "worker", "--parent-pid", str(os.getpid())]
        )
        try:
            call_command("runserver", addr, use_reloader=False, use_threading=True)
        finally:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=settings.DIMOS_WORKER_GRACE_SECONDS + 10)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()

    def _print_ready(self) -> None:
        db = settings.DATABASES["default"]
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {db['NAME']}"))
        # The demo accounts were listed by the seeders that made them (accounts, certificates…).
        self.stdout.write(
            "Emails (sign-up links, notifications) are printed here, in this terminal."
        )
        self.stdout.write(
            "Links in emails, calendar files and certificate QR codes point to "
            f"{settings.SITE_URL} (set SITE_URL to choose another)."
        )
        self.stdout.write(self.style.SUCCESS(f"Open {settings.SITE_URL}/  (Ctrl+C to stop)"))
