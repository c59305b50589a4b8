"""The volunteer's states through the workflow kit: moves, refusals, reasons, history, mail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from dimos.core.models import AuditEntry
from dimos.volunteers import selectors, services
from dimos.volunteers.models import (
    CodeOfConduct,
    ConductAcceptance,
    Status,
    Volunteer,
    VolunteerHours,
    slot_bit,
)
from dimos.volunteers.tests.conftest import profile

pytestmark = pytest.mark.django_db


def test_applying_records_the_profile_the_conduct_version_and_tells_the_person(
    citizen: Any, skills: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        volunteer = services.apply_to_volunteer(
            user=citizen, profile=profile(skills), conduct_version=1
        )
    assert volunteer.status == Status.APPLIED
    assert set(volunteer.skills.values_list("code", flat=True)) == {"shopping", "driving"}
    assert volunteer.availability == slot_bit(1, 0) | slot_bit(3, 2)
    assert volunteer.conduct is not None and volunteer.conduct.version == 1
    assert ConductAcceptance.objects.filter(volunteer=volunteer).count() == 1
    assert AuditEntry.objects.filter(action="volunteer.applied").count() == 1
    assert [m.to for m in mail.outbox] == [[citizen.email]]


def test_applying_twice_is_refused(applicant: Any, citizen: Any, skills: Any) -> None:
    with pytest.raises(services.VolunteerError):
        services.apply_to_volunteer(user=citizen, profile=profile(skills), conduct_version=1)
    assert Volunteer.objects.count() == 1


def test_an_outdated_conduct_version_is_refused(citizen: Any, skills: Any) -> None:
    CodeOfConduct.objects.create(version=2, text_el="Νέος", published_at=timezone.now())
    with pytest.raises(services.VolunteerError):
        services.apply_to_volunteer(user=citizen, profile=profile(skills), conduct_version=1)
    assert not Volunteer.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [{"phone": "12"}, {"skills": []}, {"districts": []}, {"availability": 0}, {"languages": []}],
)
def test_an_unusable_profile_is_refused(citizen: Any, skills: Any, changes: dict[str, Any]) -> None:
    with pytest.raises(services.VolunteerError):
        services.apply_to_volunteer(
            user=citizen, profile=profile(skills, **changes), conduct_version=1
        )
    assert not Volunteer.objects.exists()


def test_approval_needs_the_identity_checked(applicant: Any, coordinator: Any) -> None:
    with pytest.raises(services.VolunteerError, match="identity"):
        services.approve(volunteer=applicant, actor=coordinator)
    applicant.refresh_from_db()
    assert applicant.status == Status.APPLIED


def test_a_coordinator_approves_and_the_volunteer_is_told(
    applicant: Any, coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    services.record_identity_check(
        volunteer=applicant, method="id_document", notes="", actor=coordinator
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        volunteer = services.approve(volunteer=applicant, actor=coordinator)
    assert volunteer.status == Status.APPROVED and volunteer.approved_at is not None
    assert volunteer.identity_checked_by == coordinator
    assert "Approved" in mail.outbox[0].subject
    assert volunteer.events.filter(kind="status", status=Status.APPROVED).exists()
    assert AuditEntry.objects.filter(action="volunteer.approved").exists()


def test_a_resident_cannot_approve(applicant: Any, other_citizen: Any) -> None:
    with pytest.raises(services.VolunteerError, match="permission"):
        services.approve(volunteer=applicant, actor=other_citizen)
    with pytest.raises(services.VolunteerError, match="permission"):
        services.record_identity_check(
            volunteer=applicant, method="known", notes="", actor=other_citizen
        )


def test_rejection_needs_a_reason_and_is_final_until_they_apply_again(
    applicant: Any, coordinator: Any, citizen: Any, skills: Any
) -> None:
    with pytest.raises(services.VolunteerError, match="reason"):
        services.reject(volunteer=applicant, reason=" ", actor=coordinator)
    rejected = services.reject(volunteer=applicant, reason="No answer", actor=coordinator)
    assert rejected.status == Status.REJECTED and rejected.status_reason == "No answer"
    with pytest.raises(services.VolunteerError):
        services.approve(volunteer=rejected, actor=coordinator)
    again = services.apply_to_volunteer(user=citizen, profile=profile(skills), conduct_version=1)
    assert again.pk == rejected.pk and again.status == Status.APPLIED
    assert again.identity_checked_at is None and again.status_reason == ""


def test_the_volunteer_pauses_and_resumes_themself(approved: Any, citizen: Any) -> None:
    paused = services.pause(volunteer=approved, reason="Holidays", actor=citizen)
    assert paused.status == Status.PAUSED
    assert services.resume(volunteer=paused, actor=citizen).status == Status.APPROVED


def test_another_resident_cannot_pause_a_volunteer(approved: Any, other_citizen: Any) -> None:
    with pytest.raises(services.VolunteerError, match="permission"):
        services.pause(volunteer=approved, reason="x", actor=other_citizen)


def test_retiring_is_possible_from_any_current_state_and_ends_it(
    approved: Any, coordinator: Any
) -> None:
    retired = services.retire(volunteer=approved, reason="Moved away", actor=coordinator)
    assert retired.status == Status.RETIRED and retired.closed_at is not None
    for step in (services.resume, services.approve):
        with pytest.raises(services.VolunteerError):
            step(volunteer=retired, actor=coordinator)


def test_a_new_code_of_conduct_must_be_accepted_again(
    approved: Any, citizen: Any, coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    draft = CodeOfConduct.objects.create(version=2, text_el="Νέος κώδικας", text_en="New code")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_conduct(conduct=draft, actor=coordinator)
    assert mail.outbox and "code of conduct" in mail.outbox[0].subject
    assert services.needs_conduct(approved) == draft
    paused = services.pause(volunteer=approved, reason="x", actor=citizen)
    with pytest.raises(services.VolunteerError, match="code of conduct"):
        services.resume(volunteer=paused, actor=citizen)
    services.accept_conduct(volunteer=paused, conduct_version=2, actor=citizen)
    paused.refresh_from_db()
    assert services.needs_conduct(paused) is None
    assert list(
        ConductAcceptance.objects.filter(volunteer=paused).values_list(
            "conduct__version", flat=True
        )
    ) == [1, 2]
    assert services.resume(volunteer=paused, actor=citizen).status == Status.APPROVED


def test_hours_are_logged_only_when_approved_and_not_in_the_future(
    applicant: Any, coordinator: Any, citizen: Any
) -> None:
    today = timezone.localdate()
    with pytest.raises(services.VolunteerError):
        services.log_hours(
            volunteer=applicant, date=today, hours=Decimal(2), description="x", actor=citizen
        )
    services.record_identity_check(volunteer=applicant, method="known", notes="", actor=coordinator)
    volunteer = services.approve(volunteer=applicant, actor=coordinator)
    with pytest.raises(services.VolunteerError):
        services.log_hours(
            volunteer=volunteer,
            date=today + dt.timedelta(days=1),
            hours=Decimal(2),
            description="x",
            actor=citizen,
        )
    with pytest.raises(services.VolunteerError):
        services.log_hours(
            volunteer=volunteer, date=today, hours=Decimal(25), description="x", actor=citizen
        )
    services.log_hours(
        volunteer=volunteer, date=today, hours=Decimal("2.5"), description="Shopping", actor=citizen
    )
    assert selectors.hours_total(volunteer) == Decimal("2.5")


def test_the_database_refuses_impossible_hours(approved: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        VolunteerHours.objects.create(
            volunteer=approved, date=timezone.localdate(), hours=Decimal(30), description="x"
        )


def test_relief_can_find_who_is_free_in_a_slot(approved: Any, skills: Any) -> None:
    district = approved.districts.get()
    assert list(selectors.available(district=district, day=1, period=0)) == [approved]
    assert not selectors.available(district=district, day=1, period=1).exists()
    assert not selectors.available(skill=skills["teaching"]).exists()


def test_images_lose_their_exif(approved: Any, coordinator: Any) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    assert b"SecretCam" in out.getvalue()
    checked = services.check_document(SimpleUploadedFile("id.jpg", out.getvalue()))
    assert checked.content_type == "image/jpeg" and b"SecretCam" not in checked.content
    item = services.add_document(
        volunteer=approved, label="Licence", document=checked, actor=coordinator
    )
    assert item.file.read().startswith(b"\xff\xd8\xff")


@pytest.mark.parametrize("content", [b"", b"MZ\x90\x00 not a document", b"<svg></svg>"])
def test_documents_are_checked_by_content(content: bytes) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(services.VolunteerError):
        services.check_document(SimpleUploadedFile("id.pdf", content))


def test_documents_are_size_bounded(settings: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DIMOS_VOLUNTEERS_UPLOAD_MAX_BYTES = 100
    with pytest.raises(services.VolunteerError, match="larger"):
        services.check_document(SimpleUploadedFile("id.pdf", b"%PDF-" + b"x" * 200))
