"""Relief through the API: the person's own requests (list, create, detail) and the
coordinators' list and detail (every reading of a beneficiary audited)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from dimos.api.api import Error, ObjectId, error_response, token_or_session
from dimos.api.pagination import Pagination
from dimos.relief import consent, figures, selectors, services, volunteering
from dimos.relief.models import FoodClaim, Method, NeedKind, Relation, ReliefRequest, Status

router = Router(tags=["relief"])


class NeedSchema(Schema):
    kind: str
    description: str = ""
    ceiling: Decimal | None = None
    pharmacy: str = ""
    barcodes: list[str] = []


class NeedOut(NeedSchema):
    # Not brought, and why (a food parcel for a person who does not qualify).
    declined_reason: str = ""


class RequestOut(Schema):
    id: int
    reference: str
    status: str
    status_reason: str
    relation: str
    day: dt.date
    window_start: dt.time
    window_end: dt.time
    urgent: bool
    food_claim: str
    needs: list[NeedOut]
    created_at: dt.datetime
    delivered_at: dt.datetime | None

    @staticmethod
    def resolve_needs(obj: ReliefRequest) -> list[dict[str, Any]]:
        return [
            {
                "kind": n.kind,
                "description": n.description,
                "ceiling": n.ceiling,
                "pharmacy": n.pharmacy,
                "barcodes": n.barcodes,
                "declined_reason": n.declined_reason,
            }
            for n in obj.needs.all()
        ]


class BeneficiaryOut(Schema):
    id: int
    full_name: str
    address: str
    lat: float | None
    lon: float | None
    district: str | None
    phone: str
    household_size: int
    vulnerabilities: list[str]
    language: str
    access_notes: str
    consent_version: int
    consent_method: str
    food_eligibility: str
    food_eligible_until: dt.date | None

    @staticmethod
    def resolve_district(obj: Any) -> str | None:
        return obj.district.code if obj.district_id else None


class RecurrenceOut(Schema):
    """The recurring request a request belongs to: weekdays 0 (Monday) to 6 (Sunday)."""

    id: int
    weekdays: list[int]
    until: dt.date
    stopped: bool

    @staticmethod
    def resolve_stopped(obj: Any) -> bool:
        return obj.stopped_at is not None


class CoordinatorOut(RequestOut):
    channel: str
    beneficiary: BeneficiaryOut
    delivery_id: int | None
    proof: str
    received_by: str
    money_amount: Decimal | None
    recurrence: RecurrenceOut | None


class ListItemOut(Schema):
    id: int
    reference: str
    status: str
    day: dt.date
    window_start: dt.time
    urgent: bool
    district: str | None
    needs: list[str]
    courier_assigned: bool

    @staticmethod
    def resolve_district(obj: ReliefRequest) -> str | None:
        district = obj.beneficiary.district
        return district.code if district else None

    @staticmethod
    def resolve_needs(obj: ReliefRequest) -> list[str]:
        return [n.kind for n in obj.needs.all()]

    @staticmethod
    def resolve_courier_assigned(obj: ReliefRequest) -> bool:
        return obj.delivery is not None and obj.delivery.assigned_to_id is not None


class PersonIn(Schema):
    full_name: str
    address: str
    lat: float
    lon: float
    phone: str = ""
    household_size: int = 1
    vulnerabilities: list[str] = []
    language: str = "el"
    access_notes: str = ""


class RequestIn(Schema):
    """A request for help. ``consent_version`` is the version of the consent text shown
    (``GET /relief/consent``). The same ``submission_key`` again answers the request made."""

    relation: str = Relation.SELF
    person: PersonIn
    needs: list[NeedSchema]
    day: dt.date
    window_start: dt.time
    window_end: dt.time
    consent_version: int
    submission_key: str = ""
    # With a food parcel: what the person says about the social grocery (grocery, kea,
    # social_service, unsure); a coordinator checks it.
    food_claim: str = ""


class ConsentOut(Schema):
    version: int
    text: str


@router.get("/consent", response=ConsentOut, auth=None)
def consent_text(request: HttpRequest) -> Any:
    """The consent text in force, to show before asking."""
    return {"version": consent.CURRENT, "text": str(consent.text())}


class CountOut(Schema):
    """A count, or null when suppressed: ``suppressed`` is ``small`` (below the minimum) or
    ``secondary`` (hidden so that a small one cannot be worked out from the total)."""

    count: int | None
    suppressed: str


class DistrictCountOut(CountOut):
    code: str
    name: str


class NeedCountOut(CountOut):
    kind: str
    name: str


class FiguresOut(Schema):
    days: int
    since: dt.date
    minimum: int
    received: CountOut
    delivered: CountOut
    on_day_share: int | None
    median_hours: float | None
    by_district: list[DistrictCountOut]
    by_need: list[NeedCountOut]


@router.get("/figures", response=FiguresOut, auth=None)
def public_figures(request: HttpRequest) -> Any:
    """Public, aggregated figures of the last 30 days (no personal data; counts below
    ``minimum`` suppressed); cached for ten minutes."""
    return figures.public_figures()


@router.get("/requests", response=list[RequestOut], auth=token_or_session)
@paginate(Pagination)
def my_requests(request: HttpRequest) -> Any:
    """What the caller asked for (for themself or for others), newest first."""
    return selectors.own_requests(request.user)


@router.post(
    "/requests", response={201: RequestOut, 200: RequestOut, 400: Error}, auth=token_or_session
)
def create_request(request: HttpRequest, body: RequestIn) -> Any:
    """Ask for help. Asking again for the same person and day adds the needs to the request
    already there (answered with 200 instead of 201)."""
    for need in body.needs:
        if need.kind not in NeedKind.values:
            return error_response(request, 400, "invalid", "Unknown need.")
        if any(not b.isdigit() for b in need.barcodes):
            return error_response(
                request, 400, "invalid", "Prescription barcodes are numbers only."
            )
    if body.relation not in Relation.values:
        return error_response(request, 400, "invalid", "Unknown relation.")
    if any(n.kind == NeedKind.FOOD for n in body.needs) and body.food_claim not in FoodClaim.values:
        return error_response(
            request,
            400,
            "invalid",
            "With a food parcel, food_claim says whether the person qualifies for the social "
            "grocery: grocery, kea, social_service or unsure.",
        )
    try:
        asked = services.ask_for_help(
            person=services.Person(**body.person.dict()),
            needs=[services.NeedData(**n.dict()) for n in body.needs],
            day=body.day,
            window_start=body.window_start,
            window_end=body.window_end,
            actor=request.user,  # type: ignore[arg-type]
            channel=Method.ONLINE,
            relation=body.relation,
            consent_version=body.consent_version,
            submission_key=body.submission_key[:64],
            food_claim=body.food_claim,
            request=request,
        )
    except services.ReliefError as exc:
        return error_response(request, 400, exc.code, str(exc.message))
    req = ReliefRequest.objects.prefetch_related("needs").get(pk=asked.request.pk)
    return (200 if asked.merged or asked.repeated else 201), req


@router.get("/requests/{request_id}", response={200: RequestOut, 404: Error}, auth=token_or_session)
def my_request(request: HttpRequest, request_id: ObjectId) -> Any:
    """One of the caller's own requests."""
    found = selectors.own_requests(request.user).filter(pk=request_id).first()
    if found is None:
        return error_response(request, 404, "not_found", "No such request of yours.")
    return found


def _may_coordinate(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(user.is_authenticated and user.is_staff and user.has_perm(services.VIEW))


@router.get(
    "/staff/requests",
    response={200: list[ListItemOut], 400: Error, 403: Error},
    auth=token_or_session,
)
@paginate(Pagination)
def coordinator_list(request: HttpRequest, day: str = "", status: str = "") -> Any:
    """Coordinators: the requests of a day (``YYYY-MM-DD``, today by default), those without a
    courier first."""
    if not _may_coordinate(request):
        raise HttpError(403, "Only relief coordinators may read requests for help.")
    if status and status not in Status.values:
        raise HttpError(400, "Unknown status.")
    try:
        chosen = dt.date.fromisoformat(day) if day else timezone.localdate()
    except ValueError:
        raise HttpError(400, "The day is a date: YYYY-MM-DD.") from None
    return selectors.board(days=[chosen], status=status).prefetch_related("needs")


@router.get(
    "/staff/requests/{request_id}",
    response={200: CoordinatorOut, 403: Error, 404: Error},
    auth=token_or_session,
)
def coordinator_detail(request: HttpRequest, request_id: ObjectId) -> Any:
    """Coordinators: one request with its beneficiary (the reading is audited)."""
    if not _may_coordinate(request):
        return error_response(
            request, 403, "forbidden", "Only relief coordinators may read requests for help."
        )
    found = (
        ReliefRequest.objects.select_related("beneficiary__district", "delivery", "recurrence")
        .prefetch_related("needs")
        .filter(pk=request_id)
        .first()
    )
    if found is None:
        return error_response(request, 404, "not_found", "No such request.")
    services.record_view(target=found, actor=request.user, request=request)
    return found


# --- Volunteers' tasks --------------------------------------------------------------------------
# A task is a scheduled request's visit; its id is the request's. Until the caller holds it,
# a task tells only its district, day, window and kinds of help (with the shopping's ceiling).

# Refusals of the volunteers' services → HTTP status.
_TASK_STATUS = {
    "taken": 409,
    "done": 409,
    "not_open": 409,
    "logged": 409,
    "not_done": 409,
    "not_volunteer": 403,
    "conduct": 403,
    "not_yours": 403,
    "not_offered": 404,
}


class TaskNeedOut(Schema):
    kind: str
    ceiling: Decimal | None = None


class PlaceOut(Schema):
    """The beneficiary, for the task's holder only (audited)."""

    full_name: str
    address: str
    phone: str
    access_notes: str
    lat: float | None
    lon: float | None


class TaskOut(Schema):
    id: int
    reference: str
    district: str | None
    day: dt.date
    window_start: dt.time
    window_end: dt.time
    urgent: bool
    needs: list[TaskNeedOut]
    # "open" (offered to the caller), or the caller's claim: active, delivered, failed,
    # handed_back, withdrawn.
    status: str


class TaskDetailOut(TaskOut):
    place: PlaceOut | None = None
    details: list[NeedSchema] = []
    hours_logged: Decimal | None = None


class ReasonIn(Schema):
    reason: str


class CodeIn(Schema):
    code: str
    amount: Decimal | None = None


class HoursIn(Schema):
    hours: Decimal
    description: str = ""


class AssignIn(Schema):
    volunteer_id: int


def _task_out(req: ReliefRequest, status: str) -> dict[str, Any]:
    summary = volunteering.summary(req)
    district = req.beneficiary.district
    return {
        "id": req.pk,
        "reference": req.reference,
        "district": district.code if district else None,
        "day": summary.day,
        "window_start": summary.start,
        "window_end": summary.end,
        "urgent": summary.urgent,
        "needs": [{"kind": kind, "ceiling": ceiling} for kind, _l, ceiling in summary.needs],
        "status": status,
    }


def _task_refused(request: HttpRequest, exc: services.ReliefError) -> Any:
    return error_response(request, _TASK_STATUS.get(exc.code, 400), exc.code, str(exc.message))


def _approved(request: HttpRequest) -> Any:
    volunteer = volunteering.volunteer_of(request.user)
    if not volunteering.is_approved(volunteer):
        raise HttpError(403, "Only approved volunteers have tasks.")
    return volunteer


def _task_of(request: HttpRequest, task_id: int) -> tuple[Any, ReliefRequest, Any]:
    volunteer = volunteering.volunteer_of(request.user)
    if volunteer is None:
        raise HttpError(403, "Only approved volunteers have tasks.")
    req = (
        ReliefRequest.objects.select_related("beneficiary__district", "delivery")
        .prefetch_related("needs")
        .filter(pk=task_id)
        .first()
    )
    held = volunteering.claim_for(volunteer, req) if req is not None else None
    if req is None or (held is None and not volunteering.suits(volunteer, req)):
        raise HttpError(404, "No such task for you.")
    return volunteer, req, held


def _task_detail(request: HttpRequest, volunteer: Any, req: ReliefRequest, held: Any) -> Any:
    req = (
        ReliefRequest.objects.select_related("beneficiary__district", "delivery")
        .prefetch_related("needs")
        .get(pk=req.pk)
    )
    if held is not None:
        held = volunteering.claim_for(volunteer, req)
    place = volunteering.seen_by_holder(held, request.user, request) if held else None
    answer = _task_out(req, held.status if held else "open")
    answer["place"] = place
    answer["details"] = (
        [
            {
                "kind": n.kind,
                "description": n.description,
                "ceiling": n.ceiling,
                "pharmacy": n.pharmacy,
                "barcodes": n.barcodes,
            }
            for n in req.needs.all()
        ]
        if place
        else []
    )
    answer["hours_logged"] = volunteering.hours_logged(volunteer, req) if held else None
    return answer


@router.get("/tasks", response={200: list[TaskOut], 403: Error}, auth=token_or_session)
@paginate(Pagination)
def open_tasks(request: HttpRequest) -> Any:
    """Volunteers: the open tasks that suit the caller (districts, skills, weekly hours),
    today and the next days, urgent first. No one's name or address."""
    volunteer = _approved(request)
    return [_task_out(r, "open") for r in volunteering.offered_to(volunteer)[:500]]


@router.get("/tasks/mine", response={200: list[TaskOut], 403: Error}, auth=token_or_session)
@paginate(Pagination)
def my_tasks(request: HttpRequest) -> Any:
    """Volunteers: the tasks the caller holds or held, newest first."""
    volunteer = volunteering.volunteer_of(request.user)
    if volunteer is None:
        raise HttpError(403, "Only approved volunteers have tasks.")
    return [_task_out(c.request, c.status) for c in volunteering.claims_of(volunteer)[:500]]


@router.get(
    "/tasks/{task_id}",
    response={200: TaskDetailOut, 403: Error, 404: Error},
    auth=token_or_session,
)
def task_detail(request: HttpRequest, task_id: ObjectId) -> Any:
    """One task. Its holder gets the place (address, phone, access notes) and the needs'
    details while they hold it and a day after the visit; every such reading is audited."""
    volunteer, req, held = _task_of(request, task_id)
    return _task_detail(request, volunteer, req, held)


@router.post(
    "/tasks/{task_id}/accept",
    response={200: TaskDetailOut, 403: Error, 404: Error, 409: Error},
    auth=token_or_session,
)
def accept_task(request: HttpRequest, task_id: ObjectId) -> Any:
    """Take the task: the caller becomes its courier. 409 ``taken`` when someone has it."""
    volunteer = _approved(request)
    req = ReliefRequest.objects.filter(pk=task_id).first()
    if req is None:
        return error_response(request, 404, "not_found", "No such task for you.")
    try:
        held = volunteering.claim(
            req=req,
            volunteer=volunteer,
            actor=request.user,  # type: ignore[arg-type]
            request=request,
        )
    except services.ReliefError as exc:
        return _task_refused(request, exc)
    return _task_detail(request, volunteer, req, held)


@router.post(
    "/tasks/{task_id}/decline",
    response={204: None, 403: Error, 404: Error, 409: Error},
    auth=token_or_session,
)
def decline_task(request: HttpRequest, task_id: ObjectId) -> Any:
    """Not for me: the task leaves the caller's list."""
    volunteer, req, _held = _task_of(request, task_id)
    try:
        volunteering.dismiss(req=req, volunteer=volunteer, request=request)
    except services.ReliefError as exc:
        return _task_refused(request, exc)
    return 204, None


@router.post(
    "/tasks/{task_id}/hand-back",
    response={200: TaskDetailOut, 400: Error, 403: Error, 404: Error, 409: Error},
    auth=token_or_session,
)
def hand_back_task(request: HttpRequest, task_id: ObjectId, body: ReasonIn) -> Any:
    """Give back a task the caller holds, with a reason; the coordinator is told."""
    volunteer, req, _held = _task_of(request, task_id)
    try:
        held = volunteering.hand_back(
            req=req, volunteer=volunteer, reason=body.reason[:500], request=request
        )
    except services.ReliefError as exc:
        return _task_refused(request, exc)
    return _task_detail(request, volunteer, req, held)


@router.post(
    "/tasks/{task_id}/complete",
    response={200: TaskDetailOut, 400: Error, 403: Error, 404: Error, 409: Error},
    auth=token_or_session,
)
def complete_task(request: HttpRequest, task_id: ObjectId, body: CodeIn) -> Any:
    """Delivered: the code the person tells the caller (limited tries, then the coordinator
    is alerted), and the money received for shopping, if any."""
    volunteer, req, held = _task_of(request, task_id)
    money = services.Money(amount=body.amount) if body.amount is not None else None
    try:
        volunteering.complete_with_code(
            req=req, volunteer=volunteer, code=body.code[:20], money=money, request=request
        )
    except services.ReliefError as exc:
        return _task_refused(request, exc)
    return _task_detail(request, volunteer, req, held)


@router.post(
    "/tasks/{task_id}/hours",
    response={201: TaskDetailOut, 400: Error, 403: Error, 404: Error, 409: Error},
    auth=token_or_session,
)
def log_task_hours(request: HttpRequest, task_id: ObjectId, body: HoursIn) -> Any:
    """The hours the caller gave to a task they did (once per task)."""
    volunteer, req, held = _task_of(request, task_id)
    try:
        volunteering.log_hours(
            req=req,
            volunteer=volunteer,
            hours=body.hours,
            description=body.description[:300],
            request=request,
        )
    except services.ReliefError as exc:
        return _task_refused(request, exc)
    return 201, _task_detail(request, volunteer, req, held)


@router.post(
    "/staff/requests/{request_id}/assign",
    response={200: TaskOut, 400: Error, 403: Error, 404: Error, 409: Error},
    auth=token_or_session,
)
def assign_task(request: HttpRequest, request_id: ObjectId, body: AssignIn) -> Any:
    """Coordinators: give a scheduled request's visit to one of the volunteers it suits
    (``GET …/volunteers``); the volunteer is told."""
    user: Any = request.user
    if not (_may_coordinate(request) and user.has_perm(services.CHANGE)):
        return error_response(request, 403, "forbidden", "Only relief coordinators may assign.")
    req = (
        ReliefRequest.objects.select_related("beneficiary__district", "delivery")
        .prefetch_related("needs")
        .filter(pk=request_id)
        .first()
    )
    if req is None:
        return error_response(request, 404, "not_found", "No such request.")
    chosen = {v.pk: v for v in volunteering.matching_volunteers(req)}.get(body.volunteer_id)
    if chosen is None:
        return error_response(
            request, 400, "invalid", "This volunteer does not suit the task (or is not free)."
        )
    try:
        held = volunteering.claim(req=req, volunteer=chosen, actor=user, request=request)
    except services.ReliefError as exc:
        return _task_refused(request, exc)
    return _task_out(req, held.status)


class VolunteerChoiceOut(Schema):
    id: int
    name: str


@router.get(
    "/staff/requests/{request_id}/volunteers",
    response={200: list[VolunteerChoiceOut], 403: Error, 404: Error},
    auth=token_or_session,
)
def task_volunteers(request: HttpRequest, request_id: ObjectId) -> Any:
    """Coordinators: the approved volunteers a request's visit suits (district, skills, free
    at its time), by name. Their phones are not given here."""
    if not _may_coordinate(request):
        return error_response(request, 403, "forbidden", "Only relief coordinators may read it.")
    req = ReliefRequest.objects.select_related("beneficiary", "delivery").filter(pk=request_id)
    found = req.first()
    if found is None:
        return error_response(request, 404, "not_found", "No such request.")
    return [{"id": v.pk, "name": v.full_name} for v in volunteering.matching_volunteers(found)]
