"""Forms of the ideas app: an idea, a comment, the list's filters, and the moderators'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dimos.ideas.models import Competition, Idea, IdeaStatus, Theme


class ThemeChoice(forms.ModelChoiceField):
    """A competition's themes, named in the visitor's language."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class FilterForm(forms.Form):
    """The ideas list's theme and order, in the address (GET): they work without JavaScript."""

    theme = ThemeChoice(
        label=_("Theme"), queryset=Theme.objects.none(), required=False, empty_label=_("All")
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        choices=(("votes", _("Most votes first")), ("newest", _("Newest first"))),
        required=False,
    )

    def __init__(self, *args: Any, competition: Competition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = competition.themes.all()  # type: ignore[attr-defined]


class IdeaForm(forms.Form):
    theme = ThemeChoice(label=_("Theme"), queryset=Theme.objects.none())
    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        help_text=_("A short sentence that says what you propose."),
    )
    description = forms.CharField(
        label=_("Your idea"),
        max_length=5000,
        widget=forms.Textarea({"rows": 8}),
        help_text=_("What would change, for whom, and why. Do not write personal data."),
    )
    place_name = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("A street, a square, a neighbourhood."),
    )
    lat = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput({"step": "any", "inputmode": "decimal"}),
    )
    lon = forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput({"step": "any", "inputmode": "decimal"}),
    )
    image = forms.FileField(
        label=_("An image"),
        required=False,
        widget=forms.ClearableFileInput({"accept": "image/jpeg,image/png,image/webp,image/heic"}),
        help_text=_("JPEG, PNG, HEIC or WebP. Its metadata (camera, place) is removed."),
    )
    image_alt = forms.CharField(
        label=_("What the image shows"),
        max_length=200,
        required=False,
        help_text=_("For people who cannot see it. Needed when you add an image."),
    )

    def __init__(
        self, *args: Any, competition: Competition, idea: Idea | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = competition.themes.all()  # type: ignore[attr-defined]
        if idea is not None and idea.image:
            self.fields["remove_image"] = forms.BooleanField(
                label=_("Remove the image"), required=False
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("lat") is None) != (data.get("lon") is None) and not self.errors.get("lat"):
            self.add_error("lon", _("Give both the latitude and the longitude, or neither."))
        if data.get("image") and not (data.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Say in a few words what the image shows."))
        return data


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=2000,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("Comments are published once a moderator has read them."),
    )


class ModerateIdeaForm(forms.Form):
    ACTIONS = (
        ("publish", _("Publish")),
        ("reject", _("Do not publish")),
        ("merge", _("Merge into another idea (a duplicate)")),
    )
    action = forms.ChoiceField(label=_("Decision"), choices=ACTIONS, widget=forms.RadioSelect)
    merge_into = forms.ModelChoiceField(
        label=_("The idea it duplicates"),
        queryset=Idea.objects.none(),
        required=False,
        help_text=_("Only for a merge: a published idea of the same competition."),
    )
    reason = forms.CharField(
        label=_("Reason, shown to the author"),
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
    )

    def __init__(self, *args: Any, idea: Idea, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["merge_into"].queryset = (  # type: ignore[attr-defined]
            Idea.objects.filter(competition=idea.competition_id, status=IdeaStatus.PUBLISHED)
            .exclude(pk=idea.pk)
            .order_by("title")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "merge" and not data.get("merge_into"):
            self.add_error("merge_into", _("Choose the idea it duplicates."))
        return data


class ModerateCommentForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Decision"),
        choices=(("publish", _("Publish")), ("hide", _("Hide"))),
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason, shown to the author (needed to hide)"),
        max_length=500,
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "hide" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Write the reason the author will read."))
        return data


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("What you found"), max_length=500, widget=forms.Textarea({"rows": 2})
    )
