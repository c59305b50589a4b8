"""Forms of the feedback app: a rating, "Is this page useful?", and staff triage."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dimos.feedback.models import Score, Theme


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Overall, how did you feel about the service you received today?"),
        choices=Score.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how satisfied you are.")},
    )
    improve = forms.CharField(
        label=_("How could we improve this service?"),
        help_text=_("Do not include personal information such as your name, phone or tax number."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class PageFeedbackForm(forms.Form):
    path = forms.CharField(widget=forms.HiddenInput, max_length=300)
    useful = forms.TypedChoiceField(
        label=_("Is this page useful?"),
        choices=(("yes", _("Yes")), ("no", _("No"))),
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the page was useful.")},
    )
    what_wrong = forms.CharField(
        label=_("What went wrong?"),
        help_text=_(
            "What were you trying to do, and what happened? Do not include personal "
            "information such as your tax number."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    email = forms.EmailField(
        label=_("Your email, if you would like a reply"),
        required=False,
        max_length=254,
    )

    def clean_path(self) -> str:
        path: str = self.cleaned_data["path"]
        if not path.startswith("/") or path.startswith("//"):
            raise forms.ValidationError(_("Which page is this about?"))
        return path


class TriageForm(forms.Form):
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_theme = forms.CharField(label=_("New theme (Greek)"), max_length=80, required=False)
    issue_url = forms.URLField(
        label=_("Link to the issue it led to"),
        required=False,
        max_length=500,
        assume_scheme="https",
    )
    publish = forms.BooleanField(
        label=_("Publish with the service's comments (personal data redacted)"), required=False
    )
    reply = forms.CharField(
        label=_("Reply to the person"),
        help_text=_("Sent by email once; only when they gave a way to reach them."),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
