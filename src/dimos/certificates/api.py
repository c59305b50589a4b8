"""Certificates through the API: the types, a person's own requests, public verification."""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from dimos.api.api import Error, ObjectId, error_response, token_or_session
from dimos.api.pagination import Pagination
from dimos.certificates import selectors, signing
from dimos.certificates.conf import conf
from dimos.certificates.models import CertificateRequest, CertificateType, normalise_code
from dimos.certificates.views import over_verify_rate
from dimos.core.cached import CachedBody

router = Router(tags=["certificates"])


class TypeOut(Schema):
    code: str
    name: str
    description: str
    deadline_days: int
    fee_amount: float
    requesters: list[str]

    @staticmethod
    def resolve_requesters(obj: CertificateType) -> list[str]:
        return [value for value, _label in obj.requester_choices()]


class EventOut(Schema):
    kind: str
    status: str
    message: str
    created_at: dt.datetime


class DocumentOut(Schema):
    code: str
    status: str
    protocol_number: str
    issued_at: dt.datetime
    sha256: str


class RequestOut(Schema):
    id: int
    certificate_type: str = Field(..., alias="certificate_type.code")
    status: str
    holder_name: str
    submitted_at: dt.datetime
    due_on: dt.date | None
    home_delivery: bool
    info_request: str
    rejection_reason: str
    protocol_number: str


class RequestDetailOut(RequestOut):
    events: list[EventOut]
    documents: list[DocumentOut]

    @staticmethod
    def resolve_events(obj: CertificateRequest) -> list[Any]:
        return list(obj.events.filter(public=True))

    @staticmethod
    def resolve_documents(obj: CertificateRequest) -> list[Any]:
        return list(obj.documents.issued())


class VerificationOut(Schema):
    found: bool
    genuine: bool
    code: str = ""
    status: str = Field("", description="valid, revoked or superseded.")
    certificate_type: str = ""
    issued_at: dt.datetime | None = None
    holder: str = Field("", description="The holder's name, masked.")
    protocol_number: str = ""
    revoked_at: dt.datetime | None = None
    hash_matches: bool | None = Field(None, description="Uploads only: the exact registered bytes.")
    signature_valid: bool | None = Field(None, description="Uploads only: the PAdES signature.")
    message: str = Field("", description="The answer in one sentence, in the request's language.")


def _verification(result: selectors.Verification, *, uploaded: bool = False) -> dict[str, Any]:
    return {
        "found": result.found,
        "genuine": result.genuine,
        "code": result.code,
        "status": result.status,
        "certificate_type": result.type_name,
        "issued_at": result.issued_at,
        "holder": result.holder,
        "protocol_number": result.protocol_number,
        "revoked_at": result.revoked_at,
        "hash_matches": result.hash_matches,
        "signature_valid": result.signature_valid,
        "message": selectors.verification_message(result, uploaded=uploaded),
    }


def _limited(request: HttpRequest) -> HttpResponse | None:
    if over_verify_rate(request):
        return error_response(
            request, 429, "rate_limited", "Too many verifications; wait a minute."
        )
    return None


@router.get("/types", response=list[TypeOut], auth=None)
def types(request: HttpRequest) -> Any:
    return list(CertificateType.objects.filter(is_active=True))


@router.get("/requests", response=list[RequestOut], auth=token_or_session)
@paginate(Pagination)
def my_requests(request: HttpRequest) -> Any:
    """The caller's own requests, newest first."""
    return selectors.requests_of(request.user.pk or 0).order_by("-submitted_at", "-pk")


@router.get(
    "/requests/{request_id}",
    response={200: RequestDetailOut, 404: Error},
    auth=token_or_session,
)
def my_request(request: HttpRequest, request_id: ObjectId) -> Any:
    found = selectors.requests_of(request.user.pk or 0).filter(pk=request_id).first()
    if found is None:
        return error_response(request, 404, "not_found", "No such request of yours.")
    return found


@router.get("/verify/{code}", response={200: VerificationOut, 404: Error, 429: Error}, auth=None)
def verify_code(request: HttpRequest, code: str) -> Any:
    """Status, type, issue date and masked holder of the certificate with this code."""
    limited = _limited(request)
    if limited is not None:
        return limited
    state = selectors.verification_state(code[:64])
    if state is None:
        return error_response(request, 404, "not_found", "No certificate has this code.")

    def build() -> tuple[bytes, str]:
        body = VerificationOut(**_verification(selectors.verify_code(code[:64])))
        return body.model_dump_json().encode(), "application/json; charset=utf-8"

    # The answer is cached per code, registry state and language: a revocation shows at once.
    question = [normalise_code(code), state, get_language()]
    return VERIFICATIONS.respond(request, shared_by=question, compute=build)


VERIFICATIONS = CachedBody("certificates:verify-api", seconds=3600)


@router.post(
    "/verify", response={200: VerificationOut, 400: Error, 422: Error, 429: Error}, auth=None
)
def verify_pdf(request: HttpRequest, pdf: File[UploadedFile]) -> Any:
    """Upload a PDF: genuine only if its SHA-256 is registered and its signature validates.

    A file whose SHA-256 is not registered is answered at once (`found: false`) without being
    parsed. 422 `not_checked` when checking a registered file's signature hit the server's time
    or memory limit.
    """
    limited = _limited(request)
    if limited is not None:
        return limited
    limit = conf.UPLOAD_MAX_BYTES
    content = pdf.read(limit + 1)
    if len(content) > limit:
        return error_response(request, 400, "too_large", "The file is too large.")
    if not content.startswith(b"%PDF-"):
        return error_response(request, 400, "not_pdf", "This is not a PDF file.")
    try:
        result = selectors.verify_pdf(content)
    except signing.CheckNotPossible:
        return error_response(
            request,
            422,
            "not_checked",
            _(
                "The file could not be checked: checking its signature needed more time or "
                "memory than this server allows. Try again later, or check the verification "
                "code printed on the certificate."
            ),
        )
    return _verification(result, uploaded=True)
