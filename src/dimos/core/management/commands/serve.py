"""``dimos serve``: the production web server (gunicorn) with WhiteNoise static files."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the production web server (gunicorn)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default=os.environ.get("DIMOS_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", "0") or 0),
            help="Worker processes (default: WEB_CONCURRENCY or 2 × cores + 1).",
        )
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("DIMOS_WEB_THREADS", "1"))
        )
        parser.add_argument("--no-collectstatic", action="store_true")
        parser.add_argument("--migrate", action="store_true", help="Apply migrations first.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["migrate"]:
            call_command("migrate", interactive=False, verbosity=1)
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        workers = options["workers"] or (2 * (os.cpu_count() or 1) + 1)
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "dimos.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(workers),
            "--threads",
            str(options["threads"]),
            "--access-logfile",
            os.environ.get("DIMOS_ACCESS_LOG", "-"),
            "--forwarded-allow-ips",
            os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            "--timeout",
            os.environ.get("DIMOS_WEB_TIMEOUT", "60"),
            # Nothing on the machine's disk but logs: no control socket in ~/.gunicorn (which
            # two servers on one machine would also fight over).
            "--no-control-socket",
        ]
        self.stdout.write(f"Serving on http://{options['bind']}/ with {workers} workers")
        sys.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with gunicorn
