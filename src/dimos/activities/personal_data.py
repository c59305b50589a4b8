"""What activities holds about a person: the children they added (first name, year of birth,
the consent they gave), their registrations and their children's, and the attendance taken.

Erasing the account removes all of it; places held pass to the waitlist first, so no seat is
lost. Programmes stay (they are the municipality's), without the erased person among their
organisers; the audit log keeps its entries, which name no one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from dimos.activities.models import HOLDS_SEAT, Child, Programme, Registration

if TYPE_CHECKING:
    from dimos.accounts.models import User


def export_for(user: User) -> dict[str, Any] | None:
    children = list(Child.objects.filter(guardian=user))
    registrations = list(
        Registration.objects.filter(account=user)
        .select_related("programme", "child")
        .prefetch_related("attendance__session")
    )
    if not children and not registrations:
        return None
    return {
        "children": [
            {
                "first_name": c.first_name,
                "birth_year": c.birth_year,
                "consent_version": c.consent_version,
                "consent_at": c.consent_at.isoformat(),
            }
            for c in children
        ],
        "registrations": [
            {
                "programme": r.programme.title_el,
                "participant": r.child.first_name if r.child else "self",
                "status": r.status,
                "team_name": r.team_name,
                "registered_at": r.created_at.isoformat(),
                "checked_in_at": r.checked_in_at.isoformat() if r.checked_in_at else None,
                "attendance": [
                    {"session": a.session.starts_at.isoformat(), "present": a.present}
                    for a in r.attendance.all()
                ],
            }
            for r in registrations
        ],
    }


def erase_for(user: User) -> None:
    from dimos.activities import services

    with transaction.atomic():
        freed = set(
            Registration.objects.filter(account=user, status__in=HOLDS_SEAT).values_list(
                "programme_id", flat=True
            )
        )
        Registration.objects.filter(account=user).delete()
        Child.objects.filter(guardian=user).delete()
        for programme in Programme.objects.filter(pk__in=freed):
            services.fill_seats(programme)
        for programme in Programme.objects.filter(organisers=user):
            programme.organisers.remove(user)
        Programme.objects.filter(created_by=user).update(created_by=None)
