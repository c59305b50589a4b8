"""Every PDF the system produces, read back as text: no detail is blank, labels are labels.

Each certificate type of the demo data is requested through the resident's form with only
what the form requires, issued in Greek and in English, and its text extracted with poppler's
``pdftotext``. The PDFs are kept under ``test-artifacts/pdfs/`` for a person to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import translation

from dimos.certificates import services
from dimos.certificates.demo import TYPES
from dimos.certificates.forms import RequestForm
from dimos.certificates.models import CertificateRequest, CertificateType
from dimos.testing.browser import ARTIFACTS

pytestmark = pytest.mark.django_db

PDFS = ARTIFACTS / "pdfs"
# What a blank leaves in a sentence: "(πατρώνυμο: )", "διεύθυνση , εντός", "για: .", "${…}".
BLANK_MARKS = re.compile(r"\$\{|\$\w|:\s*[),.;]|\(\s*\)|\(\s|\s[,.;)]")


def pdf_text(pdf: bytes, path: Path) -> str:
    """The text of a PDF as poppler reads it (the PDF is kept at ``path``)."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed: .ci/run installs it")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        timeout=30,
    )
    return out.stdout.decode()


def assert_no_blanks(text: str, values: list[str]) -> None:
    """Every value is printed, and nothing in the text reads like a placeholder left empty."""
    flat = " ".join(text.split())
    for value in values:
        assert " ".join(value.split()) in flat, f"{value!r} is not printed:\n{text}"
    blanks = [line for line in text.splitlines() if BLANK_MARKS.search(line) and "http" not in line]
    assert not blanks, "blank details:\n" + "\n".join(blanks)


def _value(name: str, field: forms.Field) -> str:
    """An answer a resident might type, valid for the field."""
    if isinstance(field, forms.DateField):
        return "1961-03-14"
    if isinstance(field, forms.IntegerField):
        return "25"
    if isinstance(field, forms.ChoiceField):
        choices: Any = field.choices
        return next(str(value) for value, _ in choices if value)
    return {
        "holder_name": "Μαρία Παπαδοπούλου",
        "holder_father_name": "Νικόλαος",
        "holder_address": "Μεραρχίας 12, Σέρρες",
        "f_tax_number": "123456789",
        "f_mother_name": "Ελένη",
    }.get(name, "Θεσσαλονίκη")


def only_required(ctype: CertificateType) -> dict[str, str]:
    """The form filled in with what it requires and nothing else, for oneself."""
    form = RequestForm(certificate_type=ctype)
    data = {"requester": "self"}
    for name, field in form.fields.items():
        if field.required and name != "requester":
            data[name] = _value(name, field)
    return data


@pytest.mark.parametrize("language", ["el", "en"])
@pytest.mark.parametrize("code", [spec["code"] for spec in TYPES])
def test_every_demo_certificate_prints_every_detail_it_needs(
    code: str,
    language: str,
    types: dict[str, CertificateType],
    resident: Any,
    resident_client: Client,
    issuer: Any,
    municipality: Any,
) -> None:
    ctype = types[code]
    data = only_required(ctype)
    response = resident_client.post(reverse("certificates:new", args=[code]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    req = CertificateRequest.objects.get()
    assert req.missing_fields() == []
    document = services.issue(req=req, actor=issuer, language=language)
    with document.pdf.open("rb") as handle:
        text = pdf_text(handle.read(), PDFS / f"{code}-{language}.pdf")
    with translation.override(language):
        labels = [ctype.document_label(key) for key in ctype.needed_fields()]
        values = [req.value_of(key) for key in ctype.needed_fields()]
        questions = [str(spec.get(f"label_{language}") or "") for spec in ctype.fields]
    assert_no_blanks(text, labels + values)
    # The document prints labels, never the form's questions.
    flat = " ".join(text.split())
    for question in questions:
        if question not in labels:
            assert question not in flat, f"the question {question!r} is printed as a label"


def test_the_demo_requests_issued_pdf_has_no_blank(municipality: Any, tmp_path: Path) -> None:
    from dimos.accounts.demo import seed_accounts
    from dimos.certificates.demo import DEMO_CODE, seed_requests
    from dimos.certificates.models import IssuedDocument

    seed_accounts()
    seed_requests()
    document = IssuedDocument.objects.get(code=DEMO_CODE)
    with document.pdf.open("rb") as handle:
        text = pdf_text(handle.read(), PDFS / "demo-issued.pdf")
    assert_no_blanks(text, [document.request.holder_father_name, document.request.holder_address])


def test_the_blank_check_catches_what_residents_saw() -> None:
    seen = (
        "Ο Δήμος Σερρών βεβαιώνει ότι η Μαρία (πατρώνυμο: ) κατοικεί μόνιμα στη διεύθυνση , εντός"
    )
    with pytest.raises(AssertionError, match="blank details"):
        assert_no_blanks(seen, [])
    with pytest.raises(AssertionError, match="blank details"):
        assert_no_blanks("Το πιστοποιητικό χορηγείται για: .", [])
    assert_no_blanks("Ο Δήμος Σερρών βεβαιώνει ότι η Μαρία (πατρώνυμο: Νικόλαος) κατοικεί.", [])
