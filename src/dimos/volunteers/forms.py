"""Forms: the sign-up and profile, hours, the code of conduct, coordinators' actions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core.selectors import districts
from dimos.volunteers import services
from dimos.volunteers.models import (
    DAYS,
    LANGUAGES,
    PERIODS,
    IdentityMethod,
    Skill,
    Status,
    Volunteer,
    slot_bit,
)


class _Named(forms.ModelMultipleChoiceField):
    """Choices labelled by their name in the active language (skills, districts)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class _NamedOne(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _day_field(label: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=[(str(p), name) for p, name in PERIODS],
        widget=forms.CheckboxSelectMultiple,
    )


class ProfileForm(forms.Form):
    """What a volunteer tells about themselves; the weekly hours are one group per day."""

    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=30,
        help_text=_("Only coordinators see it: never other volunteers or the people you help."),
        widget=forms.TextInput({"autocomplete": "tel", "inputmode": "tel"}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"), choices=LANGUAGES, widget=forms.CheckboxSelectMultiple
    )
    skills = _Named(
        label=_("How you can help"),
        queryset=Skill.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    has_car = forms.BooleanField(label=_("I have a car I can use"), required=False)
    districts = _Named(
        label=_("Districts where you can help"),
        queryset=districts(),
        widget=forms.CheckboxSelectMultiple,
    )
    about = forms.CharField(
        label=_("Anything else coordinators should know"),
        required=False,
        max_length=1000,
        widget=forms.Textarea({"rows": 3}),
    )

    def __init__(self, *args: Any, volunteer: Volunteer | None = None, **kwargs: Any) -> None:
        if volunteer is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "phone": volunteer.phone,
                "languages": volunteer.languages,
                "skills": list(volunteer.skills.all()),
                "has_car": volunteer.has_car,
                "districts": list(volunteer.districts.all()),
                "about": volunteer.about,
                **{
                    f"day_{d}": [
                        str(p) for p, _n in PERIODS if volunteer.availability & slot_bit(d, p)
                    ]
                    for d, _name in DAYS
                },
            }
        super().__init__(*args, **kwargs)
        self.fields["districts"].queryset = districts()  # type: ignore[attr-defined]
        # After the districts: when you are free, one group of boxes per day.
        for day, name in DAYS:
            self.fields[f"day_{day}"] = _day_field(name)
        self.fields["about"] = self.fields.pop("about")

    def day_fields(self) -> list[Any]:
        return [self[f"day_{day}"] for day, _name in DAYS]

    def availability(self) -> int:
        mask = 0
        for day, _name in DAYS:
            for period in self.cleaned_data.get(f"day_{day}") or []:
                mask |= slot_bit(day, int(period))
        return mask

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.availability() == 0:
            self.add_error("day_0", _("Choose at least one time in the week when you are free."))
        return data

    def profile(self) -> services.Profile:
        data = self.cleaned_data
        return services.Profile(
            phone=data["phone"],
            languages=list(data["languages"]),
            skills=list(data["skills"]),
            has_car=bool(data["has_car"]),
            districts=list(data["districts"]),
            availability=self.availability(),
            about=data.get("about") or "",
        )


class ApplyForm(ProfileForm):
    """The sign-up: the profile and the acceptance of the code of conduct shown."""

    conduct_version = forms.IntegerField(widget=forms.HiddenInput)
    accept_conduct = forms.BooleanField(
        label=_("I have read the code of conduct above and I accept it"),
        error_messages={"required": _("Accept the code of conduct to volunteer.")},
    )


class ConductForm(forms.Form):
    conduct_version = forms.IntegerField(widget=forms.HiddenInput)
    accept_conduct = forms.BooleanField(
        label=_("I have read this version of the code of conduct and I accept it"),
        error_messages={"required": _("Accept the code of conduct to go on volunteering.")},
    )


class HoursForm(forms.Form):
    date = forms.DateField(label=_("Day"), widget=forms.DateInput({"type": "date"}))
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=Decimal("0.25"),
        max_value=Decimal("24"),
        max_digits=4,
        decimal_places=2,
        widget=forms.NumberInput({"step": "0.25", "inputmode": "decimal"}),
    )
    description = forms.CharField(label=_("What you did"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea({"rows": 2}))


class IdentityForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How you checked their identity"),
        choices=IdentityMethod.choices,
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("Notes (the document's kind and its number's last four digits, not more)"),
        required=False,
        max_length=300,
    )


class DocumentForm(forms.Form):
    label = forms.CharField(label=_("What the document is"), max_length=200)
    document = forms.FileField(
        label=_("The document (PDF, JPEG or PNG)"),
        widget=forms.ClearableFileInput({"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def clean_document(self) -> services.CheckedDocument:
        try:
            return services.check_document(self.cleaned_data["document"])
        except services.VolunteerError as exc:
            raise forms.ValidationError(str(exc.message)) from exc


class FilterForm(forms.Form):
    """The coordinators' list (GET): applications by default."""

    all_optional = True

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Applications")), ("all", _("All")), *Status.choices],
    )
    district = _NamedOne(label=_("District"), queryset=districts(), required=False)
    skill = _NamedOne(label=_("Skill"), queryset=Skill.objects.all(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts()  # type: ignore[attr-defined]
