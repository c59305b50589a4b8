"""Checking the answers to a category's extra questions (Open311 attributes).

Shared by the Open311 API and the web form: both hand in what the client sent, each code with
its list of raw strings, and get back the answers to store on the report.
"""

from __future__ import annotations

import math
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.html import strip_tags

from dimos.reports.models import Category, CategoryAttribute

STRING_MAX = 300
TEXT_MAX = 4000


class InvalidAttributes(ValueError):
    """Some answers are not valid; ``errors`` maps each attribute code to what is wrong."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{code}: {message}" for code, message in errors.items()))


def parse_aware_datetime(value: str) -> datetime:
    """An ISO 8601 date and time that carries its time zone; ValueError otherwise."""
    parsed = datetime.fromisoformat(value.strip())
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValueError("a time zone is required (e.g. 2026-03-01T10:00:00+02:00)")
    return parsed


def _number(value: str) -> int | float:
    try:
        number = Decimal(value.strip())
    except InvalidOperation as exc:
        raise ValueError("must be a number") from exc
    if not number.is_finite():
        raise ValueError("must be a finite number")
    as_float = float(number)
    if not math.isfinite(as_float):
        raise ValueError("is out of range")
    return int(number) if number == number.to_integral_value() else as_float


def _one(attribute: CategoryAttribute, values: list[str]) -> Any:
    if len(values) > 1:
        raise ValueError("takes one value")
    value = values[0]
    kind = attribute.datatype
    if kind == CategoryAttribute.Datatype.NUMBER:
        return _number(value)
    if kind == CategoryAttribute.Datatype.DATETIME:
        try:
            return parse_aware_datetime(value).isoformat()
        except ValueError as exc:
            raise ValueError(f"must be an ISO 8601 date and time with a time zone ({exc})") from exc
    if kind == CategoryAttribute.Datatype.SINGLE:
        keys = {key for key, _name in attribute.choices()}
        if value not in keys:
            raise ValueError(f"must be one of: {', '.join(sorted(keys))}")
        return value
    limit = TEXT_MAX if kind == CategoryAttribute.Datatype.TEXT else STRING_MAX
    text = strip_tags(value).strip()
    if len(text) > limit:
        raise ValueError(f"must be at most {limit} characters")
    return text


def _many(attribute: CategoryAttribute, values: list[str]) -> list[str]:
    keys = {key for key, _name in attribute.choices()}
    unknown = sorted({v for v in values if v not in keys})
    if unknown:
        raise ValueError(
            f"unknown choice {', '.join(unknown)}; choose from: {', '.join(sorted(keys))}"
        )
    return list(dict.fromkeys(values))  # without repeats, in the order given


def validate_attributes(category: Category, raw: dict[str, list[str]]) -> dict[str, Any]:
    """Check ``raw`` (code → the strings sent) against the category's questions.

    Returns code → answer (numbers as numbers, date-times as ISO strings with their offset,
    multi-choice answers as lists). Codes the category does not ask are ignored, as are
    information-only attributes. Raises :class:`InvalidAttributes` listing every problem.
    """
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for attribute in category.attributes.all():
        if not attribute.variable:
            continue
        values = [v for v in raw.get(attribute.code, []) if v is not None and str(v).strip()]
        values = [str(v).strip() for v in values]
        if not values:
            if attribute.required:
                errors[attribute.code] = "is required"
            continue
        try:
            if attribute.datatype == CategoryAttribute.Datatype.MULTI:
                answers[attribute.code] = _many(attribute, values)
            else:
                answers[attribute.code] = _one(attribute, values)
        except ValueError as exc:
            errors[attribute.code] = str(exc)
    if errors:
        raise InvalidAttributes(errors)
    return answers
