"""Every form of the site: one error summary at its top linking to each field with an error,
and "(optional)" said once (the field template adds it; a label never carries it)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms

import dimos

SRC = Path(dimos.__file__).resolve().parent
SUMMARY = "includes/error_summary.html"


class _Sample(forms.Form):
    name = forms.CharField(label="Name")
    kind = forms.ChoiceField(
        label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )
    note = forms.CharField(label="Note", required=False)

    def clean(self) -> dict:
        super().clean()
        raise forms.ValidationError("Something about the whole form.")


def _templates() -> list[Path]:
    return sorted(p for p in SRC.rglob("templates/**/*.html") if "allauth" not in p.parts)


def test_the_summary_links_to_each_field_with_an_error() -> None:
    html = str(_Sample(data={}).render())
    summary = html.split('<div class="govgr-error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'href="#id_name"' in summary  # a text box: its input
    assert 'href="#id_kind_0"' in summary  # a radio group: its first choice
    assert "Something about the whole form." in summary  # and the form's own errors
    assert "#id_note" not in summary
    assert html.index("govgr-error-summary") < html.index('id="id_name"')


def test_a_form_without_errors_has_no_summary() -> None:
    assert "govgr-error-summary" not in str(_Sample().render())


def test_every_template_that_lays_out_fields_itself_includes_the_one_summary() -> None:
    """A template that renders fields one by one (not ``{{ form }}``) includes the summary;
    no template writes its own summary of form errors or prints non_field_errors alone."""
    missing, own = [], []
    for path in _templates():
        text = path.read_text()
        if path.name == "error_summary.html":
            continue
        if "as_field_group" in text and SUMMARY not in text:
            # An include of shared fields counts where the including template has it.
            missing.append(str(path.relative_to(SRC)))
        if "non_field_errors" in text or re.search(r"form\.errors\s*%\}", text):
            own.append(str(path.relative_to(SRC)))
    assert not missing, f"lay out fields without {SUMMARY}: {missing}"
    assert not own, f"write their own summary of form errors: {own}"


def _form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages([str(SRC)], prefix="dimos."):
        if module.name.endswith(".forms") or module.name.endswith(".dashboard"):
            importlib.import_module(module.name)
    seen: list[type[forms.BaseForm]] = []
    stack = [forms.BaseForm]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("dimos.") and ".tests." not in sub.__module__:
                seen.append(sub)
    return seen


@pytest.mark.django_db
def test_no_label_says_optional_itself() -> None:
    """The field template writes "(optional)" after an optional field's label: a label that
    says it too reads "… (optional) (optional)"."""
    from django.utils import translation

    doubled = []
    for cls in _form_classes():
        for name, field in getattr(cls, "base_fields", {}).items():
            for language in ("en", "el"):
                with translation.override(language):
                    label = str(field.label or "")
                if re.search(r"optional|προαιρετικ", label, re.IGNORECASE):
                    doubled.append(f"{cls.__module__}.{cls.__name__}.{name}: {label}")
    assert not doubled, doubled
