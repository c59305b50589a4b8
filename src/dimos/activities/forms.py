"""Forms: the catalogue's filters, a family's children and registration, organisers' pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dimos.activities.conf import conf
from dimos.activities.models import (
    LANGUAGES,
    Audience,
    Child,
    Programme,
    Subject,
)

DAYS = (
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (7, _("Sunday")),
)


def _when(label: Any, **kwargs: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        **kwargs,
    )


class FilterForm(forms.Form):
    """The catalogue's filters, in the address (GET): they work without JavaScript."""

    age = forms.IntegerField(
        label=_("Child's age"),
        required=False,
        min_value=0,
        max_value=18,
        widget=forms.NumberInput({"inputmode": "numeric"}),
    )
    subject = forms.ChoiceField(
        label=_("Subject"), required=False, choices=[("", _("Any subject")), *Subject.choices]
    )
    day = forms.TypedChoiceField(
        label=_("Day"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any day")), *DAYS],
    )
    where = forms.ChoiceField(
        label=_("Online or in person"),
        required=False,
        choices=[("", _("Either")), ("online", _("Online")), ("in_person", _("In person"))],
    )
    audience = forms.ChoiceField(
        label=pgettext_lazy("activities filter", "For"),
        required=False,
        choices=[("", _("Everyone")), *Audience.choices],
    )


class ChildForm(forms.Form):
    """A child: the least data a programme needs, and the guardian's consent."""

    first_name = forms.CharField(
        label=_("Child's first name"),
        max_length=60,
        help_text=_("The first name only: organisers use it to call the roll."),
        widget=forms.TextInput({"autocomplete": "off"}),
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        widget=forms.NumberInput({"inputmode": "numeric"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I am the child's parent or guardian and I consent to the municipality keeping the "
            "child's first name and year of birth for the activities I register them for."
        ),
        error_messages={"required": _("Give your consent as the child's parent or guardian.")},
    )
    consent_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"consent_version": conf.CONSENT_VERSION})
        super().__init__(*args, **kwargs)
        year = timezone.localdate().year
        self.fields["birth_year"].widget.attrs.update({"min": year - 17, "max": year})

    def clean_birth_year(self) -> int:
        value = int(self.cleaned_data["birth_year"])
        year = timezone.localdate().year
        if not year - 17 <= value <= year:
            raise forms.ValidationError(_("Activities for children are for those under 18."))
        return value


class RegisterForm(forms.Form):
    """Who takes the place: one of the guardian's children, or oneself."""

    who = forms.ChoiceField(label=_("Who will take part?"), widget=forms.RadioSelect)
    team_name = forms.CharField(label=_("Team name"), max_length=100, required=False)

    def __init__(
        self, *args: Any, programme: Programme, children: list[Child], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.children = {str(c.pk): c for c in children}
        if programme.for_children:
            who: Any = self.fields["who"]
            who.choices = [
                (
                    str(c.pk),
                    _("%(name)s, born %(year)s") % {"name": c.first_name, "year": c.birth_year},
                )
                for c in children
            ]
        else:
            who = self.fields["who"]
            who.choices = [("self", _("Myself"))]
            self.fields["who"].initial = "self"
        if not programme.teams:
            del self.fields["team_name"]
        else:
            self.fields["team_name"].required = True

    def child(self) -> Child | None:
        return self.children.get(self.cleaned_data["who"])


class _People(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name() or obj.email} ({obj.email})"


class ProgrammeForm(forms.ModelForm):
    """An organiser's programme: what, for whom, where, when and how many."""

    first_start = _when(_("First session starts"))
    registration_opens = _when(_("Registration opens"))
    registration_closes = _when(_("Registration closes"))
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        initial=["el"],
    )
    exceptions = forms.CharField(
        label=_("Days without a session"),
        required=False,
        help_text=_("Dates as YYYY-MM-DD, separated by commas (school holidays, for example)."),
    )
    video_url = forms.URLField(
        label=_("Link of the online session"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "Jitsi, BigBlueButton, Zoom, YouTube live: any address. Shown only to people with "
            "a confirmed place, never on public pages."
        ),
    )
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)

    class Meta:
        model = Programme
        fields = (
            "kind",
            "title_el",
            "title_en",
            "description_el",
            "description_en",
            "subject",
            "organiser_name",
            "audience",
            "age_min",
            "age_max",
            "mode",
            "video_url",
            "place_name",
            "address",
            "lat",
            "lon",
            "languages",
            "capacity",
            "registration_opens",
            "registration_closes",
            "first_start",
            "duration_minutes",
            "repeat",
            "repeat_until",
            "skip_holidays",
            "exceptions",
            "teams",
            "check_in",
            "certificate",
        )
        widgets = {
            "description_el": forms.Textarea({"rows": 4}),
            "description_en": forms.Textarea({"rows": 4}),
            "repeat_until": forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
            "capacity": forms.NumberInput({"inputmode": "numeric", "min": 1}),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["exceptions"] = ", ".join(self.instance.exceptions or [])
        if user is not None and user.has_perm("activities.manage_all_programmes"):
            # Coordinators name the organisers (teachers, volunteer teachers with a staff
            # account); only they see the participants.
            from dimos.accounts.models import User

            self.fields["organisers"] = _People(
                label=_("Organisers who see the participants"),
                queryset=User.objects.filter(
                    is_active=True,
                    is_staff=True,
                    groups__name__in=("activities_organiser", "activities_coordinator"),
                )
                .distinct()
                .order_by("last_name", "first_name"),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=list(self.instance.organisers.all()) if self.instance.pk else [user],
            )

    def clean_exceptions(self) -> list[str]:
        import datetime as dt

        days = []
        for part in (self.cleaned_data.get("exceptions") or "").replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            try:
                days.append(dt.date.fromisoformat(part).isoformat())
            except ValueError as exc:
                raise forms.ValidationError(
                    _("“%(day)s” is not a date like 2026-12-24.") % {"day": part[:20]}
                ) from exc
        return sorted(set(days))

    def clean_capacity(self) -> int:
        value = self.cleaned_data["capacity"]
        if value is None or value < 1 or value > 100000:
            raise forms.ValidationError(_("Give between 1 and 100,000 places."))
        return int(value)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("What to tell the participants"), max_length=300)


class MoveForm(forms.Form):
    starts_at = _when(_("New start"))
    reason = forms.CharField(label=_("What to tell the participants"), max_length=300)


class MessageForm(forms.Form):
    message = forms.CharField(
        label=_("Message"), max_length=3000, widget=forms.Textarea({"rows": 5})
    )
    include_waitlist = forms.BooleanField(label=_("Also to those on the waitlist"), required=False)


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    file = forms.FileField(label=_("File"), required=False)
    after_session = forms.BooleanField(
        label=_("Show it once the first session has taken place"), required=False
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Ticket code"), max_length=32)
