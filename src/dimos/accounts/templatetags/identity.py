"""Template tags about a person's identity: the national-eID buttons and the ways to get a
verified identity, for the login pages and for any service that needs one."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

from dimos.accounts.selectors import national_eid_providers
from dimos.core.registry import registry

register = template.Library()

# The catalogue entry of booking an appointment at a citizen service centre (KEP), if an app
# registers it: the page links to it without depending on that app.
BOOKING_ENTRY = "book-appointment"


@register.simple_tag(takes_context=True)
def eid_providers(context: dict[str, Any]) -> list[Any]:
    """The configured national-eID gateways (empty when none is configured)."""
    return national_eid_providers(context.get("request"))


def _booking_url() -> str:
    entry = registry.catalogue.get(BOOKING_ENTRY)
    if entry is None:
        return ""
    try:
        return reverse(entry.url_name)
    except NoReverseMatch:
        return ""


@register.inclusion_tag("accounts/includes/ways_to_get_verified.html", takes_context=True)
def ways_to_get_verified(context: dict[str, Any], next_url: str = "") -> dict[str, Any]:
    """Every way a resident gets a verified identity: the national eID (when configured), at a
    citizen service centre with their identity card, or by phone with a call-back."""
    request = context.get("request")
    user = getattr(request, "user", None)
    logged_in = bool(user is not None and user.is_authenticated)
    return {
        "request": request,
        "providers": national_eid_providers(request),
        # A logged-in person links the eID to the account they have; others log in with it.
        "process": "connect" if logged_in else "login",
        "next_url": next_url,
        "booking_url": _booking_url(),
        "municipality": context.get("municipality"),
    }
