"""Reading the data dict of an action: CKAN's coercions, with its messages."""

from __future__ import annotations

import json
from typing import Any

from dimos.opendata.ckan.errors import Invalid


def one(data: dict[str, Any], key: str, default: Any = None) -> Any:
    value = data.get(key, default)
    if isinstance(value, list) and key not in (
        "fq_list",
        "tags",
        "resources",
        "groups",
        "extras",
        "fields",
    ):
        return value[-1] if value else default
    return value


def text(data: dict[str, Any], key: str, default: str = "") -> str:
    value = one(data, key, default)
    if value is None:
        return default
    if isinstance(value, (dict, list)):
        raise Invalid({key: ["Must be a string"]})
    return str(value)


def integer(
    data: dict[str, Any], key: str, default: int, *, low: int = 0, high: int | None = None
) -> int:
    value = one(data, key, None)
    if value is None or value == "":
        return default
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise Invalid({key: ["Invalid integer"]}) from None
    if number < low:
        raise Invalid(
            {key: ["Must be a natural number" if low == 0 else f"Must be at least {low}"]}
        )
    if high is not None and number > high:
        raise Invalid({key: [f"Must be less than or equal to {high}"]})
    return number


def boolean(data: dict[str, Any], key: str, default: bool = False) -> bool:
    value = one(data, key, None)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in ("true", "1", "yes", "on", "t", "y"):
        return True
    if lowered in ("false", "0", "no", "off", "f", "n"):
        return False
    raise Invalid({key: ["Value must be one of: true, false"]})


def json_list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if value is None or value == "":
        return []
    if isinstance(value, list):
        if len(value) == 1 and isinstance(value[0], str) and value[0].startswith("["):
            value = value[0]
        else:
            return value
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return [value]
        return parsed if isinstance(parsed, list) else [parsed]
    raise Invalid({key: ["Must be a list"]})


def json_dict(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = one(data, key, None)
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise Invalid({key: ["Cannot parse JSON"]}) from None
    if not isinstance(value, dict):
        raise Invalid({key: ["Must be a dict"]})
    return value
