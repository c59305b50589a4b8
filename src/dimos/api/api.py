"""The platform's REST API (django-ninja): /api/v1/, OpenAPI 3.1 at /api/v1/openapi.json.

Every app declares its router on its manifest (``api=ApiRouter(prefix, "dotted.path")``); the
URL map mounts them all (:func:`mount_registered_routers`). Errors always have one shape:
``{"error": {"code", "message", "details"}}``.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyHeader, HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from dimos.accounts.selectors import needs_staff_mfa
from dimos.accounts.services import use_api_token
from dimos.api.throttling import AnonThrottle, AuthThrottle
from dimos.core.registry import api_routers

logger = logging.getLogger(__name__)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer dmt_…`` — a token issued to an integration."""

    openapi_description = "API token issued by an administrator (Authorization: Bearer dmt_…)."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = use_api_token(token)
        if found is None:
            return None
        request.user = found.user
        return found.user


class TokenHeaderAuth(APIKeyHeader):
    """``X-API-Key: dmt_…`` for clients that cannot set a bearer token."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return TokenAuth().authenticate(request, key or "")


class StaffMFARequired(Exception):
    """A staff member's session without TOTP: answered 403 ``mfa_required``."""


class SessionAuth(NinjaSessionAuth):
    """The browser's login session, under the same staff MFA rule as the staff pages.

    A staff member who has not set up two-step verification reaches no data through their
    session (they may still use an API token issued to them), as ``StaffMFAMiddleware`` keeps
    them out of /staff/ and /admin/ (ADR 0007).
    """

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and needs_staff_mfa(user):
            raise StaffMFARequired
        return user


session_auth = SessionAuth()
token_or_session = [TokenAuth(), TokenHeaderAuth(), session_auth]


# Database ids are 64-bit: a larger integer in a query overflows the driver (SQLite, psycopg).
MAX_ID = 2**63 - 1
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]


class ErrorBody(Schema):
    code: str
    message: str
    details: Any = None


class Error(Schema):
    error: ErrorBody


api = NinjaAPI(
    title="Dimos API",
    version="1.0.0",
    description=(
        "The REST API of the Dimos digital city hall. Public reads need no key; a person's own "
        "data needs an API token (`Authorization: Bearer …`) or a logged-in session. Lists are "
        'paginated with `page` and `page_size`. Errors: `{"error": {"code", "message", '
        '"details"}}`.'
    ),
    urls_namespace="api-1.0.0",
    openapi_url="/openapi.json",
    docs_url="/docs",
    throttle=[
        AnonThrottle(settings.DIMOS_API_ANON_RATE),
        AuthThrottle(settings.DIMOS_API_AUTH_RATE),
    ],
)


def error_response(
    request: HttpRequest, status: int, code: str, message: Any, details: Any = None
) -> HttpResponse:
    return api.create_response(
        request,
        {"error": {"code": code, "message": str(message), "details": details}},
        status=status,
    )


@api.exception_handler(ValidationError)
def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = [
        {"loc": list(e.get("loc", [])), "msg": e.get("msg", ""), "type": e.get("type", "")}
        for e in exc.errors
    ]
    return error_response(request, 422, "invalid", _("The request is not valid."), details)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, 401, "unauthenticated", _("Authentication is required."))


@api.exception_handler(StaffMFARequired)
def _mfa_required(request: HttpRequest, exc: StaffMFARequired) -> HttpResponse:
    return error_response(
        request,
        403,
        "mfa_required",
        _("Set up two-step verification (an authenticator app) before using staff data."),
        {"setup_url": reverse("mfa_activate_totp")},
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", _("Not found."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    codes = {
        400: "bad_request",
        403: "forbidden",
        404: "not_found",
        409: "conflict",
        413: "too_large",
        429: "throttled",
    }
    return error_response(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))


class InvalidInput(Exception):
    """Input that failed the domain's validation: answered 400 with the errors per field."""

    def __init__(self, details: Any, message: str = "") -> None:
        super().__init__(message)
        self.details = details
        self.message = message


@api.exception_handler(InvalidInput)
def _invalid_input(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
    message = exc.message or _("The request has invalid values.")
    return error_response(request, 400, "bad_request", message, exc.details)


@api.exception_handler(RequestDataTooBig)
def _too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error_response(
        request,
        413,
        "too_large",
        _("The request body is larger than this server accepts (%(size)s bytes).")
        % {"size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
    )


@api.exception_handler(MultiPartParserError)
@api.exception_handler(UnreadablePostError)
@api.exception_handler(SuspiciousOperation)
@api.exception_handler(RecursionError)
def _unreadable_body(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A body no parser can read: multipart without or with a broken boundary, too many fields,
    # JSON nested deeper than the parser goes. Every router gets this, whatever it parses.
    return error_response(request, 400, "bad_request", _("The request body could not be read."))


@api.exception_handler(DataError)
def _unstorable_value(request: HttpRequest, exc: DataError) -> HttpResponse:
    # A value the database refuses to compare or keep: a NUL character in a text parameter
    # (PostgreSQL), a number beyond its column's range. The client's input, not our bug.
    return error_response(
        request,
        400,
        "bad_request",
        _("The request holds a value that cannot be used (a NUL character, a number too large)."),
    )


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Still a bug to fix, but clients get the error shape, and the log the traceback.
    logger.exception("API error on %s", request.path, exc_info=exc)
    return error_response(request, 500, "server_error", _("Something went wrong on our side."))


_mounted: set[str] = set()


def mount_registered_routers() -> None:
    """Mount under /api/v1/<prefix> every router the apps' manifests declared, once each.

    In ``INSTALLED_APPS`` order, after every app is ready; the URL map calls it.
    """
    for declared in api_routers.values():
        if declared.key not in _mounted:
            api.add_router(declared.prefix, import_string(declared.router))
            _mounted.add(declared.key)
