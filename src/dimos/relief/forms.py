"""Forms: asking for help (online and at the helpline), the coordinators' and couriers' actions."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.accounts.models import User
from dimos.core.selectors import districts
from dimos.relief import consent as consent_texts
from dimos.relief import services
from dimos.relief.models import (
    LANGUAGES,
    Eligibility,
    FoodClaim,
    Method,
    NeedKind,
    Relation,
    Vulnerability,
    Weekday,
)

# The time windows a request may ask for.
WINDOWS: dict[str, tuple[dt.time, dt.time]] = {
    "morning": (dt.time(9), dt.time(13)),
    "afternoon": (dt.time(13), dt.time(17)),
    "evening": (dt.time(17), dt.time(20)),
}
WINDOW_CHOICES = [
    ("morning", _("Morning, 09:00–13:00")),
    ("afternoon", _("Afternoon, 13:00–17:00")),
    ("evening", _("Evening, 17:00–20:00")),
]


def window_of(start: dt.time) -> str:
    return next((k for k, (s, _e) in WINDOWS.items() if s == start), "morning")


def parse_barcodes(text: str) -> list[str]:
    """Barcodes one a line (or separated by commas or spaces); numbers only."""
    items = [item for item in re.split(r"[\s,;]+", text.strip()) if item]
    if any(not item.isdigit() for item in items):
        raise forms.ValidationError(
            _("Write only the numbers under the barcodes, never a photo or other text.")
        )
    return items


class HelpFields(forms.Form):
    """Who the help is for, what is needed, and when: the same on both forms."""

    full_name = forms.CharField(
        label=_("Full name of the person to help"),
        max_length=200,
        widget=forms.TextInput({"autocomplete": "off"}),
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=300,
        help_text=_("Street, number and area, as a courier would look for it."),
    )
    lat = forms.FloatField(
        label=_("Latitude"),
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput({"step": "any"}),
        help_text=_(
            "Filled in when you tap the map or choose the address from the search above; "
            "the point must be within the municipality."
        ),
    )
    lon = forms.FloatField(
        label=_("Longitude"),
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput({"step": "any"}),
    )
    phone = forms.CharField(
        label=_("Phone of the person to help"),
        max_length=30,
        required=False,
        help_text=_("The code for the delivery is sent to this mobile phone by SMS."),
        widget=forms.TextInput({"autocomplete": "off", "inputmode": "tel"}),
    )
    household_size = forms.IntegerField(
        label=_("People in the household"), min_value=1, max_value=20, initial=1
    )
    vulnerabilities = forms.MultipleChoiceField(
        label=_("Why the person must stay home"),
        choices=Vulnerability.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(
        label=_("Language the person prefers"),
        choices=LANGUAGES,
        initial="el",
        widget=forms.RadioSelect,
    )
    access_notes = forms.CharField(
        label=_("How to reach the door"),
        max_length=300,
        required=False,
        help_text=_("For example: ring twice, third floor."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("What is needed"), choices=NeedKind.choices, widget=forms.CheckboxSelectMultiple
    )
    food_claim = forms.ChoiceField(
        label=_("Does the person qualify for the social grocery?"),
        choices=FoodClaim.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "For a food parcel only: the social grocery is for people who qualify. A "
            "coordinator checks it before the parcel is brought."
        ),
    )
    shopping_list = forms.CharField(
        label=_("Shopping list"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("Paid on delivery, in cash, up to the amount below."),
    )
    ceiling = forms.DecimalField(
        label=_("Spend at most (euro)"),
        required=False,
        min_value=Decimal("1"),
        max_value=Decimal("500"),
        decimal_places=2,
    )
    pharmacy = forms.CharField(label=_("Pharmacy"), max_length=200, required=False)
    barcodes = forms.CharField(
        label=_("Prescription barcodes"),
        required=False,
        max_length=1000,
        widget=forms.Textarea({"rows": 3, "inputmode": "numeric"}),
        help_text=_("The numbers under the barcodes of the e-prescription, one a line."),
    )
    errand = forms.CharField(
        label=_("The errand"), required=False, max_length=2000, widget=forms.Textarea({"rows": 3})
    )
    day = forms.DateField(
        label=_("Day"), widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d")
    )
    window = forms.ChoiceField(
        label=_("Time"), choices=WINDOW_CHOICES, widget=forms.RadioSelect, initial="morning"
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("submission_key", uuid.uuid4().hex)
        kwargs["initial"].setdefault("day", timezone.localdate() + dt.timedelta(days=1))
        super().__init__(*args, **kwargs)
        self.fields["food_claim"].conditional = True  # type: ignore[attr-defined]

    def clean_barcodes(self) -> list[str]:
        return parse_barcodes(self.cleaned_data.get("barcodes") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kinds = data.get("kinds") or []
        if NeedKind.FOOD in kinds and not data.get("food_claim"):
            self.add_error(
                "food_claim", _("Say whether the person qualifies for the social grocery.")
            )
        if NeedKind.SHOPPING in kinds:
            if not (data.get("shopping_list") or "").strip():
                self.add_error("shopping_list", _("Write the shopping list."))
            if data.get("ceiling") is None:
                self.add_error("ceiling", _("Give the most that may be spent on the shopping."))
        if NeedKind.MEDICINE in kinds:
            if not (data.get("pharmacy") or "").strip():
                self.add_error("pharmacy", _("Choose the pharmacy the medicine is collected from."))
            if "barcodes" in data and not data["barcodes"]:
                self.add_error("barcodes", _("Give the numbers under the prescriptions' barcodes."))
        if NeedKind.ERRAND in kinds and not (data.get("errand") or "").strip():
            self.add_error("errand", _("Describe the errand."))
        return data

    def person(self) -> services.Person:
        d = self.cleaned_data
        return services.Person(
            full_name=d["full_name"],
            address=d["address"],
            lat=d["lat"],
            lon=d["lon"],
            phone=d.get("phone") or "",
            household_size=d["household_size"],
            vulnerabilities=list(d["vulnerabilities"]),
            language=d["language"],
            access_notes=d.get("access_notes") or "",
        )

    def needs(self) -> list[services.NeedData]:
        d = self.cleaned_data
        needs = []
        for kind in d["kinds"]:
            if kind == NeedKind.FOOD:
                needs.append(services.NeedData(kind=kind))
            elif kind == NeedKind.SHOPPING:
                needs.append(
                    services.NeedData(
                        kind=kind, description=d["shopping_list"], ceiling=d["ceiling"]
                    )
                )
            elif kind == NeedKind.MEDICINE:
                needs.append(
                    services.NeedData(kind=kind, pharmacy=d["pharmacy"], barcodes=d["barcodes"])
                )
            else:
                needs.append(services.NeedData(kind=kind, description=d["errand"]))
        return needs

    def claim(self) -> str:
        return str(self.cleaned_data.get("food_claim") or "")

    def when(self) -> dict[str, Any]:
        start, end = WINDOWS[self.cleaned_data["window"]]
        return {"day": self.cleaned_data["day"], "window_start": start, "window_end": end}


class HelpForm(HelpFields):
    """A resident asks online, for themself or for someone else."""

    relation = forms.ChoiceField(
        label=_("Who is the help for?"), choices=Relation.choices, widget=forms.RadioSelect
    )
    consent = forms.BooleanField(label=_("I agree, on behalf of the person helped"))
    consent_version = forms.IntegerField(widget=forms.HiddenInput, initial=consent_texts.CURRENT)

    field_order = ["relation"]


class IntakeForm(HelpFields):
    """The helpline types in a call; a beneficiary found by the search is reused."""

    beneficiary = forms.IntegerField(widget=forms.HiddenInput, required=False)
    caller_name = forms.CharField(
        label=_("Caller, if not the person helped"), max_length=200, required=False
    )
    caller_phone = forms.CharField(label=_("Caller's phone"), max_length=30, required=False)
    relation = forms.ChoiceField(
        label=_("The caller asks"), choices=Relation.choices, widget=forms.RadioSelect
    )
    consent = forms.BooleanField(
        label=_("The consent text was read to the person helped (or the caller), who agreed"),
        required=False,
    )
    consent_version = forms.IntegerField(widget=forms.HiddenInput, initial=consent_texts.CURRENT)

    field_order = ["caller_name", "caller_phone", "relation"]

    def __init__(self, *args: Any, reuse: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reuse = reuse
        if reuse is not None:
            # The record is there: only the needs and the day are asked.
            for name in (
                "full_name",
                "address",
                "lat",
                "lon",
                "phone",
                "household_size",
                "vulnerabilities",
                "language",
                "access_notes",
                "consent",
            ):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.reuse is None and not data.get("consent"):
            self.add_error("consent", _("Read the consent text and record the agreement."))
        return data


class BeneficiaryForm(forms.Form):
    """A coordinator corrects a beneficiary's record; the consent may be given again."""

    full_name = HelpFields.base_fields["full_name"]
    address = HelpFields.base_fields["address"]
    lat = HelpFields.base_fields["lat"]
    lon = HelpFields.base_fields["lon"]
    district: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("District"),
        queryset=districts().none(),
        required=False,
        help_text=_("Leave it to the point on the map, or choose another."),
    )
    phone = HelpFields.base_fields["phone"]
    household_size = HelpFields.base_fields["household_size"]
    vulnerabilities = HelpFields.base_fields["vulnerabilities"]
    language = HelpFields.base_fields["language"]
    access_notes = HelpFields.base_fields["access_notes"]
    consent_again = forms.ChoiceField(
        label=_("Consent given again"),
        required=False,
        choices=[("", _("No")), *Method.choices],
        widget=forms.RadioSelect,
        help_text=_("Only if the person (or the caller) agreed again to the consent text above."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts()  # type: ignore[attr-defined]
        self.initial_district = self.initial.get("district")

    def person(self) -> services.Person:
        d = self.cleaned_data
        return services.Person(
            full_name=d["full_name"],
            address=d["address"],
            lat=d["lat"],
            lon=d["lon"],
            phone=d.get("phone") or "",
            household_size=d["household_size"],
            vulnerabilities=list(d["vulnerabilities"]),
            language=d["language"],
            access_notes=d.get("access_notes") or "",
        )

    def chosen_district(self) -> Any:
        """The district chosen, unless it is the one the record had and the point moved
        (then the point's)."""
        chosen = self.cleaned_data.get("district")
        point_moved = "lat" in self.changed_data or "lon" in self.changed_data
        if chosen is None or (point_moved and "district" not in self.changed_data):
            return None
        return chosen


class MergeForm(forms.Form):
    keep = forms.ChoiceField(label=_("The record to keep"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, records: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [  # type: ignore[attr-defined]
            (str(b.pk), f"{b.full_name} · {b.address}") for b in records
        ]


class SearchForm(forms.Form):
    all_optional = True

    q = forms.CharField(
        label=_("Find a person helped before"),
        max_length=100,
        required=False,
        help_text=_("Name, phone or address."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea({"rows": 2}))


class EligibilityForm(forms.Form):
    """A coordinator's decision on the social grocery (alone, or with the acceptance)."""

    eligibility = forms.ChoiceField(
        label=_("Social grocery"),
        choices=Eligibility.choices,
        widget=forms.RadioSelect,
        help_text=_("Check it with the social grocery's list or the social service."),
    )
    eligibility_reason = forms.CharField(
        label=_("Why the person does not qualify"),
        max_length=300,
        required=False,
        help_text=_("Only when the person does not qualify: the person is told."),
    )

    def __init__(self, *args: Any, required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["eligibility"].required = required
        self.fields["eligibility_reason"].conditional = True  # type: ignore[attr-defined]
        if not required:
            self.fields["eligibility"].conditional = True  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("eligibility") == Eligibility.NOT_ELIGIBLE
            and not (data.get("eligibility_reason") or "").strip()
        ):
            self.add_error(
                "eligibility_reason", _("Say why the person does not qualify: they are told.")
            )
        return data


class ScheduleForm(forms.Form):
    day = forms.DateField(
        label=_("Day"), widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d")
    )
    window = forms.ChoiceField(label=_("Time"), choices=WINDOW_CHOICES)
    courier: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Courier"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, couriers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["courier"].queryset = couriers  # type: ignore[attr-defined]

    def schedule_kwargs(self) -> dict[str, Any]:
        start, end = WINDOWS[self.cleaned_data["window"]]
        return {
            "day": self.cleaned_data["day"],
            "window_start": start,
            "window_end": end,
            "courier": self.cleaned_data["courier"],
        }


class RecurringForm(forms.Form):
    """A coordinator makes a request recurring: the weekdays, the time, and when it ends."""

    END_CHOICES = [("count", _("After a number of times")), ("until", _("On a last day"))]

    weekdays = forms.TypedMultipleChoiceField(
        label=_("Every"),
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose one or more days of the week.")},
    )
    window = forms.ChoiceField(label=_("Time"), choices=WINDOW_CHOICES)
    end = forms.ChoiceField(
        label=_("It ends"), choices=END_CHOICES, widget=forms.RadioSelect, initial="count"
    )
    count = forms.IntegerField(
        label=_("Number of times"),
        required=False,
        min_value=1,
        max_value=200,
        help_text=_("Counted from tomorrow."),
    )
    until = forms.DateField(
        label=_("Last day"),
        required=False,
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
    )

    plan: Any = None

    def clean(self) -> dict[str, Any]:
        from dimos.relief import recurring

        data = super().clean() or {}
        if self.errors:
            return data
        end = data.get("end")
        count = data.get("count") if end == "count" else None
        until = data.get("until") if end == "until" else None
        if end == "count" and count is None:
            self.add_error("count", _("Give the number of times."))
            return data
        if end == "until" and until is None:
            self.add_error("until", _("Give the last day."))
            return data
        try:
            self.plan = recurring.plan(weekdays=data["weekdays"], until=until, count=count)
        except services.ReliefError as exc:
            field = {"weekdays": "weekdays", "count": "count", "until": "until"}.get(str(exc.code))
            self.add_error(field, str(exc.message))
        return data

    def window_times(self) -> tuple[dt.time, dt.time]:
        return WINDOWS[self.cleaned_data["window"]]


class MoneyFields(forms.Form):
    amount = forms.DecimalField(
        label=_("Money received (euro)"),
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("1000"),
        decimal_places=2,
    )
    receipt = forms.FileField(
        label=_("Photo of the receipt"),
        required=False,
        widget=forms.ClearableFileInput({"accept": "image/jpeg,image/png"}),
    )

    def clean_receipt(self) -> Any:
        file = self.cleaned_data.get("receipt")
        if not file:
            return None
        try:
            return services.check_receipt(file)
        except services.ReliefError as exc:
            raise forms.ValidationError(str(exc.message)) from exc

    def money(self) -> services.Money | None:
        amount = self.cleaned_data.get("amount")
        receipt = self.cleaned_data.get("receipt")
        if amount is None and receipt is None:
            return None
        content, extension = receipt or (b"", ".jpg")
        return services.Money(amount=amount or Decimal(0), receipt=content, extension=extension)


class CodeForm(MoneyFields):
    code = forms.CharField(
        label=_("The code the person tells you"),
        max_length=10,
        widget=forms.TextInput({"inputmode": "numeric", "autocomplete": "off"}),
    )
    field_order = ["code"]


class NameForm(MoneyFields):
    received_by = forms.CharField(label=_("Received by (full name)"), max_length=200)
    note = forms.CharField(label=_("Why there is no code"), max_length=300)
    field_order = ["received_by", "note"]


class FailForm(forms.Form):
    reason = forms.CharField(label=_("Why it could not be delivered"), max_length=300)


class BoardForm(forms.Form):
    all_optional = True

    district: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("District"), queryset=districts().none(), required=False
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from dimos.relief.models import Status

        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts()  # type: ignore[attr-defined]
        self.fields["status"].choices = [("", _("All")), *Status.choices]  # type: ignore[attr-defined]


class PeriodForm(forms.Form):
    """The figures' period: the last 7 or 30 days."""

    all_optional = True

    days = forms.TypedChoiceField(
        label=_("Period"),
        choices=[(7, _("The last 7 days")), (30, _("The last 30 days"))],
        coerce=int,
        required=False,
        initial=7,
    )


# --- Volunteers' tasks --------------------------------------------------------------------------


class HandBackForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you hand it back"),
        help_text=_("The coordinator reads it. Do not write the person's details."),
        max_length=500,
        widget=forms.Textarea({"rows": 2}),
    )


class TaskHoursForm(forms.Form):
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=Decimal("0.25"),
        max_value=Decimal("24"),
        decimal_places=2,
        widget=forms.NumberInput({"step": "0.25", "inputmode": "decimal"}),
    )
    description = forms.CharField(
        label=_("What you did"),
        required=False,
        max_length=300,
        help_text=_("Without the person's name or address."),
    )


class AssignForm(forms.Form):
    """A coordinator gives the task to one of the volunteers it suits."""

    volunteer = forms.ChoiceField(label=_("Volunteer"))

    def __init__(self, *args: Any, volunteers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.volunteers = {str(v.pk): v for v in volunteers}
        self.fields["volunteer"].choices = [  # type: ignore[attr-defined]
            (str(v.pk), v.full_name) for v in volunteers
        ]

    def chosen(self) -> Any:
        return self.volunteers[self.cleaned_data["volunteer"]]
