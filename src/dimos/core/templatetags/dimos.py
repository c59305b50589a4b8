"""Template helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

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
