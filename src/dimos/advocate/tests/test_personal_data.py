"""A complainant's data: exported with their files, erased on account deletion (the case stays,
anonymised, for the figures), complaints filed by email before logging in included."""

from __future__ import annotations

from typing import Any

import pytest

from dimos.advocate import personal_data, services
from dimos.advocate.models import Complaint, Message
from dimos.advocate.tests.conftest import file_complaint, pdf_file

pytestmark = pytest.mark.django_db


def test_export_and_erase(bodies: dict[str, Any], citizen: Any, office: Any) -> None:
    mine = file_complaint(
        bodies, user=citizen, attachments=[services.check_attachment(pdf_file("mine.pdf"))]
    )
    by_email = file_complaint(bodies, email=citizen.email.upper(), description="Before login")
    services.confirm_email(token=by_email.token)
    services.admit(complaint=mine, actor=office)
    services.ask_complainant(complaint=mine, text="More, please.", actor=office)
    services.reply(complaint=mine, text="My phone is 6944000111", user=citizen)
    exported = personal_data.export_for(citizen)
    assert exported is not None and len(exported) == 2
    assert any("6944000111" in m["text"] for c in exported for m in c["messages"])
    files = list(personal_data.files_for(citizen))
    assert len(files) == 1 and files[0].read().startswith(b"%PDF")
    stored = mine.attachments.get().file.name

    personal_data.erase_for(citizen)
    for complaint in Complaint.objects.all():
        assert complaint.erased_at and complaint.name == "—" and complaint.email == ""
        assert complaint.user is None and complaint.tax_number == ""
    assert not Message.objects.exclude(text="—").exists()
    assert not mine.attachments.exists()
    from dimos.core.storage import private_storage

    assert not private_storage().exists(stored)
    assert personal_data.export_for(citizen) is None
    # The case still counts.
    assert Complaint.objects.get(pk=mine.pk).status == "admitted"
