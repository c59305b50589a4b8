"""Reading Open311 parameters: query strings, POST bodies in three encodings, dates, keys."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.http import HttpRequest, QueryDict
from django.utils import timezone

from dimos.accounts.models import ApiToken
from dimos.accounts.services import use_api_token
from dimos.core.selectors import current_municipality
from dimos.reports.attributes import parse_aware_datetime
from dimos.reports.conf import conf
from dimos.reports.open311.render import Open311Error

MAX_SPAN = timedelta(days=90)
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
_ID = re.compile(r"[0-9]{1,18}")


@dataclass
class Params:
    """A request's parameters, each name with every value sent, empty values dropped."""

    values: dict[str, list[str]]

    def get(self, name: str) -> str | None:
        found = self.values.get(name)
        return found[-1] if found else None

    def getlist(self, name: str) -> list[str]:
        return self.values.get(name, [])

    def csv(self, name: str) -> list[str]:
        """A comma-separated list, repeated parameters allowed."""
        return [p.strip() for v in self.getlist(name) for p in v.split(",") if p.strip()]

    def attributes(self) -> dict[str, list[str]]:
        """``attribute[CODE]`` and ``attribute[CODE][]`` → {CODE: [values]}."""
        found: dict[str, list[str]] = {}
        for name, values in self.values.items():
            match = _ATTRIBUTE.match(name)
            if match:
                found.setdefault(match.group(1), []).extend(values)
        return found


def _clean(pairs: dict[str, list[str]]) -> Params:
    # No database compares or keeps a NUL character (PostgreSQL refuses it in text).
    if any("\x00" in k or any("\x00" in v for v in vs) for k, vs in pairs.items()):
        raise Open311Error(400, "Parameters may not contain NUL characters.")
    # "An empty parameter = absent."
    kept = {k: [v for v in vs if v.strip()] for k, vs in pairs.items()}
    return Params({k: vs for k, vs in kept.items() if vs})


def _query_dict(qd: QueryDict) -> dict[str, list[str]]:
    return {key: [str(v) for v in qd.getlist(key)] for key in qd}


def query(request: HttpRequest) -> Params:
    return _clean(_query_dict(request.GET))


def _flatten_json(data: dict[str, Any]) -> dict[str, list[str]]:
    flat: dict[str, list[str]] = {}

    def scalar(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, dict | list):
            raise Open311Error(400, "Body values must be strings, numbers or lists of them.")
        return "" if value is None else str(value)

    def put(name: str, value: Any) -> None:
        values = value if isinstance(value, list) else [value]
        flat.setdefault(name, []).extend(scalar(v) for v in values)

    for name, value in data.items():
        if name == "attribute" and isinstance(value, dict):
            # {"attribute": {"CODE": "x", "LIST": ["a", "b"]}}, the natural JSON form.
            for code, answer in value.items():
                put(f"attribute[{code}]", answer)
        else:
            put(str(name), value)
    return flat


def body(request: HttpRequest) -> Params:
    """The POST body: form-encoded, multipart or JSON; the query string fills in the rest."""
    content_type = (request.content_type or "").lower()
    if content_type == "application/json" or content_type.endswith("+json"):
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, RecursionError) as exc:  # bad JSON, not UTF-8, nested too deep
            raise Open311Error(400, "The request body is not valid JSON.") from exc
        if not isinstance(data, dict):
            raise Open311Error(400, "A JSON body must be an object.")
        sent = _flatten_json(data)
    else:
        sent = _query_dict(request.POST)
    merged = _query_dict(request.GET)
    merged.update(sent)
    return _clean(merged)


def api_key(params: Params) -> ApiToken:
    raw = params.get("api_key")
    if raw is None:
        raise Open311Error(403, "An api_key is required to submit requests.")
    token = use_api_token(raw)
    if token is None:
        raise Open311Error(403, "The api_key is not valid (unknown, expired or revoked).")
    return token


def jurisdiction() -> str:
    """This server's jurisdiction_id: the setting, or else the municipality's short name."""
    configured: str = conf.OPEN311_JURISDICTION
    if configured:
        return configured
    municipality = current_municipality()
    return municipality.slug if municipality is not None else ""


def check_jurisdiction(params: Params) -> None:
    sent = params.get("jurisdiction_id")
    if sent is not None and sent.strip() != jurisdiction():
        raise Open311Error(400, f"Unknown jurisdiction_id '{sent}'.")


def aware(params: Params, name: str) -> datetime | None:
    value = params.get(name)
    if value is None:
        return None
    try:
        return parse_aware_datetime(value)
    except ValueError as exc:
        raise Open311Error(
            400, f"{name} must be an ISO 8601 date and time with a time zone: {exc}."
        ) from exc


def date_range(params: Params) -> tuple[datetime, datetime]:
    """[start, end] from start_date/end_date: at most 90 days; the last 90 days by default."""
    start, end = aware(params, "start_date"), aware(params, "end_date")
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        assert end is not None
        start = end - MAX_SPAN
    if end is None:
        end = start + MAX_SPAN
    if end < start:
        raise Open311Error(400, "end_date is before start_date.")
    if end - start > MAX_SPAN:
        raise Open311Error(400, "start_date and end_date may not span more than 90 days.")
    return start, end


def ids(params: Params, name: str) -> list[int]:
    found = params.csv(name)
    if not all(_ID.fullmatch(v) for v in found):
        raise Open311Error(400, f"{name} must be a comma-separated list of numbers.")
    return [int(v) for v in found]


def number(params: Params, name: str, *, low: float, high: float) -> float | None:
    value = params.get(name)
    if value is None:
        return None
    try:
        parsed = float(value)
    except ValueError:
        parsed = math.nan
    if not math.isfinite(parsed) or not low <= parsed <= high:
        raise Open311Error(400, f"{name} must be a number from {low:g} to {high:g}.")
    return parsed


def whole(params: Params, name: str, *, default: int, high: int) -> int:
    value = params.get(name)
    if value is None:
        return default
    if not re.fullmatch(r"[0-9]{1,9}", value) or not 1 <= int(value) <= high:
        raise Open311Error(400, f"{name} must be a whole number from 1 to {high}.")
    return int(value)


def truthy(params: Params, name: str) -> bool:
    return (params.get(name) or "").lower() in {"true", "1", "yes"}
