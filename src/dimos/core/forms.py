"""Forms of the core's staff pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AuditFilterForm(forms.Form):
    all_optional = True  # filters: no "(optional)" on every field

    actor = forms.CharField(label=_("Person (name or email)"), required=False, max_length=254)
    action = forms.CharField(label=_("Action"), required=False, max_length=100)
    target_type = forms.CharField(label=_("Object type"), required=False, max_length=100)
    target_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date is before the start date."))
        return data
