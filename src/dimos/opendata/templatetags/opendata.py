"""Template helpers of the catalogue's pages: facet links that add or remove one value."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_adding(context: dict[str, Any], name: str, value: str) -> str:
    query = context["request"].GET.copy()
    values = query.getlist(name)
    if value not in values:
        query.setlist(name, [*values, value])
    query.pop("page", None)
    return query.urlencode()


@register.simple_tag(takes_context=True)
def query_without(context: dict[str, Any], name: str, value: str) -> str:
    query = context["request"].GET.copy()
    query.setlist(name, [v for v in query.getlist(name) if v != value])
    query.pop("page", None)
    return query.urlencode()


@register.simple_tag(takes_context=True)
def query_sorting(context: dict[str, Any], key: str) -> str:
    query = context["request"].GET.copy()
    query["sort"] = key
    query.pop("page", None)
    return query.urlencode()


@register.filter
def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else str(value)
    return str(value)
