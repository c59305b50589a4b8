"""Background work of relief: the retention rule, one beneficiary at a time; a volunteer's
reminder before a task; the alert to coordinators when a task of the day has no one; the daily
run of each recurring request.

Each help plans a check for when its retention period ends (``run_after``, no cron); a check
that finds the person helped since does nothing, the later help having planned its own. A
recurring request plans its next day's run the same way (relief/recurring.py).
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


@task()
def generate_recurrence(recurrence_id: int, day: str) -> int:
    """The daily run of one recurring request (planned with ``run_after`` for ``day``)."""
    import datetime as dt

    from dimos.relief import recurring

    return recurring.run_planned(recurrence_id=recurrence_id, day=dt.date.fromisoformat(day))
