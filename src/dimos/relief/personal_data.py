"""What relief holds about a person with an account: the help they asked for themself (their
beneficiary record, its requests), the requests they made for others, and, as a volunteer,
the tasks they held (when, where, how it ended, the reason they gave when handing one back —
never the people they helped).

Erasing the account erases their own beneficiary record as the retention task does (the rows
stay, without the person, for the counts). A request they made for someone else is that
person's record: it loses who asked, and keeps the beneficiary, who did not ask to be erased.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone

from dimos.core.registry import ExportFile
from dimos.relief.models import (
    Beneficiary,
    ClaimStatus,
    EventKind,
    Recurrence,
    ReliefRequest,
    RequestEvent,
    TaskClaim,
)

if TYPE_CHECKING:
    from dimos.accounts.models import User


def _request(req: ReliefRequest, *, own: bool) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "reference": req.reference,
        "for": req.beneficiary.full_name,
        "asked": req.relation,
        "channel": req.channel,
        "day": req.day.isoformat(),
        "from": req.window_start.strftime("%H:%M"),
        "until": req.window_end.strftime("%H:%M"),
        "status": req.status,
        "reason": req.status_reason,
        "social_grocery": req.food_claim,
        "needs": [
            {
                "kind": n.kind,
                "details": n.description,
                "ceiling": str(n.ceiling) if n.ceiling is not None else None,
                "pharmacy": n.pharmacy,
                "barcodes": n.barcodes,
                "not_given_because": n.declined_reason,
            }
            for n in req.needs.all()
        ],
        "history": [
            {"status": e.status, "message": e.message, "at": e.created_at.isoformat()}
            for e in req.events.all()
        ],
        "created_at": req.created_at.isoformat(),
    }
    if own:
        answer.update(
            {
                "received_by": req.received_by,
                "note": req.proof_note,
                "money": str(req.money_amount) if req.money_amount is not None else None,
                "receipt": _path(req) if req.receipt else None,
            }
        )
    return answer


def _path(req: ReliefRequest) -> str:
    extension = req.receipt.name.rsplit(".", 1)[-1] if "." in req.receipt.name else "jpg"
    return f"relief/receipt-{req.pk}.{extension}"


def files_for(user: User) -> Iterator[ExportFile]:
    """The receipt photos of the help the person asked for themself."""
    for req in ReliefRequest.objects.filter(beneficiary__account=user).exclude(receipt=""):

        def read(field: Any = req.receipt) -> bytes:
            with field.open("rb") as handle:
                return bytes(handle.read())

        yield ExportFile(_path(req), read)


def export_for(user: User) -> dict[str, Any] | None:
    own = Beneficiary.objects.filter(account=user, erased_at__isnull=True).first()
    asked = (
        ReliefRequest.objects.filter(Q(requester=user) | Q(beneficiary__account=user))
        .select_related("beneficiary")
        .prefetch_related("needs", "events")
        .distinct()
    )
    tasks = [
        {
            "task": claim.request.reference,
            "district": claim.request.beneficiary.district.code
            if claim.request.beneficiary.district
            else None,
            "day": claim.delivery.date.isoformat(),
            "status": claim.status,
            "reason": claim.reason,
            "taken": claim.claimed_at.isoformat(),
            "ended": claim.ended_at.isoformat() if claim.ended_at else None,
        }
        for claim in TaskClaim.objects.filter(volunteer__user=user).select_related(
            "request__beneficiary__district", "delivery"
        )
    ]
    if own is None and not asked and not tasks:
        return None
    return {
        "beneficiary": {
            "name": own.full_name,
            "address": own.address,
            "point": [own.lat, own.lon] if own.lat is not None else None,
            "phone": own.phone,
            "household_size": own.household_size,
            "vulnerability": own.vulnerabilities,
            "language": own.language,
            "access_notes": own.access_notes,
            "consent": {
                "version": own.consent_version,
                "how": own.consent_method,
                "at": own.consent_at.isoformat(),
            },
            "social_grocery": {
                "decision": own.food_eligibility,
                "reason": own.food_eligibility_reason,
                "until": own.food_eligible_until.isoformat() if own.food_eligible_until else None,
            }
            if own.food_eligibility
            else None,
        }
        if own is not None
        else None,
        "requests": [_request(r, own=r.beneficiary.account_id == user.pk) for r in asked],
        "volunteer_tasks": tasks,
        "recurring": [
            {
                "from_request": rec.request.reference,
                "weekdays": rec.weekdays,
                "from": rec.window_start.strftime("%H:%M"),
                "until": rec.window_end.strftime("%H:%M"),
                "first_day": rec.starts_on.isoformat(),
                "last_day": rec.until.isoformat(),
                "needs": rec.needs,
                "stopped_at": rec.stopped_at.isoformat() if rec.stopped_at else None,
            }
            for rec in Recurrence.objects.filter(
                Q(request__requester=user) | Q(beneficiary__account=user)
            )
            .select_related("request")
            .distinct()
        ],
    }


def erase_for(user: User) -> None:
    from dimos.relief.services import erase_beneficiary

    for beneficiary in Beneficiary.objects.filter(account=user, erased_at__isnull=True):
        erase_beneficiary(beneficiary, why="account erased")
    ReliefRequest.objects.filter(requester=user).update(requester=None)
    # As a volunteer: the tasks still held go back to the coordinators (open again), the
    # reasons written are blanked; the volunteer's row itself goes with the volunteers app.
    from dimos.deliveries import services as deliveries  # a real need: see pyproject.toml

    for claim in TaskClaim.objects.filter(volunteer__user=user, status=ClaimStatus.ACTIVE):
        # On its way or done: left as it is, the coordinators see it on the board.
        with contextlib.suppress(deliveries.DeliveryError):
            deliveries.release_delivery(delivery_id=claim.delivery_id, courier=user, actor=user)
    TaskClaim.objects.filter(volunteer__user=user, status=ClaimStatus.ACTIVE).update(
        status=ClaimStatus.WITHDRAWN, ended_at=timezone.now()
    )
    TaskClaim.objects.filter(volunteer__user=user).update(reason="", assigned_by=None)
    RequestEvent.objects.filter(actor=user, kind=EventKind.NOTE).update(message="")
    TaskClaim.objects.filter(assigned_by=user).update(assigned_by=None)
