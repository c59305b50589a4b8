"""Background work of relief: the retention rule, one beneficiary at a time.

Each help plans a check for when its retention period ends (``run_after``, no cron); a check
that finds the person helped since does nothing, the later help having planned its own.
"""

from __future__ import annotations

from django_tasks import task


@task()
def erase_if_lapsed(beneficiary_id: int) -> bool:
    from dimos.relief import services

    return services.erase_if_lapsed(beneficiary_id=beneficiary_id)
