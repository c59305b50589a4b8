"""The forms of the open budget's public pages: search, compare two years, where my money goes.

They are read from the query string (GET), so every answer has a link of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dimos.budget.models import Direction


def _year_choices(years: Sequence[int]) -> list[tuple[str, str]]:
    return [(str(y), str(y)) for y in years]


class _WithYears(forms.Form):
    def __init__(self, *args: Any, years: Sequence[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("year", "a", "b"):
            if name in self.fields:
                field = self.fields[name]
                assert isinstance(field, forms.ChoiceField)
                field.choices = _year_choices(years)
        if "year" in self.fields and years:
            self.fields["year"].initial = str(years[0])
        self.latest = str(years[0]) if years else ""

    def clean_year(self) -> str:
        return str(self.cleaned_data.get("year") or self.latest)


class SearchForm(_WithYears):
    q = forms.CharField(
        label=_("Code or words"),
        max_length=200,
        help_text=_("A KAE code (6011), a line code (10-6011) or words of its description."),
    )
    year = forms.ChoiceField(label=_("Year"), required=False)

    def clean_q(self) -> str:
        text = self.cleaned_data["q"].strip()
        if not text:
            raise forms.ValidationError(_("Write a code or a word to search for."))
        return text


PHASE_CHOICES = [
    ("approved", pgettext_lazy("budget phase", "Approved")),
    ("adjusted", pgettext_lazy("budget phase", "Adjusted")),
    ("paid", _("Paid (expenditure) or collected (revenue)")),
]


class CompareForm(_WithYears):
    a = forms.ChoiceField(label=_("First year"))
    b = forms.ChoiceField(label=_("Second year"))
    direction = forms.ChoiceField(
        label=_("Part of the budget"),
        choices=Direction.choices,
        initial=Direction.EXPENDITURE,
        required=False,
    )
    phase = forms.ChoiceField(
        label=_("Amount to compare"), choices=PHASE_CHOICES, initial="adjusted", required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("a") and data.get("a") == data.get("b"):
            self.add_error("b", _("Choose a year other than the first."))
        data["direction"] = data.get("direction") or Direction.EXPENDITURE
        data["phase"] = data.get("phase") or "adjusted"
        if data.get("phase") == "paid" and data.get("direction") == Direction.REVENUE:
            data["phase"] = "collected"
        return data


class MoneyForm(_WithYears):
    amount = forms.DecimalField(
        label=_("Your amount (€)"),
        min_value=Decimal("0.01"),
        max_value=Decimal("1000000"),
        decimal_places=2,
        help_text=_("For example what you pay the municipality in a year in fees: 250 or 250,50."),
        localize=True,
    )
    year = forms.ChoiceField(label=_("Year"), required=False)
    basis = forms.ChoiceField(
        label=_("Shared as"),
        choices=[
            ("adjusted", _("the adjusted budget (the plan for the year)")),
            ("paid", _("what has been paid so far")),
        ],
        initial="adjusted",
        widget=forms.RadioSelect,
        required=False,
    )

    def clean_basis(self) -> str:
        return str(self.cleaned_data.get("basis") or "adjusted")
