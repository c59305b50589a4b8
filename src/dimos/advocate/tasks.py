"""Background work of the Advocate: the deadline check and retention.

Each admission, resumed clock and request to a service plans a check for the days that matter
(``run_after``, no cron): a few days before the date, the day after it, the day after a
service's date and after its escalation. Every run checks everything and stamps what it sent,
so two runs on one day send nothing twice (``services.check_deadlines``).
"""

from __future__ import annotations

from django_tasks import task


@task()
def check_deadlines_task(day: str) -> dict[str, int]:
    from dataclasses import asdict

    from dimos.advocate import services

    done = asdict(services.check_deadlines())
    done["erased"] = services.erase_lapsed()
    return done
