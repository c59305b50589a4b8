"""``dimos generate_reports``: bulk realistic reports for benchmarks (dry run by default)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from dimos.reports.demo import generate_reports, seed_categories


class Command(BaseCommand):
    help = "Create many realistic reports with bulk inserts (use --yes to write)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--count", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--days", type=int, default=3 * 365, help="Spread over this many days.")
        parser.add_argument("--history", action="store_true", help="Also write status history.")
        parser.add_argument("--yes", action="store_true", help="Really write (else dry run).")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            self.stdout.write(
                f"Dry run: would create {options['count']:,} reports. Add --yes to write them."
            )
            return
        seed_categories()
        started = time.monotonic()
        made = generate_reports(
            options["count"], seed=options["seed"], days=options["days"], history=options["history"]
        )
        elapsed = time.monotonic() - started
        self.stdout.write(f"Created {made:,} reports in {elapsed:.0f} s ({made / elapsed:,.0f}/s).")
