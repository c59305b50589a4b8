"""The Advocate through the API: a complainant submits and follows a complaint, the office
reads its queue and its complaints and decides on them, anyone reads the services and the
year's figures (no personal data)."""

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
from dimos.core.workflow import Refused

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


class OfficeComplaintOut(ComplaintOut):
    """A complaint as the office sees it: who complains, what they ask, the office's own steps."""

    id: int
    kind: str
    name: str
    business_name: str
    tax_number: str
    email: str
    phone: str
    language: str
    share_identity: bool
    happened_on: dt.date | None
    description: str
    earlier_steps: str
    earlier_protocol: str
    request: str
    assigned_to: str
    exclusion: str
    referred_to: str
    recommendation: str
    service_reasons: str

    @staticmethod
    def resolve_assigned_to(obj: Complaint) -> str:
        return obj.assigned_to.email if obj.assigned_to else ""

    @staticmethod
    def resolve_steps(obj: Complaint) -> list[dict[str, Any]]:
        return [
            {"kind": e.kind, "status": e.status, "message": e.message, "at": e.created_at}
            for e in obj.events.all()
        ]


class OfficeActionIn(Schema):
    """What an action needs: ``reject`` an ``exclusion`` (and an ``explanation``), ``refer``
    ``referred_to`` and an ``explanation``, ``ask`` and ``write`` a ``text``, ``conclude`` an
    ``outcome`` and an ``answer`` (a ``recommendation``, the ``service_reasons``)."""

    exclusion: str = ""
    explanation: str = ""
    referred_to: str = ""
    text: str = ""
    outcome: str = ""
    answer: str = ""
    recommendation: str = ""
    service_reasons: str = ""


def _office_complaint(request: HttpRequest, pk: int) -> Complaint | Any:
    """The complaint for the office, or the error answer (403 to anyone else, 404)."""
    if not request.user.has_perm(services.HANDLE):
        return error_response(request, 403, "forbidden", "Only the Advocate's office may.")
    found = Complaint.objects.select_related("body", "assigned_to").filter(pk=pk).first()
    if found is None or found.submitted_at is None:
        return error_response(request, 404, "not_found", "No such complaint.")
    return found


@router.get(
    "/office/complaints/{pk}",
    response={200: OfficeComplaintOut, 403: Error, 404: Error},
    auth=token_or_session,
)
def office_complaint(request: HttpRequest, pk: int) -> Any:
    """One complaint, whole, for the office (the reading is audited)."""
    found = _office_complaint(request, pk)
    if not isinstance(found, Complaint):
        return found
    services.record_view(complaint=found, actor=request.user, request=request)  # type: ignore[arg-type]
    return found


OFFICE_ACTIONS = ("admit", "reject", "refer", "ask", "resume", "write", "conclude")


@router.post(
    "/office/complaints/{pk}/{action}",
    response={200: OfficeComplaintOut, 400: Error, 403: Error, 404: Error},
    auth=token_or_session,
)
def office_action(request: HttpRequest, pk: int, action: str, body: OfficeActionIn) -> Any:
    """The office's decisions, as on its pages: ``admit``, ``reject``, ``refer``, ``ask`` (the
    clock pauses), ``resume``, ``write`` (a message; the clock runs on), ``conclude``."""
    found = _office_complaint(request, pk)
    if not isinstance(found, Complaint):
        return found
    if action not in OFFICE_ACTIONS:
        return error_response(
            request, 404, "not_found", f"No such action; one of: {', '.join(OFFICE_ACTIONS)}."
        )
    actor: Any = request.user
    common = {"complaint": found, "actor": actor, "request": request}
    try:
        if action == "admit":
            services.admit(**common)
        elif action == "reject":
            services.reject(**common, exclusion=body.exclusion, explanation=body.explanation)
        elif action == "refer":
            services.refer(**common, referred_to=body.referred_to, explanation=body.explanation)
        elif action == "ask":
            services.ask_complainant(**common, text=body.text)
        elif action == "resume":
            services.resume(**common)
        elif action == "write":
            services.write_to_complainant(**common, text=body.text)
        else:
            services.conclude(
                **common,
                outcome=body.outcome,
                answer=body.answer,
                recommendation=body.recommendation,
                service_reasons=body.service_reasons,
            )
    except Refused as exc:
        return error_response(request, 400, "invalid", str(exc.message))
    return Complaint.objects.select_related("body", "assigned_to").get(pk=pk)


@router.get("/figures", response={200: dict[str, Any], 400: Error}, auth=None)
def figures(request: HttpRequest, year: int = 0) -> Any:
    """The figures of a year (by default the current one): no personal data."""
    year = year or timezone.localdate().year
    if not 2000 <= year <= timezone.localdate().year:
        return error_response(request, 400, "invalid", "No figures for that year.")
    return selectors.figures(year, "en")
