"""Background work of relief: the retention rule, one beneficiary at a time; a volunteer's
reminder before a task; the alert to coordinators when a task of the day has no one.

Each help plans a check for when its retention period ends (``run_after``, no cron); a check
that finds the person helped since does nothing, the later help having planned its own.
"""

from __future__ import annotations

from django_tasks import task


@task()
def erase_if_lapsed(beneficiary_id: int) -> bool:
    from dimos.relief import services

    return services.erase_if_lapsed(beneficiary_id=beneficiary_id)


@task()
def remind_volunteer(claim_id: int) -> bool:
    """A volunteer's reminder before a task they hold (planned when they take it)."""
    from dimos.relief import volunteering

    return volunteering.remind(claim_id=claim_id)


@task()
def alert_if_unassigned(request_id: int, delivery_id: int) -> bool:
    """On the day of a visit left open for volunteers: coordinators alerted if no one has it."""
    from dimos.relief import volunteering

    return volunteering.alert_if_unassigned(request_id=request_id, delivery_id=delivery_id)
