"""Forms of the reports back office."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dimos.reports.models import Category, Report, Status
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
    sort = forms.ChoiceField(label=_("Order"), choices=SORT_CHOICES, required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
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


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))
    public = forms.BooleanField(
        label=_("Public: the reporter is told and it shows on the report's page"), required=False
    )


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
