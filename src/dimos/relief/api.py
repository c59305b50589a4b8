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
from dimos.relief import consent, figures, selectors, services
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


class CoordinatorOut(RequestOut):
    channel: str
    beneficiary: BeneficiaryOut
    delivery_id: int | None
    proof: str
    received_by: str
    money_amount: Decimal | None


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
        ReliefRequest.objects.select_related("beneficiary__district", "delivery")
        .prefetch_related("needs")
        .filter(pk=request_id)
        .first()
    )
    if found is None:
        return error_response(request, 404, "not_found", "No such request.")
    services.record_view(target=found, actor=request.user, request=request)
    return found
