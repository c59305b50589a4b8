"""Background tasks of activities: thin, load ids and call services, safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def expire_offer(registration_id: int) -> bool:
    from dimos.activities import services

    return services.expire_offer(registration_id=registration_id)


@task()
def send_reminders(programme_id: int) -> int:
    from dimos.activities import services

    return services.send_reminders(programme_id=programme_id)


@task()
def erase_participants(programme_id: int) -> bool:
    from dimos.activities import services

    return services.erase_participants(programme_id=programme_id)


@task()
def tell_registered(registration_id: int) -> bool:
    from dimos.activities import services

    return services.tell_registered(registration_id=registration_id)
