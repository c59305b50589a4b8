"""Forms of appointments: confirming a hold, booking for a caller, notes, blocking a day."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dimos.appointments.models import Centre, ServiceType


class ConfirmForm(forms.Form):
    reason = forms.CharField(
        label=_("What is it about?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    phone = forms.CharField(
        label=_("Mobile phone for an SMS reminder"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def __init__(
        self, *args: Any, confidential: bool = False, mode: str = "in_person", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if mode == "phone":
            # A session by phone: the counsellor calls this number.
            phone = self.fields["phone"]
            phone.required = True
            phone.label = _("Phone number on which we call you")
            phone.help_text = _("A mobile or a landline, all 10 digits.")
            phone.error_messages["required"] = _("Give the phone number on which we call you.")
        if confidential:
            self.fields["reason"].label = _("What would you like to talk about?")
            self.fields["reason"].help_text = _("Only your counsellor sees it.")


class CallerForm(forms.Form):
    """Staff booking for a phone caller."""

    name = forms.CharField(label=_("Caller's name"), max_length=200)
    phone = forms.CharField(label=_("Caller's phone"), max_length=30)
    email = forms.EmailField(label=_("Caller's email"), required=False)
    reason = forms.CharField(
        label=_("What is it about?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    slot = forms.CharField(
        label=_("Time"), widget=forms.HiddenInput({"data-error-anchor": "choose-time"})
    )

    def __init__(self, *args: Any, free: Iterable[int] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.free = {str(slot_id) for slot_id in free}

    def clean_slot(self) -> str:
        # Only a time offered on the page may be booked: not another service's, not a
        # confidential session's, not another centre's (an edited form says so, plainly).
        value: str = self.cleaned_data["slot"]
        if value not in self.free:
            raise forms.ValidationError(
                _("This time is not one of the free times shown. Choose one of them."),
                code="invalid_slot",
            )
        return value

    def clean_phone(self) -> str:
        phone: str = self.cleaned_data["phone"].strip()
        if sum(ch.isdigit() for ch in phone) < 10:
            raise forms.ValidationError(_("Enter a phone number of at least 10 digits."))
        return phone


class DayFilterForm(forms.Form):
    centre = forms.ModelChoiceField(
        label=_("Centre"), queryset=Centre.objects.filter(is_active=True), empty_label=None
    )
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))


class CallerServiceForm(forms.Form):
    """Service, centre and day to book for a caller: only those the staff member serves."""

    service = forms.ModelChoiceField(
        label=_("Service"), queryset=ServiceType.objects.none(), empty_label=None
    )
    centre = forms.ModelChoiceField(
        label=_("Centre"), queryset=Centre.objects.none(), empty_label=None
    )
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from dimos.appointments.selectors import bookable_for_callers

        super().__init__(*args, **kwargs)
        self.user = user
        services, centres = bookable_for_callers(user)
        self.fields["service"].queryset = services  # type: ignore[attr-defined]
        self.fields["centre"].queryset = centres  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        from dimos.appointments.selectors import may_manage

        data = super().clean() or {}
        service, centre = data.get("service"), data.get("centre")
        if (
            service is not None
            and centre is not None
            and not may_manage(self.user, service, centre)
        ):
            self.add_error("centre", _("You do not book this service at this centre."))
        return data


class BlockDayForm(forms.Form):
    reason = forms.CharField(label=_("Reason (shown to residents)"), max_length=200)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Session note (seen by you and the supervisors only)"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
