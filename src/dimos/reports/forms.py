"""Forms of the reports back office."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dimos.core.selectors import districts
from dimos.reports.conf import conf
from dimos.reports.models import Category, CategoryAttribute, Report, ResponseTemplate, Status
from dimos.reports.services import TRANSITIONS


class QueueFilterForm(forms.Form):
    all_optional = True

    STATE_CHOICES = [
        ("open", _("Open")),
        ("overdue", _("Overdue")),
        ("closed", _("Closed")),
        ("all", _("All")),
    ]
    SORT_CHOICES = [
        ("oldest", _("Oldest first")),
        ("newest", _("Newest first")),
        ("priority", _("Highest priority first")),
        ("deadline", _("Nearest deadline first")),
    ]
    state = forms.ChoiceField(label=_("Show"), choices=STATE_CHOICES, required=False)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False
    )
    district = forms.ModelChoiceField(label=_("District"), queryset=districts(), required=False)
    sort = forms.ChoiceField(label=_("Order"), choices=SORT_CHOICES, required=False)


class TemplateChoiceField(forms.ModelChoiceField):
    """A response template to start the text from (filled in for the report)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=ResponseTemplate.objects.none(),
            label=_("Start from a response template"),
            required=False,
            help_text=_("Leave the text empty to send the template as it is, or edit it."),
            **kwargs,
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    template = TemplateChoiceField()
    note = forms.CharField(
        label=_("Note to the reporter"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    duplicate_of = forms.IntegerField(
        label=_("Number of the original report (for duplicates)"), required=False, min_value=1
    )
    referred_to = forms.CharField(
        label=_("Responsible body (when not ours)"), max_length=300, required=False
    )

    def __init__(self, *args: Any, report: Report, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS.get(report.status, frozenset())
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in Status.choices if value in allowed
        ]
        _offer_templates(self, report, "note")


class NoteForm(forms.Form):
    template = TemplateChoiceField()
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    public = forms.BooleanField(
        label=_("Public: the reporter is told and it shows on the report's page"), required=False
    )

    def __init__(self, *args: Any, report: Report, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_templates(self, report, "text")


def _offer_templates(form: forms.Form, report: Report, text_field: str) -> None:
    """Offer the report's templates; a chosen one fills an empty text (see clean)."""
    from dimos.reports.services import render_template, templates_for

    offered = templates_for(report)
    field = form.fields["template"]
    field.queryset = ResponseTemplate.objects.filter(  # type: ignore[attr-defined]
        pk__in=[t.pk for t in offered]
    )
    # The filled-in texts, for the page's script that puts them in the text box.
    form.template_texts = {  # type: ignore[attr-defined]
        str(t.pk): render_template(t, report) for t in offered
    }
    form.text_field = text_field  # type: ignore[attr-defined]
    if not offered:
        del form.fields["template"]


def template_text(form: forms.Form) -> str:
    """The text to send: what was written, else the chosen template filled in."""
    written: str = form.cleaned_data.get(form.text_field, "").strip()  # type: ignore[attr-defined]
    template = form.cleaned_data.get("template")
    if written or template is None:
        return written
    return str(form.template_texts.get(str(template.pk), ""))  # type: ignore[attr-defined]


class CategoryChangeForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Move to category"),
        queryset=Category.objects.filter(is_active=True).select_related("group"),
        help_text=_("The report goes to that category's department, with its deadline."),
    )


class LocationForm(forms.Form):
    all_optional = True

    lat = forms.FloatField(
        label=_("Latitude"), min_value=-90, max_value=90, widget=forms.NumberInput({"step": "any"})
    )
    lon = forms.FloatField(
        label=_("Longitude"),
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput({"step": "any"}),
    )
    address = forms.CharField(label=_("Address or landmark"), max_length=300, required=False)


class BulkForm(forms.Form):
    """One change to many reports of the queue at once."""

    all_optional = True

    reports = forms.TypedMultipleChoiceField(
        coerce=int,
        label=_("Reports"),
        error_messages={"required": _("Tick the reports to change.")},
    )
    status = forms.ChoiceField(label=_("Set the status"), required=False)
    note = forms.CharField(
        label=_("Note to the reporters"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Sent with the status change."),
    )
    assignee = forms.ModelChoiceField(
        label=_("Assign to"), queryset=Report.objects.none(), required=False
    )
    priority = forms.TypedChoiceField(
        label=_("Set the priority"),
        choices=[("", "—"), *Report.Priority.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args: Any, reports: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reports"].choices = [(r, r) for r in reports]  # type: ignore[attr-defined]
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((v, label) for v, label in Status.choices if v != Status.UNCONFIRMED),
        ]
        self.fields["assignee"].queryset = staff  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("status") or data.get("assignee") or data.get("priority")):
            raise forms.ValidationError(_("Choose a status, a person or a priority to set."))
        return data


class AssignForm(forms.Form):
    assignee: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Assign to"), queryset=Report.objects.none(), required=False
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Report.Priority.choices, coerce=int
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff  # type: ignore[attr-defined]


def attribute_field(attribute: CategoryAttribute) -> forms.Field:
    """The form field that asks one category question, by its Open311 datatype."""
    common: dict[str, Any] = {
        "label": attribute.description,
        "required": attribute.required,
        "help_text": attribute.datatype_description,
    }
    kind = attribute.datatype
    if kind == CategoryAttribute.Datatype.NUMBER:
        return forms.DecimalField(max_digits=12, decimal_places=3, **common)
    if kind == CategoryAttribute.Datatype.DATETIME:
        return forms.DateTimeField(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), **common
        )
    if kind == CategoryAttribute.Datatype.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, **common)
    if kind == CategoryAttribute.Datatype.SINGLE:
        return forms.ChoiceField(choices=attribute.choices(), widget=forms.RadioSelect, **common)
    if kind == CategoryAttribute.Datatype.MULTI:
        return forms.MultipleChoiceField(
            choices=attribute.choices(), widget=forms.CheckboxSelectMultiple, **common
        )
    return forms.CharField(max_length=300, **common)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input; each is checked by its content and re-encoded here.

    Cleans to a list of photos.ProcessedPhoto, so a problem is told per photo, in the form.
    """

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        from dimos.reports.photos import PhotoError, process_upload

        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        limit = conf.MAX_PHOTOS
        if len(files) > limit:
            raise forms.ValidationError(
                _("You can attach at most %(count)s photos.") % {"count": limit},
                code="too_many",
            )
        processed, errors = [], []
        for number, file in enumerate(files, start=1):
            try:
                processed.append(process_upload(super().clean(file, initial)))
            except PhotoError as exc:
                errors.append(
                    forms.ValidationError(
                        _("Photo %(number)s (%(name)s): %(problem)s")
                        % {"number": number, "name": file.name, "problem": exc},
                        code="photo",
                    )
                )
        if errors:
            raise forms.ValidationError(errors)
        return processed


class ReportForm(forms.Form):
    """A resident's report: where, what, and (without an account) how to reach them."""

    lat = forms.FloatField(
        label=_("Latitude"),
        min_value=-90,
        max_value=90,
        required=False,  # a photo's GPS may fill it in: clean() requires one or the other
        widget=forms.NumberInput(attrs={"step": "any"}),
        help_text=_("Tap the map to fill this in, or use your phone's location."),
    )
    lon = forms.FloatField(
        label=_("Longitude"),
        min_value=-180,
        max_value=180,
        required=False,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    address = forms.CharField(label=_("Address or landmark"), max_length=300, required=False)
    description = forms.CharField(
        label=_("What is the problem?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    photos = PhotosField(
        label=_("Photos"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/heic,image/heif,image/webp"}
        ),
    )
    submission = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args: Any, category: Category, anonymous: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.category = category
        # Set by clean() when the pin came from a photo's GPS, so the view can say so.
        self.location_from_photo = False
        self.fields["photos"].help_text = _(
            "Up to %(count)s photos. Without a pin on the map, the place a photo was taken is used."
        ) % {"count": conf.MAX_PHOTOS}
        self.attribute_codes: list[str] = []
        for attribute in category.attributes.filter(variable=True):
            name = f"attr_{attribute.code}"
            self.fields[name] = attribute_field(attribute)
            self.attribute_codes.append(attribute.code)
        if anonymous:
            self.fields["email"] = forms.EmailField(
                label=_("Your email"),
                help_text=_("We send you a link to confirm the report, and news about it."),
            )
            self.fields["name"] = forms.CharField(
                label=_("Your name"), max_length=200, required=False
            )
        self.fields["show_name"] = forms.BooleanField(
            label=_("Show my name on the public page of the report"), required=False
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("lat") is None or data.get("lon") is None:
            located = next((p.gps for p in data.get("photos") or [] if p.gps), None)
            if located is not None:
                data["lat"], data["lon"] = located
                self.location_from_photo = True
            else:
                for name in ("lat", "lon"):
                    if name not in self.errors:
                        self.add_error(name, self.fields[name].error_messages["required"])
        return data

    def clean_description(self) -> str:
        # Plain text only: tags are stripped so nothing renders as markup anywhere.
        import nh3

        return nh3.clean(self.cleaned_data["description"], tags=set()).strip()

    def answers(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for code in self.attribute_codes:
            value = self.cleaned_data.get(f"attr_{code}")
            if value in (None, "", []):
                continue
            if isinstance(value, list):
                out[code] = [str(v) for v in value]
            elif value is not None and hasattr(value, "isoformat"):
                out[code] = value.isoformat()
            else:
                out[code] = str(value)
        return out
