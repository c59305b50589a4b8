from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dimos.accounts.models import User
from dimos.accounts.selectors import active_staff
from dimos.deliveries.models import Delivery


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


def _district_choices() -> list[tuple[str, str]]:
    from dimos.core.selectors import districts
    from dimos.deliveries.selectors import NO_DISTRICT

    choices: list[tuple[str, str]] = [("", str(_("Choose an area")))]
    choices += [(str(d.pk), str(d.name)) for d in districts()]
    choices.append((NO_DISTRICT, str(_("Deliveries without a district"))))
    return choices


class RunAreaForm(forms.Form):
    """The day and the area of a new run (read from the address bar: it only proposes)."""

    date = forms.DateField(label=_("Day"), widget=forms.DateInput({"type": "date"}))
    district = forms.ChoiceField(
        label=_("Area (district)"),
        choices=(),
        error_messages={
            "required": _("Choose an area from the list."),
            "invalid_choice": _("Choose an area from the list."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = _district_choices()  # type: ignore[attr-defined]

    def area(self) -> Any:
        """The District, or ``NO_DISTRICT``."""
        from dimos.core.models import District
        from dimos.deliveries.selectors import NO_DISTRICT

        value = self.cleaned_data["district"]
        if value == NO_DISTRICT:
            return NO_DISTRICT
        return District.objects.filter(pk=int(value)).first() if value.isdigit() else None


class NewRunForm(forms.Form):
    """Which of the proposed deliveries go on the run, and who carries it."""

    deliveries = forms.ModelMultipleChoiceField(
        label=_("Deliveries on the run"),
        queryset=Delivery.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one delivery for the run.")},
    )
    courier = forms.ModelChoiceField(
        label=_("Courier"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, proposed: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["deliveries"]
        field.queryset = proposed
        field.help_text = _("Untick a delivery to leave it off the run.")
        field.label_from_instance = lambda d: _proposal_label(d, user)
        self.fields["courier"].queryset = delivery_staff()  # type: ignore[attr-defined]


def _proposal_label(delivery: Delivery, user: Any) -> str:
    from dimos.deliveries import sources

    parts = [f"{delivery.window_start:%H:%M}–{delivery.window_end:%H:%M}", delivery.title]
    if sources.may_see(delivery, user):
        parts.append(f"{delivery.recipient_name}, {delivery.address}")
    if not delivery.has_point:
        parts.append(str(_("no map point")))
    return " · ".join(parts)


class CourierForm(forms.Form):
    courier = forms.ModelChoiceField(
        label=_("Courier"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["courier"].queryset = delivery_staff()  # type: ignore[attr-defined]


class StopForm(forms.Form):
    """One delivery of the run's day (to add), or on the run (to move or remove)."""

    delivery = forms.ModelChoiceField(
        label=_("Delivery"),
        queryset=Delivery.objects.none(),
        error_messages={
            "required": _("Choose a delivery."),
            "invalid_choice": _("That delivery cannot be chosen here: reload the page."),
        },
    )

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delivery"].queryset = choices  # type: ignore[attr-defined]
        self.fields["delivery"].label_from_instance = _stop_label  # type: ignore[attr-defined]


def _stop_label(delivery: Delivery) -> str:
    window = f"{delivery.window_start:%H:%M}–{delivery.window_end:%H:%M}"
    area = delivery.district.name if delivery.district else _("no district")
    return f"{window} · {delivery.title} · {area}"
