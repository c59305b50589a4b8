"""What the portal keeps about a person: the stay-at-home emergencies an administrator switched.

Those rows record staff work, so erasing the account keeps them, pointing at the account's
anonymous stub (ADR 0005); the export lists them as the person's activity.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from dimos.portal.models import Emergency


def export_for(user: Any) -> dict[str, Any]:
    rows = Emergency.objects.filter(Q(switched_on_by=user) | Q(switched_off_by=user))
    return {
        "emergencies_switched": [
            {
                "starts_at": e.starts_at.isoformat(),
                "ends_at": e.ends_at.isoformat() if e.ends_at else None,
                "switched_on": e.switched_on_by_id == user.pk,
                "switched_off_at": e.switched_off_at.isoformat() if e.switched_off_at else None,
                "switched_off": e.switched_off_by_id == user.pk,
            }
            for e in rows
        ]
    }


def erase_for(user: Any) -> None:
    """Nothing to clear: the switches are the municipality's record of staff work."""
