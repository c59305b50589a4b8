"""The budget officers' forms: a year, a file to import, a spending decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.budget.conf import conf
from dimos.budget.models import BudgetLine, FiscalYear, SpendingDecision

FILE_TYPES = (
    ".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput({"inputmode": "numeric", "size": 6}),
    )

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if FiscalYear.objects.filter(year=year).exists():
            raise ValidationError(_("The year %(year)s already exists.") % {"year": year})
        return year


def _upload(upload: Any) -> Any:
    if upload is not None and upload.size > conf.IMPORT_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s MB.")
            % {"limit": conf.IMPORT_MAX_BYTES // 1_000_000}
        )
    return upload


class ImportForm(forms.Form):
    """A budget or execution file, the year it belongs to and the date it shows."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    as_of = forms.DateField(
        label=_("As of"),
        help_text=_("The date the file's figures show (the finance system's \"as of\" date)."),
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
    )
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "As exported by the finance system, with the columns Υπηρεσία, Κ.Α., Περιγραφή, "
            "Προϋπολογισθέντα, Διαμορφωθέντα and the phases of execution."
        ),
        widget=forms.ClearableFileInput({"accept": FILE_TYPES}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            (y, str(y)) for y in FiscalYear.objects.values_list("year", flat=True)
        ]

    def clean_as_of(self) -> Any:
        as_of = self.cleaned_data["as_of"]
        if as_of > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return as_of

    def clean_file(self) -> Any:
        return _upload(self.cleaned_data.get("file"))


class DecisionForm(forms.ModelForm):
    """A decision entered by hand: the line is found by its service and KAE code."""

    service = forms.CharField(label=_("Service code"), max_length=10)
    kae = forms.CharField(label=_("KAE code"), max_length=20)

    class Meta:
        model = SpendingDecision
        fields = ("ada", "date", "subject", "amount", "kind")
        widgets = {
            "date": forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
            "subject": forms.Textarea({"rows": 3}),
        }

    def __init__(self, *args: Any, year: FiscalYear, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year = year
        self.fields["ada"].help_text = _("As on Diavgeia, for example Ψ4Ω2ΩΞΑ-8ΑΒ.")
        if self.instance.pk:
            self.initial.setdefault("service", self.instance.line.service.code)
            self.initial.setdefault("kae", self.instance.line.kae.code)

    def clean_ada(self) -> str:
        return str(self.cleaned_data["ada"]).strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        service, kae = data.get("service", "").strip(), data.get("kae", "").strip()
        if service and kae:
            line = BudgetLine.objects.filter(
                year=self.year, service__code=service, kae__code=kae
            ).first()
            if line is None:
                self.add_error(
                    "kae",
                    _("The year %(year)s has no line of service %(service)s and KAE %(kae)s.")
                    % {"year": self.year.year, "service": service, "kae": kae},
                )
            else:
                self.instance.line = line
        return data


class DecisionsFileForm(forms.Form):
    file = forms.FileField(
        label=_("File of decisions (CSV or XLSX)"),
        help_text=_(
            "Columns ΑΔΑ, Ημερομηνία, Θέμα, Ποσό, Υπηρεσία, Κ.Α. and, if you like, Είδος "
            "(ανάληψη υποχρέωσης, ένταλμα πληρωμής or άλλο)."
        ),
        widget=forms.ClearableFileInput({"accept": FILE_TYPES}),
    )

    def clean_file(self) -> Any:
        return _upload(self.cleaned_data.get("file"))
