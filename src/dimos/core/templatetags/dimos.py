"""Template helpers shared by every app."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.forms import BoundField
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

WIDGET_CLASSES = {
    "select": "govgr-select",
    "selectmultiple": "govgr-select",
    "textarea": "govgr-textarea",
    "checkbox": "govgr-checkboxes__input",
    "radioselect": "govgr-radios__input",
    "checkboxselectmultiple": "govgr-checkboxes__input",
    # Not digigov's govgr-file-input, which is display:none: see ADR 0012.
    "clearablefile": "dimos-file-input",
    "file": "dimos-file-input",
    "multiplefile": "dimos-file-input",
}


@register.filter
def govgr_widget(field: BoundField) -> SafeString:
    """Render a form field's widget with the design system's classes and ARIA links."""
    kind = field.widget_type
    css = WIDGET_CLASSES.get(kind, "govgr-input")
    attrs: dict[str, Any] = {}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_hint")
    if field.errors:
        described.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
        css += " govgr-error-input"
    if described and kind not in {"radioselect", "checkboxselectmultiple"}:
        attrs["aria-describedby"] = " ".join(described)
    field.field.widget.attrs["class"] = css
    return field.as_widget(attrs=attrs)


@register.filter
def is_choice_group(field: BoundField) -> bool:
    return field.widget_type in {"radioselect", "checkboxselectmultiple"}


@register.filter
def error_anchor(field: BoundField) -> str:
    """Where the error summary's link to ``field`` jumps: its input (the first choice of a
    group), or the element its widget names in ``data-error-anchor`` (a field drawn by hand,
    such as a hidden value chosen with buttons). "" when there is nothing to jump to."""
    anchor = field.field.widget.attrs.get("data-error-anchor")
    if anchor:
        return str(anchor)
    if field.is_hidden:
        return ""
    if is_choice_group(field):
        return f"{field.auto_id}_0"
    return str(field.auto_id or "")


@register.filter
def is_checkbox(field: BoundField) -> bool:
    return field.widget_type == "checkbox"


@register.filter
def role_name(group_name: str) -> str:
    """The translated name of a registered role, from its group's name."""
    from dimos.core.registry import registry

    role = registry.roles.get(group_name)
    return str(role.name) if role else group_name


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters changed (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@register.simple_tag
def crumbs(*args: Any) -> list[tuple[str, str]]:
    """Pairs (url, label) for the breadcrumbs include; an empty url marks the current page."""
    return [(args[i] or "", args[i + 1]) for i in range(0, len(args) - 1, 2)]


def _dial(number: str) -> str:
    """What a phone dials: the digits, and a leading + for an international number."""
    digits = re.sub(r"\D", "", number)
    return ("+" + digits) if number.strip().startswith("+") else digits


@register.filter
def tel(number: Any) -> SafeString:
    """A phone number as a call link: ``{{ "+30 23213 50100"|tel }}`` →
    ``<a class="govgr-link" href="tel:+302321350100">+30 23213 50100</a>``."""
    text = str(number or "").strip()
    if not _dial(text).lstrip("+"):
        return conditional_escape(text)
    return format_html('<a class="govgr-link" href="tel:{}">{}</a>', _dial(text), text)


# Greek short numbers that notices name: police, coast guard, emergencies, ambulance, fire,
# and the help lines (children, suicide prevention, psychosocial support, violence, citizens).
SHORT_LINES = "100|108|112|166|199|197|1018|1056|1107|1502|1517|10306|15900"
# A phone number in running text: one of those, or a ten-digit Greek number (2… landline,
# 69… mobile), maybe after +30, with spaces or dashes. A house number is not a phone number.
PHONE_IN_TEXT = re.compile(
    rf"(?<![\w+/.,-])((?:\+30[ ]?)?(?:2\d|69)\d(?:[ -]?\d){{7}}|(?:{SHORT_LINES}))(?![\w]|[/.,-]\d)"
)


@register.filter
def tel_links(text: Any) -> SafeString:
    """Escape the text and make every phone number in it a call link («καλέστε το 199»)."""
    escaped = str(conditional_escape(str(text or "")))
    return mark_safe(  # noqa: S308 - the text is escaped above; the links are built by tel()
        PHONE_IN_TEXT.sub(lambda match: str(tel(match.group(1))), escaped)
    )


@register.simple_tag
def rate_service_url(kind: str, object_id: Any) -> str:
    """``{% rate_service_url "reports.report" report.pk as url %}``: the link asking the person
    to rate a completed transaction, or "" (see :mod:`dimos.core.transactions`)."""
    from dimos.core.transactions import invitation_url

    return invitation_url(kind, object_id)


@register.simple_tag
def page_parts() -> list[Any]:
    """The parts apps put at the foot of every public page (``PagePart``)."""
    from dimos.core.registry import page_parts as parts

    return parts()
