from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dimos.accounts.models import User
from dimos.accounts.selectors import active_staff


def delivery_staff() -> Any:
    """Active staff who may carry out deliveries."""
    return active_staff(permission="change_delivery", app_label="deliveries")


class DayForm(forms.Form):
    date = forms.DateField(label=_("Day"), required=False, widget=forms.DateInput({"type": "date"}))
    mine = forms.BooleanField(label=_("Only mine"), required=False)


class DeliveredForm(forms.Form):
    received_by = forms.CharField(label=_("Received by (full name)"), max_length=200)
    # Set by the confirmation page: a delivery planned for a later day is really done today.
    confirm_early = forms.BooleanField(required=False, widget=forms.HiddenInput)


class FailedForm(forms.Form):
    reason = forms.CharField(label=_("Why it failed"), max_length=300)


class PlanForm(forms.Form):
    date = forms.DateField(label=_("Day"), widget=forms.DateInput({"type": "date"}))
    window_start = forms.TimeField(label=_("From"), widget=forms.TimeInput({"type": "time"}))
    window_end = forms.TimeField(label=_("Until"), widget=forms.TimeInput({"type": "time"}))
    assigned_to = forms.ModelChoiceField(
        label=_("Delivered by"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = delivery_staff()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("window_start"), data.get("window_end")
        if start and end and end <= start:
            self.add_error("window_end", _("The time window must end after it starts."))
        return data
