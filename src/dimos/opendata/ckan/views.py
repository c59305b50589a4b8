"""The CKAN Action API at /api/3/action/<name> and /api/action/<name> (GET and POST).

No redirects, no CSRF (clients post JSON with a key in ``Authorization`` or
``X-CKAN-API-Key``), CKAN's envelope and error types, never a server error.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from dimos.accounts.services import use_api_token
from dimos.core.cached import CachedBody
from dimos.opendata.ckan import actions
from dimos.opendata.ckan.errors import ActionError, BadRequest, NotAuthorized
from dimos.opendata.selectors import CATALOGUE

# Anonymous reads answered from the cache until the catalogue changes (every write bumps it).
READS = CachedBody("opendata:ckan", seconds=900, version=CATALOGUE)

logger = logging.getLogger(__name__)


def _help(name: str) -> str:
    return f"{settings.SITE_URL}/api/3/action/help_show?name={name}"


def _answer(status: int, body: dict[str, Any]) -> JsonResponse:
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"
    return response


def _data(request: HttpRequest) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key in request.GET:
        values = request.GET.getlist(key)
        data[key] = values if len(values) > 1 else values[0]
    if request.method == "POST":
        content_type = request.content_type or ""
        if (
            content_type.startswith("multipart/")
            or content_type == "application/x-www-form-urlencoded"
        ):
            for key in request.POST:
                values = request.POST.getlist(key)
                data[key] = values if len(values) > 1 else values[0]
        elif request.body:
            try:
                body = json.loads(request.body.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                raise BadRequest("JSON Error: could not read the body") from None
            if not isinstance(body, dict):
                raise BadRequest("JSON Error: the body is not a JSON object")
            data.update(body)
    return data


def _user(request: HttpRequest) -> Any:
    raw = request.headers.get("Authorization") or request.headers.get("X-CKAN-API-Key") or ""
    raw = raw.removeprefix("Bearer ").strip()
    if raw:
        token = use_api_token(raw)
        if token is None:
            raise NotAuthorized("the API token is not valid")
        return token.user
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and request.method == "GET":
        return user
    return AnonymousUser()


@csrf_exempt
def action(request: HttpRequest, name: str) -> HttpResponse:
    envelope: dict[str, Any] = {"help": _help(name)}
    if request.method not in ("GET", "POST"):
        return _answer(
            400, {**envelope, "success": False, "error": BadRequest("GET or POST only").error()}
        )
    func = actions.ACTIONS.get(name)
    if func is None:
        error = BadRequest(f"Action name not known: {name}")
        return _answer(400, {**envelope, "success": False, "error": error.error()})
    try:
        if name in actions.WRITES and request.method != "POST":
            raise BadRequest("Only POST is available on this action")
        data = _data(request)
        caller = actions.Caller(user=_user(request), request=request)
        if _anonymous_read(request, caller, name):
            return _cached(request, name, caller, data)
        result = func(caller, data)
    except ActionError as exc:
        return _answer(exc.status, {**envelope, "success": False, "error": exc.error()})
    except Exception:  # never a server error: CKAN's clients get an answer they understand
        logger.exception("CKAN action %s failed", name)
        return _answer(
            500,
            {
                **envelope,
                "success": False,
                "error": {"__type": "Internal Server Error", "message": "Internal Server Error"},
            },
        )
    return _answer(200, {**envelope, "success": True, "result": result})


def _anonymous_read(request: HttpRequest, caller: actions.Caller, name: str) -> bool:
    return (
        request.method == "GET" and not caller.user.is_authenticated and name not in actions.WRITES
    )


def _cached(
    request: HttpRequest, name: str, caller: actions.Caller, data: dict[str, Any]
) -> HttpResponse:
    """A public read, kept encoded (plain and gzip) under the catalogue's version. An error is
    raised out of the computation, so it is answered but never kept."""

    def build() -> tuple[bytes, str]:
        result = actions.ACTIONS[name](caller, data)
        body = {"help": _help(name), "success": True, "result": result}
        return json.dumps(body, ensure_ascii=False).encode(), "application/json"

    question = {"action": name, "query": sorted(request.GET.lists())}
    response = READS.respond(request, shared_by=question, compute=build)
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"
    return response


def version(request: HttpRequest) -> HttpResponse:
    return _answer(200, {"version": 3})
