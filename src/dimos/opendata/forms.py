"""Forms of the catalogue's staff (also the validation of the CKAN write actions)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dimos.opendata import vocab
from dimos.opendata.conf import conf
from dimos.opendata.models import Dataset, Group, Organization
from dimos.opendata.slugs import NAME


class DatasetForm(forms.ModelForm):
    tags = forms.CharField(
        label=_("Keywords"),
        required=False,
        help_text=_("Separated by commas."),
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Group.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    license_id = forms.ChoiceField(label=_("Licence"), choices=())
    url = forms.URLField(
        label=_("Source page"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Dataset
        fields = [
            "title_el",
            "title_en",
            "name",
            "notes_el",
            "notes_en",
            "organization",
            "groups",
            "tags",
            "license_id",
            "frequency",
            "temporal_start",
            "temporal_end",
            "spatial",
            "maintainer",
            "maintainer_email",
            "author",
            "author_email",
            "version",
            "url",
            "private",
        ]
        widgets = {
            "temporal_start": forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
            "temporal_end": forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
            "notes_el": forms.Textarea({"rows": 5}),
            "notes_en": forms.Textarea({"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        licence: Any = self.fields["license_id"]
        licence.choices = [(lic.id, lic.title) for lic in vocab.LICENCES.values()]
        organization: Any = self.fields["organization"]
        organization.queryset = Organization.objects.all()
        self.fields["name"].required = False
        self.fields["name"].help_text = _(
            "Lower-case Latin letters, digits and hyphens; made from the title if left empty."
        )
        if self.instance.pk:
            self.initial.setdefault("tags", ", ".join(t.name for t in self.instance.tags.all()))

    def clean_name(self) -> str:
        name: str = (self.cleaned_data.get("name") or "").strip()
        if name and not NAME.match(name):
            raise ValidationError(
                _("Use 2 to 100 lower-case Latin letters, digits, hyphens or underscores.")
            )
        return name

    def clean_tags(self) -> list[str]:
        raw = self.cleaned_data.get("tags") or ""
        words = raw if isinstance(raw, list) else str(raw).split(",")
        return list(dict.fromkeys(w.strip()[:100] for w in words if w and w.strip()))[:50]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        start, end = data.get("temporal_start"), data.get("temporal_end")
        if start and end and end < start:
            self.add_error("temporal_end", _("The end comes before the start."))
        if not data.get("name") and data.get("title_el"):
            from dimos.opendata.slugs import slug_for

            taken = set(Dataset.objects.exclude(pk=self.instance.pk).values_list("name", flat=True))
            data["name"] = slug_for(data.get("title_en") or data["title_el"], taken)
            self.instance.name = data["name"]
        return data

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("tags", "groups")}


class ResourceForm(forms.Form):
    name_el = forms.CharField(label=_("Name (Greek)"), max_length=300)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    description_el = forms.CharField(
        label=_("Description (Greek)"), required=False, widget=forms.Textarea({"rows": 3})
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea({"rows": 3})
    )
    upload = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_(
            "A CSV or XLSX file is loaded as a table that visitors can preview and filter."
        ),
    )
    link = forms.URLField(
        label=_("…or a link to the file"), required=False, max_length=500, assume_scheme="https"
    )
    format = forms.CharField(
        label=_("Format"),
        required=False,
        max_length=20,
        help_text=_("Found from the file's name if left empty (CSV, XLSX, GeoJSON, PDF…)."),
    )

    def __init__(self, *args: Any, replacing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.replacing = replacing

    def clean_upload(self) -> Any:
        upload = self.cleaned_data.get("upload")
        if upload is not None and upload.size > conf.MAX_UPLOAD_MB * 1024 * 1024:
            raise ValidationError(
                _("The file is larger than %(limit)s MB.") % {"limit": conf.MAX_UPLOAD_MB}
            )
        return upload

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        nothing = not data.get("upload") and not data.get("link")
        if not self.replacing and nothing and "upload" not in self.errors:
            raise ValidationError(_("Choose a file or give a link."))
        if data.get("upload") and data.get("link"):
            raise ValidationError(_("Give a file or a link, not both."))
        return data


class StateForm(forms.Form):
    state = forms.ChoiceField(
        choices=[
            ("active", _("Publish")),
            ("draft", _("Back to draft")),
            ("deleted", _("Withdraw")),
        ]
    )
