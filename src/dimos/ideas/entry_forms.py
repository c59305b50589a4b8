"""Forms of the hackathon and the jury: an app entry, an invitation, a screenshot, a juror's
scores and conflict, and staff's decisions, jurors, criteria and prizes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dimos.ideas import jury_selectors
from dimos.ideas.models import SCORE_MAX, SCORE_MIN, AppEntry, Competition, Criterion, Idea, Prize


class EntryForm(forms.Form):
    name = forms.CharField(label=_("Name of the app"), max_length=150)
    team_name = forms.CharField(label=_("Team name"), max_length=150)
    description = forms.CharField(
        label=_("What the app does"),
        max_length=5000,
        widget=forms.Textarea({"rows": 6}),
        help_text=_("For whom, what problem it solves, how to use it."),
    )
    ideas = forms.ModelMultipleChoiceField(
        label=_("The ideas it builds on"),
        queryset=Idea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Published ideas of this competition."),
    )
    datasets = forms.CharField(
        label=_("Open datasets it uses"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
        help_text=_(
            "One a line: the address of the dataset's page in the municipality's open data "
            "catalogue, such as …/data/bus-stops/."
        ),
    )
    web_url = forms.URLField(
        label=_("Web address"), max_length=500, required=False, assume_scheme="https"
    )
    store_url = forms.URLField(
        label=_("App store page"), max_length=500, required=False, assume_scheme="https"
    )
    source_url = forms.URLField(
        label=_("Source code"), max_length=500, required=False, assume_scheme="https"
    )
    licence = forms.CharField(
        label=_("Licence"),
        max_length=100,
        required=False,
        help_text=_("For example AGPL-3.0 or MIT."),
    )

    def __init__(self, *args: Any, competition: Competition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["ideas"]
        field.queryset = jury_selectors.idea_choices(competition)  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(entry: AppEntry) -> dict[str, Any]:
        return {
            "name": entry.name,
            "team_name": entry.team_name,
            "description": entry.description,
            "ideas": list(entry.ideas.values_list("pk", flat=True)),
            "datasets": "\n".join(d.url for d in entry.datasets.all()),
            "web_url": entry.web_url,
            "store_url": entry.store_url,
            "source_url": entry.source_url,
            "licence": entry.licence,
        }

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "team_name": data["team_name"],
            "description": data["description"],
            "idea_ids": [i.pk for i in data["ideas"]],
            "datasets": (data.get("datasets") or "").splitlines(),
            "web_url": data.get("web_url") or "",
            "store_url": data.get("store_url") or "",
            "source_url": data.get("source_url") or "",
            "licence": data.get("licence") or "",
        }


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address of the person to invite"))


class ScreenshotForm(forms.Form):
    image = forms.FileField(
        label=_("Screenshot"),
        help_text=_("A JPEG, PNG, HEIC or WebP image; its metadata (EXIF) is removed."),
        widget=forms.ClearableFileInput({"accept": "image/jpeg,image/png,image/heic,image/webp"}),
    )
    alt = forms.CharField(
        label=_("What the screenshot shows"),
        max_length=200,
        help_text=_("For people who cannot see it."),
    )


class ScoreForm(forms.Form):
    """A score 0–10 for each criterion the juror has not scored yet."""

    note = forms.CharField(
        label=_("Note for the jury"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
    )

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"c{criterion.pk}"] = forms.TypedChoiceField(
                label=_("%(name)s (weight %(weight)s)")
                % {"name": criterion.name, "weight": criterion.weight},
                help_text=criterion.description,
                choices=[("", "—")] + [(str(v), str(v)) for v in range(SCORE_MIN, SCORE_MAX + 1)],
                coerce=int,
            )
        self.order_fields([f"c{c.pk}" for c in criteria] + ["note"])

    def values(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Your conflict of interest"),
        max_length=1000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("For example: a member of the team is a relative or a colleague of yours."),
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=(("accept", _("Accept the entry")), ("reject", _("Do not accept the entry"))),
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason given to the team"), max_length=2000, widget=forms.Textarea({"rows": 3})
    )


class JurorForm(forms.Form):
    email = forms.EmailField(
        label=_("Juror's email address"), help_text=_("The email of their account on this site.")
    )
    is_chair = forms.BooleanField(label=_("Chair of the jury"), required=False)


class CriterionForm(forms.Form):
    name_el = forms.CharField(label=_("Criterion (Greek)"), max_length=150)
    name_en = forms.CharField(label=_("Criterion (English)"), max_length=150, required=False)
    description_el = forms.CharField(
        label=_("What the jury looks at (Greek)"),
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )
    description_en = forms.CharField(
        label=_("What the jury looks at (English)"),
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100, initial=1)


class PrizeForm(forms.Form):
    rank = forms.IntegerField(label=_("Number of the prize"), min_value=1, max_value=50, initial=1)
    title_el = forms.CharField(label=_("Prize (Greek)"), max_length=200)
    title_en = forms.CharField(label=_("Prize (English)"), max_length=200, required=False)


class AwardForm(forms.Form):
    prize = forms.ModelChoiceField(label=_("Prize"), queryset=Prize.objects.none())
    entry = forms.ModelChoiceField(label=_("App"), queryset=AppEntry.objects.none())
    reasons_el = forms.CharField(
        label=_("The jury's reasons (Greek)"), widget=forms.Textarea({"rows": 3})
    )
    reasons_en = forms.CharField(
        label=_("The jury's reasons (English)"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
    )

    def __init__(self, *args: Any, competition: Competition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        prize = self.fields["prize"]
        prize.queryset = competition.prize_set.order_by("rank")  # type: ignore[attr-defined]
        prize.label_from_instance = lambda p: p.title  # type: ignore[attr-defined]
        self.fields["entry"].queryset = jury_selectors.accepted_entries(competition)  # type: ignore[attr-defined]
