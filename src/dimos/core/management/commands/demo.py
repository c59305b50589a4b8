"""``dimos demo``: a working portal with demo data on SQLite, web server and task worker."""

from __future__ import annotations

import signal
import subprocess
import sys
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
        self.stdout.write("Preparing the database…")
        call_command("migrate", interactive=False, verbosity=0)
        if _static_is_stale():
            self.stdout.write("Collecting static files…")
            call_command("collectstatic", interactive=False, verbosity=0)
        for seeder in sorted_demo_seeders():
            seeder.seed()
        self._print_accounts(options["addr"])
        if options["no_serve"]:
            return
        worker = subprocess.Popen([sys.executable, "-m", "dimos.cli", "worker"])
        try:
            call_command("runserver", options["addr"], use_reloader=False, use_threading=True)
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()

    def _print_accounts(self, addr: str) -> None:
        from dimos.core.demo import DEMO_ACCOUNTS

        db = settings.DATABASES["default"]
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {db['NAME']}"))
        self.stdout.write("Demo accounts (email / password):")
        for account in DEMO_ACCOUNTS:
            line = f"  {account.role:<14} {account.email:<26} {account.password}"
            if account.totp_secret:
                line += f"   two-step code: dimos totp {account.email}"
            self.stdout.write(line)
        self.stdout.write(
            "Emails (sign-up links, notifications) are printed here, in this terminal."
        )
        self.stdout.write(self.style.SUCCESS(f"Open http://{addr}/  (Ctrl+C to stop)"))
