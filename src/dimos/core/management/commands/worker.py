"""``dimos worker``: runs background tasks (notifications, reminders, deadlines)."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run the background task worker (any number may run, on any machine). SIGTERM lets "
        "the current task finish (DIMOS_WORKER_GRACE_SECONDS), then puts it back in the queue."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")
        parser.add_argument("--batch", action="store_true", help="Run what is due, then exit.")
        parser.add_argument("--queue-name", default="*", help="Queues to serve (comma list).")
        # Used by `dimos demo`: stop when the process that started this worker is gone.
        parser.add_argument("--parent-pid", type=int, default=None, help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        from dimos.core.workers import run_worker

        run_worker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=options["batch"],
            parent_pid=options["parent_pid"],
        )
