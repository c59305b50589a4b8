"""Background tasks of appointments: thin, they take ids and call services."""

from __future__ import annotations

from django_tasks import task


@task()
def send_reminder(booking_id: int, starts_at: str) -> str:
    from dimos.appointments import services

    return services.send_reminder(booking_id=booking_id, starts_at=starts_at)


@task()
def send_confirmation(booking_id: int) -> str:
    from dimos.appointments import services

    return services.send_confirmation(booking_id=booking_id)
