"""Coordinators keep the records right: correcting a beneficiary (audited by field names, the
consent recorded again as a new version), finding the same person twice and merging them in
one transaction (same-day requests joined by the rules of asking twice; nothing half-written
on a refusal)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dimos.core.audit import AuditEntry
from dimos.relief import consent, selectors, services
from dimos.relief.models import Beneficiary, Need, ReliefRequest, Status
from dimos.relief.tests.conftest import INSIDE, OUTSIDE, ask, mother, shopping, tomorrow
from dimos.testing.personas import login

pytestmark = pytest.mark.django_db


def _twice(coordinator: Any, **second: Any) -> tuple[Beneficiary, Beneficiary]:
    """The mother asked for online by her daughter, and again by phone with a typo."""
    first = ask(coordinator, channel="phone").request.beneficiary
    changes = {"full_name": "Ευανθια Ρεσιντεντ", "phone": "+30 6944 111222"}
    changes.update(second)
    other = ask(
        coordinator,
        channel="phone",
        person=mother(**changes),
        needs=shopping(),
        day=tomorrow() + dt.timedelta(days=1),
    ).request.beneficiary
    return first, other


# --- Correcting a record ---------------------------------------------------------------------


def test_a_coordinator_corrects_the_record_audited_by_field_names(
    asked: Any, coordinator: Any
) -> None:
    beneficiary = asked.beneficiary
    changed = services.update_beneficiary(
        beneficiary=beneficiary,
        person=mother(phone="6944 999 000", access_notes="Ring once", lat=INSIDE[0] + 0.001),
        actor=coordinator,
    )
    assert changed == ["lat", "phone", "access_notes"]
    entry = AuditEntry.objects.get(action="relief.beneficiary_changed")
    assert entry.details == {"fields": ["lat", "phone", "access_notes"]}
    assert "6944" not in str(entry.details) and "Ring" not in str(entry.details)
    beneficiary.refresh_from_db()
    assert beneficiary.phone == "6944 999 000" and beneficiary.district is not None
    assert beneficiary.consent_version == asked.beneficiary.consent_version
    # Nothing changed: nothing written, nothing audited.
    again = services.update_beneficiary(
        beneficiary=beneficiary,
        person=mother(phone="6944 999 000", access_notes="Ring once", lat=INSIDE[0] + 0.001),
        actor=coordinator,
    )
    assert (
        again == [] and AuditEntry.objects.filter(action="relief.beneficiary_changed").count() == 1
    )


def test_the_consent_given_again_is_a_new_version_with_who_and_how(
    asked: Any, coordinator: Any
) -> None:
    Beneficiary.objects.update(consent_version=1, consent_at=timezone.now() - dt.timedelta(days=9))
    services.update_beneficiary(
        beneficiary=asked.beneficiary, person=mother(), actor=coordinator, consent_method="phone"
    )
    beneficiary = Beneficiary.objects.get()
    assert beneficiary.consent_version == consent.CURRENT == 2
    assert beneficiary.consent_method == "phone" and beneficiary.consent_recorded_by == coordinator
    assert beneficiary.consent_at > timezone.now() - dt.timedelta(minutes=1)
    entry = AuditEntry.objects.get(action="relief.consent_recorded")
    assert entry.details == {"version": 2, "method": "phone"}


def test_a_point_outside_or_a_non_coordinator_is_refused(
    asked: Any, coordinator: Any, courier: Any
) -> None:
    with pytest.raises(services.ReliefError) as outside:
        services.update_beneficiary(
            beneficiary=asked.beneficiary,
            person=mother(lat=OUTSIDE[0], lon=OUTSIDE[1]),
            actor=coordinator,
        )
    assert outside.value.code == "outside"
    with pytest.raises(services.ReliefError):
        services.update_beneficiary(beneficiary=asked.beneficiary, person=mother(), actor=courier)
    assert Beneficiary.objects.get().lat == INSIDE[0]


# --- Finding the same person twice ------------------------------------------------------------


def test_the_same_person_is_found_by_phone_or_by_a_similar_name_nearby(
    coordinator: Any, municipality: Any
) -> None:
    first, other = _twice(coordinator)
    assert selectors.phone_key("+30 6944 111222") == selectors.phone_key("6944111222")
    assert selectors.why_alike(first, other) == "phone"
    assert [(b.pk, why) for b, why in selectors.duplicate_candidates(first)] == [
        (other.pk, "phone")
    ]
    # No phone, the name without accents, 20 m away: alike by name and place.
    Beneficiary.objects.filter(pk=other.pk).update(phone="", lat=INSIDE[0] + 0.00018)
    other.refresh_from_db()
    assert selectors.why_alike(first, other) == "name and place"
    pairs = selectors.likely_duplicates()
    assert [(a.pk, b.pk, why) for a, b, why in pairs] == [(first.pk, other.pk, "name and place")]
    # Someone else at the same address is not the same person.
    Beneficiary.objects.filter(pk=other.pk).update(full_name="Γεώργιος Άλλος")
    other.refresh_from_db()
    assert selectors.why_alike(first, other) == ""
    assert selectors.likely_duplicates() == []


# --- Merging -------------------------------------------------------------------------------------


def test_merging_moves_requests_keeps_the_newest_and_erases_the_duplicate(
    coordinator: Any, municipality: Any
) -> None:
    first, other = _twice(coordinator)
    now = timezone.now()
    Beneficiary.objects.filter(pk=other.pk).update(
        consent_at=now + dt.timedelta(minutes=5),
        consent_method="online",
        last_help_at=now - dt.timedelta(days=3),
        access_notes="",
    )
    Beneficiary.objects.filter(pk=first.pk).update(access_notes="", phone="")
    merged = services.merge_beneficiaries(keep=first, drop=other, actor=coordinator)
    assert merged.moved == 1 and merged.joined == []
    first.refresh_from_db()
    other.refresh_from_db()
    assert ReliefRequest.objects.filter(beneficiary=first).count() == 2
    assert first.consent_method == "online"  # the newest consent
    assert first.last_help_at == now - dt.timedelta(days=3)
    assert first.phone == "+30 6944 111222"  # a blank filled from the duplicate
    assert other.erased_at is not None and other.merged_into == first
    assert (other.full_name, other.address, other.phone, other.lat) == ("", "", "", None)
    entry = AuditEntry.objects.get(action="relief.beneficiaries_merged")
    assert entry.details == {"merged": other.pk, "requests": 1, "joined": []}


def test_two_requests_of_the_same_day_become_one_by_the_rules_of_asking_twice(
    coordinator: Any, municipality: Any
) -> None:
    first, other = _twice(coordinator)
    theirs = ReliefRequest.objects.get(beneficiary=other)
    ReliefRequest.objects.filter(pk=theirs.pk).update(day=tomorrow())
    mine = ReliefRequest.objects.get(beneficiary=first)
    services.merge_beneficiaries(keep=first, drop=other, actor=coordinator)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert sorted(mine.needs.values_list("kind", flat=True)) == ["medicine", "shopping"]
    assert theirs.status == Status.DECLINED and mine.reference in theirs.status_reason
    assert theirs.beneficiary_id == first.pk and theirs.needs.count() == 0
    assert mine.events.filter(kind="merged").exists()


def test_a_merge_that_cannot_join_the_days_writes_nothing(
    coordinator: Any, courier: Any, municipality: Any
) -> None:
    first, other = _twice(coordinator)
    theirs = ReliefRequest.objects.get(beneficiary=other)
    mine = ReliefRequest.objects.get(beneficiary=first)
    ReliefRequest.objects.filter(pk=theirs.pk).update(day=tomorrow())
    for req in (mine, theirs):
        services.accept(req=req, actor=coordinator)
        services.schedule(req=req, actor=coordinator, courier=courier)
    with pytest.raises(services.ReliefError) as refused:
        services.merge_beneficiaries(keep=first, drop=other, actor=coordinator)
    assert refused.value.code == "duplicate"
    assert mine.reference in str(refused.value.message)
    other.refresh_from_db()
    assert other.erased_at is None and other.full_name
    assert ReliefRequest.objects.filter(beneficiary=other).count() == 1
    assert Need.objects.filter(request=theirs).count() == 1
    assert not AuditEntry.objects.filter(action="relief.beneficiaries_merged").exists()


def test_only_coordinators_merge_and_never_a_record_with_itself(
    coordinator: Any, courier: Any, municipality: Any
) -> None:
    first, other = _twice(coordinator)
    with pytest.raises(services.ReliefError):
        services.merge_beneficiaries(keep=first, drop=other, actor=courier)
    with pytest.raises(services.ReliefError):
        services.merge_beneficiaries(keep=first, drop=first, actor=coordinator)
    assert Beneficiary.objects.filter(erased_at__isnull=True).count() == 2


# --- Pages ---------------------------------------------------------------------------------------


def test_the_pages_show_edit_and_merge_for_coordinators_only(
    coordinator: Any, coordinator_client: Client, courier: Any, citizen: Any, municipality: Any
) -> None:
    first, other = _twice(coordinator)
    listing = coordinator_client.get("/staff/relief/people/")
    assert listing.status_code == 200
    assert f"/staff/relief/people/{first.pk}/merge/{other.pk}/" in listing.content.decode()
    assert AuditEntry.objects.filter(action="relief.beneficiaries_listed").exists()
    page = coordinator_client.get(f"/staff/relief/people/{first.pk}/").content.decode()
    assert "This may be the same person as" in page and "the same phone" in page
    assert AuditEntry.objects.filter(action="relief.beneficiary_viewed", target_id=str(first.pk))
    for outsider in (login(courier), login(citizen)):
        for url in (
            "/staff/relief/people/",
            f"/staff/relief/people/{first.pk}/",
            f"/staff/relief/people/{first.pk}/edit/",
            f"/staff/relief/people/{first.pk}/merge/{other.pk}/",
        ):
            assert outsider.get(url).status_code in (302, 403), url
    assert (
        coordinator_client.get(f"/staff/relief/people/{first.pk}/merge/{first.pk}/").status_code
        == 404
    )
    assert coordinator_client.get("/staff/relief/people/999999/").status_code == 404


def _edit_form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "full_name": "Ευανθία Ρεσιντέντ",
        "address": "Μεραρχίας 42, Σέρρες",
        "lat": INSIDE[0],
        "lon": INSIDE[1],
        "district": "",
        "phone": "6944 111 222",
        "household_size": 2,
        "vulnerabilities": ["65plus"],
        "language": "el",
        "access_notes": "",
        "consent_again": "",
    }
    data.update(changes)
    return data


def test_the_edit_page_saves_and_bad_input_gets_field_errors(
    asked: Any, coordinator_client: Client
) -> None:
    url = f"/staff/relief/people/{asked.beneficiary.pk}/edit/"
    form = coordinator_client.get(url).content.decode()
    assert 'id="relief-map"' in form and "Consent given again" in form
    bad = coordinator_client.post(url, _edit_form(household_size=40, lat="north", phone=""))
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "Ensure this value is less than or equal to 20." in text and "Enter a number." in text
    outside = coordinator_client.post(url, _edit_form(lat=OUTSIDE[0], lon=OUTSIDE[1]))
    assert outside.status_code == 400 and "outside the municipality" in outside.content.decode()
    saved = coordinator_client.post(url, _edit_form(consent_again="phone"))
    assert saved.status_code == 302
    beneficiary = Beneficiary.objects.get()
    assert beneficiary.address == "Μεραρχίας 42, Σέρρες" and beneficiary.household_size == 2
    assert beneficiary.consent_method == "phone"
    fields = AuditEntry.objects.get(action="relief.beneficiary_changed").details["fields"]
    assert set(fields) == {"address", "household_size", "vulnerabilities", "access_notes"}


def test_the_merge_screen_merges_into_the_record_chosen(
    coordinator: Any, coordinator_client: Client, municipality: Any
) -> None:
    first, other = _twice(coordinator)
    url = f"/staff/relief/people/{first.pk}/merge/{other.pk}/"
    page = coordinator_client.get(url).content.decode()
    assert "Record 1" in page and "Record 2" in page and "the same phone" in page
    assert coordinator_client.post(url, {"keep": "12345"}).status_code == 400
    done = coordinator_client.post(url, {"keep": str(other.pk)})
    assert done.status_code == 302 and done["Location"] == f"/staff/relief/people/{other.pk}/"
    first.refresh_from_db()
    assert first.erased_at is not None and first.merged_into_id == other.pk
    assert ReliefRequest.objects.filter(beneficiary=other).count() == 2


def test_a_correction_and_a_merge_reach_the_visit_still_to_make(
    scheduled: Any, coordinator: Any, courier: Any
) -> None:
    """The courier's sheet follows the record: a corrected address or phone reaches the
    delivery planned, audited by field names; a visit already made keeps what it was."""
    req, _code = scheduled
    services.update_beneficiary(
        beneficiary=req.beneficiary,
        person=mother(address="Μεραρχίας 42, Σέρρες", phone="6944 999 000"),
        actor=coordinator,
    )
    req.refresh_from_db()
    delivery = req.delivery
    assert delivery.address == "Μεραρχίας 42, Σέρρες" and delivery.phone == "6944 999 000"
    entry = AuditEntry.objects.get(action="delivery.recipient_changed")
    assert entry.details == {"fields": ["address", "phone"]}
    # The same person recorded a second time and merged into this record: the kept record's
    # details are the ones on the visit (a record merged away leaves its visits the kept one's).
    other = ask(
        coordinator,
        channel="phone",
        person=mother(full_name="Ευανθια Ρεσιντεντ", phone="6944 999 000"),
        needs=shopping(),
        day=tomorrow() + dt.timedelta(days=1),
    ).request.beneficiary
    services.merge_beneficiaries(keep=other, drop=req.beneficiary, actor=coordinator)
    delivery.refresh_from_db()
    assert delivery.recipient_name == "Ευανθια Ρεσιντεντ"
    # Delivered: a later correction leaves the visit as it was made.
    services.complete_with_code(req=ReliefRequest.objects.get(pk=req.pk), code=_code, actor=courier)
    services.update_beneficiary(
        beneficiary=other, person=mother(full_name="Ευανθία Άλλη"), actor=coordinator
    )
    delivery.refresh_from_db()
    assert delivery.recipient_name == "Ευανθια Ρεσιντεντ"
