"""The Advocate through the API: a complainant submits and follows a complaint, the office
reads its queue, anyone reads the services and the year's figures (no personal data)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from dimos.advocate import selectors, services
from dimos.advocate.models import Body, Category, Complaint, Status
from dimos.api.api import Error, error_response, token_or_session

router = Router(tags=["advocate"])


class BodyOut(Schema):
    code: str
    name: str
    kind: str

    @staticmethod
    def resolve_name(obj: Body) -> str:
        return str(obj.name)


class ComplaintIn(Schema):
    kind: str = "person"
    name: str
    business_name: str = ""
    tax_number: str = ""
    phone: str = ""
    language: str = "el"
    share_identity: bool = False
    service: str
    category: str
    happened_on: dt.date | None = None
    description: str
    earlier_steps: str = ""
    earlier_protocol: str = ""
    request: str


class StepOut(Schema):
    kind: str
    status: str
    message: str
    at: dt.datetime


class MessageOut(Schema):
    direction: str
    text: str
    at: dt.datetime


class ComplaintOut(Schema):
    reference: str
    token: UUID
    status: str
    service: str
    category: str
    submitted_at: dt.datetime | None
    due_on: dt.date | None
    clock_paused: bool
    outcome: str
    answer: str
    steps: list[StepOut]
    messages: list[MessageOut]

    @staticmethod
    def resolve_service(obj: Complaint) -> str:
        return obj.body.code

    @staticmethod
    def resolve_due_on(obj: Complaint) -> dt.date | None:
        return selectors.deadline_state(obj).due if obj.is_open else obj.due_on

    @staticmethod
    def resolve_clock_paused(obj: Complaint) -> bool:
        return obj.paused_since is not None

    @staticmethod
    def resolve_answer(obj: Complaint) -> str:
        return obj.answer or obj.decision_text

    @staticmethod
    def resolve_steps(obj: Complaint) -> list[dict[str, Any]]:
        return [
            {"kind": e.kind, "status": e.status, "message": e.message, "at": e.created_at}
            for e in obj.events.filter(public=True)
        ]

    @staticmethod
    def resolve_messages(obj: Complaint) -> list[dict[str, Any]]:
        return [
            {"direction": m.direction, "text": m.text, "at": m.created_at}
            for m in obj.messages.all()
        ]


class ReplyIn(Schema):
    text: str


class QueueItemOut(Schema):
    id: int
    reference: str
    status: str
    service: str
    due_on: dt.date | None
    deadline: str
    days_left: int
    assigned_to: str


@router.get("/services", response=list[BodyOut], auth=None)
def bodies(request: HttpRequest) -> Any:
    """The services and legal entities a complaint may be about."""
    return list(selectors.active_bodies())


@router.post(
    "/complaints",
    response={201: ComplaintOut, 200: ComplaintOut, 400: Error},
    auth=token_or_session,
)
def submit(request: HttpRequest, body: ComplaintIn) -> Any:
    """File a complaint as the caller (their account's email). The same complaint sent twice
    answers the first one (200)."""
    service = Body.objects.filter(code=body.service, is_active=True).first()
    if service is None:
        return error_response(request, 400, "invalid", "Unknown service.")
    if body.category not in Category.values:
        return error_response(request, 400, "invalid", "Unknown category.")
    user: Any = request.user
    try:
        done = services.submit_complaint(
            person=services.Complainant(
                kind=body.kind,
                name=body.name,
                email=user.email,
                phone=body.phone,
                business_name=body.business_name,
                tax_number=body.tax_number,
                language=body.language,
                share_identity=body.share_identity,
            ),
            details=services.Details(
                body=service,
                category=body.category,
                description=body.description,
                request=body.request,
                happened_on=body.happened_on,
                earlier_steps=body.earlier_steps,
                earlier_protocol=body.earlier_protocol,
            ),
            user=user,
            request=request,
        )
    except services.AdvocateError as exc:
        return error_response(request, 400, "invalid", str(exc.message))
    return (201 if done.created else 200), done.complaint


@router.get("/complaints/mine", response=list[ComplaintOut], auth=token_or_session)
def mine(request: HttpRequest) -> Any:
    """The caller's own complaints."""
    return list(selectors.complaints_of(request.user))


def _by_token(token: UUID) -> Complaint | None:
    return (
        Complaint.objects.select_related("body")
        .filter(token=token, erased_at__isnull=True)
        .exclude(status=Status.UNCONFIRMED)
        .first()
    )


@router.get("/complaints/{token}", response={200: ComplaintOut, 404: Error}, auth=None)
def track(request: HttpRequest, token: UUID) -> Any:
    """A complaint by its secret tracking key (the link the complainant received)."""
    found = _by_token(token)
    if found is None:
        return error_response(request, 404, "not_found", "No such complaint.")
    return found


@router.post(
    "/complaints/{token}/messages",
    response={200: ComplaintOut, 400: Error, 404: Error},
    auth=None,
)
def reply(request: HttpRequest, token: UUID, body: ReplyIn) -> Any:
    """The complainant writes to the office; a paused clock runs again."""
    found = _by_token(token)
    if found is None:
        return error_response(request, 404, "not_found", "No such complaint.")
    user: Any = request.user if request.user.is_authenticated else None
    try:
        services.reply(complaint=found, text=body.text, user=user, request=request)
    except services.AdvocateError as exc:
        return error_response(request, 400, "invalid", str(exc.message))
    return _by_token(token)


@router.get(
    "/office/complaints", response={200: list[QueueItemOut], 403: Error}, auth=token_or_session
)
def office_queue(request: HttpRequest, state: str = "") -> Any:
    """The office: open complaints with their deadline, the most urgent first."""
    if not request.user.has_perm(services.HANDLE):
        return error_response(request, 403, "forbidden", "Only the Advocate's office may.")
    return [
        {
            "id": c.pk,
            "reference": c.reference,
            "status": c.status,
            "service": c.body.code,
            "due_on": d.due,
            "deadline": d.state,
            "days_left": d.days,
            "assigned_to": c.assigned_to.email if c.assigned_to else "",
        }
        for c, d in selectors.office_queue(state=state)
    ]


@router.get("/figures", response={200: dict[str, Any], 400: Error}, auth=None)
def figures(request: HttpRequest, year: int = 0) -> Any:
    """The figures of a year (by default the current one): no personal data."""
    year = year or timezone.localdate().year
    if not 2000 <= year <= timezone.localdate().year:
        return error_response(request, 400, "invalid", "No figures for that year.")
    return selectors.figures(year, "en")
