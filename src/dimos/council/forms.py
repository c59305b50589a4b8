"""The council secretariat's forms: preparing a meeting, the agenda, the roll call and votes,
decisions, the recording and time-codes, documents, moderation, the list's filters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dimos.core.workflow import Refused
from dimos.council import documents, services, video
from dimos.council.models import (
    AgendaItem,
    Attendance,
    ItemResult,
    Location,
    Meeting,
    MeetingKind,
    MeetingMode,
    MeetingState,
    Organization,
    OrganizationKind,
    PaperType,
    Person,
    VoteChoice,
    validate_ada,
)

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class _Named(forms.ModelChoiceField):
    """Choices labelled in the active language (bodies, places)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "name", None) or getattr(obj, "description", None) or obj)


def bodies() -> Any:
    return Organization.objects.live().exclude(kind=OrganizationKind.FACTION)


def _places() -> Any:
    return Location.objects.live()


class FilterForm(forms.Form):
    """The list of meetings (GET): by body, state and year."""

    all_optional = True

    body = _Named(label=_("Body"), queryset=bodies(), required=False)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All")), *MeetingState.choices]
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)


class PrepareForm(forms.Form):
    """A new meeting: the body and day; the rest from the body's last meeting or blank."""

    TEMPLATE_CHOICES = [
        ("last", _("From the body's last meeting (its place, times and standing items)")),
        ("blank", _("Blank")),
    ]

    organization = _Named(label=_("Body"), queryset=bodies())
    day = forms.DateField(label=_("Day"), widget=_DATE)
    start_time = forms.TimeField(
        label=_("Starts at"),
        required=False,
        widget=_TIME,
        help_text=_("Leave empty to keep the last meeting's time (18:00 for a blank one)."),
    )
    end_time = forms.TimeField(label=_("Ends at"), required=False, widget=_TIME)
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=MeetingKind.choices)
    mode = forms.ChoiceField(
        label=_("How it is held"),
        required=False,
        choices=[("", _("As the last meeting")), *MeetingMode.choices],
    )
    location = _Named(label=pgettext_lazy("meeting", "Place"), queryset=_places(), required=False)
    title_el = forms.CharField(label=_("Title (Greek)"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    template = forms.ChoiceField(
        label=_("Prepare it"), choices=TEMPLATE_CHOICES, initial="last", widget=forms.RadioSelect
    )

    def plan(self) -> services.MeetingPlan:
        data = self.cleaned_data
        return services.MeetingPlan(
            organization=data["organization"],
            day=data["day"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            kind=data["kind"],
            mode=data["mode"],
            location=data["location"],
            title_el=data["title_el"],
            title_en=data["title_en"],
            from_last=data["template"] == "last",
        )


class MeetingForm(forms.ModelForm):
    """The meeting's details that are not its time (moving it is its own action)."""

    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=MeetingKind.choices)
    mode = forms.ChoiceField(label=_("How it is held"), choices=MeetingMode.choices)
    location = _Named(label=pgettext_lazy("meeting", "Place"), queryset=_places(), required=False)
    stream_url = forms.URLField(
        label=_("Live stream"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("The YouTube address (or a configured provider's) of the live stream."),
    )

    class Meta:
        model = Meeting
        fields = (
            "kind",
            "mode",
            "location",
            "title_el",
            "title_en",
            "invitation_text",
            "stream_url",
        )
        widgets = {"invitation_text": forms.Textarea({"rows": 4})}

    def clean_stream_url(self) -> str:
        url: str = self.cleaned_data["stream_url"].strip()
        try:
            video.validate_video_url(url)
        except Refused as exc:
            raise forms.ValidationError(str(exc.message)) from exc
        return url


class MoveForm(forms.Form):
    """Move a meeting to another day or time."""

    day = forms.DateField(label=_("New day"), widget=_DATE)
    start_time = forms.TimeField(label=_("Starts at"), widget=_TIME)
    end_time = forms.TimeField(label=_("Ends at"), widget=_TIME)
    reason = forms.CharField(
        label=_("Why it moves"),
        max_length=2000,
        required=False,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("Needed once the invitation is out: the members and followers read it."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("day") and data.get("start_time") and data.get("end_time"):
            start = timezone.make_aware(datetime.combine(data["day"], data["start_time"]))
            end = timezone.make_aware(datetime.combine(data["day"], data["end_time"]))
            if end <= start:
                self.add_error("end_time", _("The meeting must end after it starts."))
            data["start"], data["end"] = start, end
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"), max_length=2000, widget=forms.Textarea({"rows": 2})
    )


class ChangeNoteForm(forms.Form):
    """Why an item moves or is withdrawn (needed once the invitation is out)."""

    change_note = forms.CharField(
        label=_("Note on the change"),
        max_length=2000,
        required=False,
        help_text=_("Needed once the invitation is out; it is published with the item."),
    )


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ItemForm(forms.ModelForm):
    """An agenda item: its number (empty: the next), title, rapporteur, report."""

    rapporteur = _PersonChoice(
        label=_("Rapporteur"), queryset=Person.objects.live(), required=False
    )
    change_note = forms.CharField(
        label=_("Note on the change"),
        max_length=2000,
        required=False,
        help_text=_(
            "Needed once the invitation is out to add an item or change its number; it is "
            "published with the item."
        ),
    )

    class Meta:
        model = AgendaItem
        fields = (
            "number",
            "title_el",
            "title_en",
            "rapporteur",
            "public",
            "report_el",
            "report_en",
        )
        widgets = {
            "title_el": forms.Textarea({"rows": 2}),
            "title_en": forms.Textarea({"rows": 2}),
            "report_el": forms.Textarea({"rows": 3}),
            "report_en": forms.Textarea({"rows": 3}),
        }
        help_texts = {"number": _("Like 7 or 10.1; leave empty for the next number.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"].required = False

    def clean_number(self) -> str:
        number: str = (self.cleaned_data.get("number") or "").strip()
        if number and not services.NUMBER_RE.fullmatch(number):
            raise forms.ValidationError(
                _("An item's number is a number, or numbers with dots like 10.1.")
            )
        return number

    def text(self) -> services.ItemText:
        data = self.cleaned_data
        return services.ItemText(
            title_el=data["title_el"],
            title_en=data["title_en"],
            number=data["number"],
            rapporteur=data["rapporteur"],
            public=data["public"],
            report_el=data["report_el"],
            report_en=data["report_en"],
        )

    def _post_clean(self) -> None:
        # The service validates and writes the item; the form only reads the fields.
        pass


class _UploadField(forms.FileField):
    """A document checked by its content (PDF, office, image) and its size."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        value = super().clean(data, initial)
        if not value:
            return None
        try:
            return documents.check_upload(value)
        except documents.DocumentRefused as exc:
            raise forms.ValidationError(str(exc.message)) from exc


_ACCEPT = ".pdf,.doc,.docx,.xls,.xlsx,.odt,.ods,.odp,.pptx,.jpg,.jpeg,.png"


def _upload(label: Any, *, required: bool = True) -> _UploadField:
    return _UploadField(
        label=label,
        required=required,
        widget=forms.ClearableFileInput({"accept": _ACCEPT}),
        help_text=_("PDF, Word, Excel, OpenDocument, JPEG or PNG."),
    )


class PaperForm(forms.Form):
    """A paper put to the item, with its main document."""

    reference = forms.CharField(label=pgettext_lazy("paper", "Reference"), max_length=60)
    name_el = forms.CharField(label=_("Title (Greek)"), max_length=500)
    name_en = forms.CharField(label=_("Title (English)"), max_length=500, required=False)
    paper_type = forms.ChoiceField(label=_("Kind of paper"), choices=PaperType.choices)
    date = forms.DateField(label=_("Date of the paper"), widget=_DATE)
    document = _upload(_("Its document"), required=False)


class DocumentForm(forms.Form):
    name_el = forms.CharField(label=_("Title (Greek)"), max_length=300)
    name_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    document = _upload(_("Document"))


class MinutesForm(forms.Form):
    document = _upload(_("The approved minutes"))


class AttendanceForm(forms.Form):
    """The roll call: one choice per member of the body."""

    def __init__(
        self, *args: Any, members: list[Person], initial_status: dict[int, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for person in members:
            self.fields[f"person_{person.pk}"] = forms.ChoiceField(
                label=person.name,
                choices=Attendance.Status.choices,
                initial=initial_status.get(person.pk, Attendance.Status.PRESENT),
                widget=forms.RadioSelect,
            )

    def statuses(self) -> dict[int, str]:
        return {
            int(name.removeprefix("person_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("person_")
        }


ALL_FOR = "all_for"


class VotesForm(forms.Form):
    """The votes on one item, one choice per member with a vote. The "all for" button
    records every member present for (and the absent absent), without JavaScript."""

    all_optional = True

    def __init__(
        self,
        *args: Any,
        voters: list[Person],
        away: set[int],
        current: dict[int, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.voters = voters
        self.away = away
        for person in voters:
            default = VoteChoice.ABSENT if person.pk in away else current.get(person.pk, "")
            self.fields[f"person_{person.pk}"] = forms.ChoiceField(
                label=person.name,
                choices=VoteChoice.choices,
                required=False,
                initial=default,
                widget=forms.RadioSelect,
            )

    def choices(self) -> dict[int, str]:
        if self.data.get("shortcut") == ALL_FOR:
            return {
                p.pk: VoteChoice.ABSENT if p.pk in self.away else VoteChoice.FOR
                for p in self.voters
            }
        return {
            int(name.removeprefix("person_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("person_") and value
        }


class DecisionForm(forms.Form):
    number = forms.IntegerField(
        label=_("Decision number"),
        min_value=1,
        required=False,
        help_text=_("Leave empty for the next number of the body's year."),
    )
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[(v, label) for v, label in ItemResult.choices if v != ItemResult.WITHDRAWN],
    )
    text_el = forms.CharField(label=_("Text (Greek)"), widget=forms.Textarea({"rows": 4}))
    text_en = forms.CharField(
        label=_("Text (English)"), required=False, widget=forms.Textarea({"rows": 4})
    )
    ada = forms.CharField(
        label=_("Diavgeia ADA"),
        max_length=20,
        required=False,
        help_text=_("Once the decision is posted on Diavgeia, like Ψ4Ω2ΩΞΑ-8ΑΒ."),
    )

    def clean_ada(self) -> str:
        ada: str = self.cleaned_data["ada"].strip().upper()
        if ada:
            validate_ada(ada)
        return ada


class AdaForm(forms.Form):
    ada = forms.CharField(label=_("Diavgeia ADA"), max_length=20, help_text=_("Like Ψ4Ω2ΩΞΑ-8ΑΒ."))

    def clean_ada(self) -> str:
        ada: str = self.cleaned_data["ada"].strip().upper()
        validate_ada(ada)
        return ada


class _TimecodeField(forms.CharField):
    """``1:23:45``, ``83:45`` or seconds; answers seconds (None when empty)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput({"inputmode": "numeric", "size": 9}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if not text:
            return None
        try:
            return services.parse_timecode(text)
        except ValueError as exc:
            raise forms.ValidationError(
                _("Write a time in the video like 1:23:45, 83:45 or 5025 (seconds).")
            ) from exc


class RecordingForm(forms.Form):
    url = forms.URLField(
        label=_("The recording's address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("YouTube (or a configured provider)."),
    )
    length = _TimecodeField(label=_("Its length"), required=True, help_text=_("Like 3:12:40."))

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"].strip()
        try:
            video.validate_video_url(url)
        except Refused as exc:
            raise forms.ValidationError(str(exc.message)) from exc
        return url


class TimecodesForm(forms.Form):
    """Each item's start and end in the recording; typed, or filled by the player page."""

    all_optional = True

    def __init__(self, *args: Any, items: list[AgendaItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"start_{item.pk}"] = _TimecodeField(
                label=_("Item %(number)s starts at") % {"number": item.number},
                initial=services.format_timecode(item.start_seconds),
            )
            self.fields[f"end_{item.pk}"] = _TimecodeField(
                label=_("Item %(number)s ends at") % {"number": item.number},
                initial=services.format_timecode(item.end_seconds),
            )

    def times(self) -> dict[int, tuple[int | None, int | None]]:
        data = self.cleaned_data
        return {i.pk: (data.get(f"start_{i.pk}"), data.get(f"end_{i.pk}")) for i in self.items}


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", pgettext_lazy("question", "Publish it")),
            ("reject", pgettext_lazy("question", "Do not publish it")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Why it is not published"),
        max_length=2000,
        required=False,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("Needed when it is not published; the resident reads it."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the question is not published."))
        return data
