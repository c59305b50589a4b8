"""``dimos worker``: runs background tasks (notifications, reminders, deadlines)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background task worker (any number may run, on any machine)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")
        parser.add_argument("--batch", action="store_true", help="Run what is due, then exit.")
        parser.add_argument("--queue-name", default="*", help="Queues to serve (comma list).")

    def handle(self, *args: Any, **options: Any) -> None:
        argv = ["--interval", str(options["interval"]), "--queue-name", options["queue_name"]]
        if options["batch"]:
            argv.append("--batch")
        call_command("db_worker", *argv)
