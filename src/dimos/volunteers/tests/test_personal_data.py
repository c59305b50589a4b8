"""What volunteers holds about a person is in their download and gone after erasure."""

from __future__ import annotations

import io
import json
import os
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dimos.accounts import services as accounts
from dimos.core.models import AuditEntry
from dimos.volunteers import services
from dimos.volunteers.models import ConductAcceptance, Volunteer, VolunteerEvent, VolunteerHours

pytestmark = pytest.mark.django_db


@pytest.fixture
def vetted(approved: Any, coordinator: Any, citizen: Any) -> Any:
    services.add_document(
        volunteer=approved,
        label="Licence",
        document=services.check_document(SimpleUploadedFile("l.pdf", b"%PDF-1.4 licence")),
        actor=coordinator,
    )
    services.log_hours(
        volunteer=approved,
        date=timezone.localdate(),
        hours=Decimal("3"),
        description="Medicine for a neighbour",
        actor=citizen,
    )
    return approved


def test_the_download_holds_the_profile_hours_and_documents(vetted: Any, citizen: Any) -> None:
    archive = zipfile.ZipFile(io.BytesIO(accounts.export_archive(user=citizen)))
    data = json.loads(archive.read("data.json"))["volunteers"]
    assert data["phone"] == "6944 555 123"
    assert data["hours"][0]["what"] == "Medicine for a neighbour"
    assert data["code_of_conduct"][0]["version"] == 1
    assert archive.read(data["documents"][0]["file"]).startswith(b"%PDF")


def test_erasure_removes_the_volunteer_and_their_files(vetted: Any, citizen: Any) -> None:
    path = vetted.documents.get().file.path
    accounts.erase_account(user=citizen)
    assert not Volunteer.objects.exists()
    assert not VolunteerHours.objects.exists() and not VolunteerEvent.objects.exists()
    assert not ConductAcceptance.objects.exists()
    assert not os.path.exists(path)
    assert AuditEntry.objects.filter(action="volunteer.approved").exists()
