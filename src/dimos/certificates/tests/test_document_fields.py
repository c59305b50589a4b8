"""A certificate type declares the details its document needs: the form asks for them (or
takes them from the account), a request without one cannot be issued, the clerk asks the
resident for it and the resident's answer fills it in."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from dimos.certificates import services
from dimos.certificates.models import CertificateRequest, CertificateType, Status
from dimos.certificates.tests.conftest import make_request

pytestmark = pytest.mark.django_db


def test_the_form_requires_what_the_document_prints(
    resident_client: Client, residence: CertificateType
) -> None:
    response = resident_client.post(
        reverse("certificates:new", args=[residence.code]),
        {"requester": "self", "holder_name": "Alice Resident", "f_years": "12"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"holder_father_name", "holder_address"}
    assert not CertificateRequest.objects.exists()


def test_a_request_without_a_needed_detail_cannot_be_issued(
    residence: CertificateType, resident: Any, issuer: Any
) -> None:
    req = make_request(residence, resident, holder_father_name="", holder_address="")
    with pytest.raises(services.IncompleteRequest) as refused:
        services.issue(req=req, actor=issuer)
    assert refused.value.missing == ["Father's name", "Address"]
    req.refresh_from_db()
    assert req.status == Status.NEW and not req.documents.exists()


def test_the_staff_page_says_what_is_missing_and_asks_the_resident(
    residence: CertificateType, resident: Any, issuer: Any, issuer_client: Client
) -> None:
    req = make_request(residence, resident, holder_father_name="")
    page = issuer_client.get(reverse("certificates_staff:detail", args=[req.pk]))
    html = page.content.decode()
    assert 'id="missing-details"' in html and "Father&#x27;s name" in html
    assert "Issue the signed certificate" not in html
    # The question to the resident is written for the clerk, ready to send.
    assert page.context["info_form"].initial["message"] == (
        "The certificate needs these details, which your request lacks: Father's name."
    )
    response = issuer_client.post(
        reverse("certificates_staff:act", args=[req.pk, "issue"]), {"language": "el"}
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == Status.NEW


def test_the_residents_answer_fills_in_the_missing_details(
    residence: CertificateType, resident: Any, resident_client: Client, issuer: Any
) -> None:
    req = make_request(residence, resident, holder_father_name="", data={})
    services.ask_for_information(req=req, message="Your father's name, please.", actor=issuer)
    page = resident_client.get(reverse("certificates:detail", args=[req.pk]))
    form = page.context["reply_form"]
    assert list(form.fields) == ["holder_father_name", "f_years", "message", "document"]
    assert form.fields["holder_father_name"].required
    response = resident_client.post(
        reverse("certificates:reply", args=[req.pk]),
        {"holder_father_name": "Nikos", "f_years": "30"},
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == Status.REVIEW
    assert req.holder_father_name == "Nikos" and req.data["years"] == 30
    assert req.missing_fields() == []
    assert services.issue(req=req, actor=issuer).pk


def test_the_reply_form_needs_the_missing_details(
    residence: CertificateType, resident: Any, resident_client: Client, issuer: Any
) -> None:
    req = make_request(residence, resident, holder_address="")
    services.ask_for_information(req=req, message="Your address, please.", actor=issuer)
    response = resident_client.post(
        reverse("certificates:reply", args=[req.pk]), {"message": "Here it is."}
    )
    assert response.status_code == 400
    assert "holder_address" in response.context["reply_form"].errors


def test_the_pdf_prints_document_labels_not_the_questions(
    residence: CertificateType, resident: Any
) -> None:
    req = make_request(residence, resident, data={"years": 12, "purpose": "school"})
    rows = dict(services.document_fields(req))
    assert rows["Years of residence in the municipality"] == "12"
    question = residence.question("years")
    assert question is not None and question["label_en"] not in rows
    # The purpose is asked but not printed by this type.
    assert "school" not in rows.values()


def test_a_type_whose_text_uses_an_undeclared_detail_is_refused(
    residence: CertificateType,
) -> None:
    residence.document_fields = ["holder_father_name", "years"]
    with pytest.raises(ValidationError) as refused:
        residence.full_clean()
    assert "holder_address" in str(refused.value.message_dict["template_el"])
    residence.document_fields = ["holder_father_name", "holder_address", "years", "purpose"]
    residence.fields = [
        {k: v for k, v in spec.items() if not k.startswith("document_label")}
        for spec in residence.fields
    ]
    with pytest.raises(ValidationError) as refused:
        residence.full_clean()
    assert "document_label_el" in str(refused.value.message_dict["fields"])
    residence.document_fields = ["holder_shoe_size"]
    with pytest.raises(ValidationError) as refused:
        residence.full_clean()
    assert "holder_shoe_size" in str(refused.value.message_dict["document_fields"])


def test_every_demo_type_is_consistent(types: dict[str, CertificateType]) -> None:
    for ctype in types.values():
        ctype.full_clean()


def test_the_admin_edits_the_details_a_document_needs(
    admin_client: Client, residence: CertificateType
) -> None:
    url = reverse("admin:certificates_certificatetype_change", args=[residence.pk])
    page = admin_client.get(url)
    assert page.status_code == 200 and 'name="document_fields"' in page.content.decode()


def test_the_form_takes_the_persons_details_from_the_eid_login(
    resident: Any, resident_client: Client, residence: CertificateType, settings: Any
) -> None:
    from allauth.socialaccount.models import SocialAccount

    settings.DIMOS_OIDC_VERIFIED_PROVIDERS = ["eid"]
    resident.first_name, resident.last_name = "Maria", "Papadopoulou"
    resident.address = ""
    resident.save()
    SocialAccount.objects.create(
        user=resident,
        provider="eid",
        uid="GR-1",
        extra_data={
            "userinfo": {
                "fathername": "Nikolaos",
                "birthdate": "1961-03-14",
                "address": {"formatted": "Merarchias 12, Serres"},
            }
        },
    )
    page = resident_client.get(reverse("certificates:new", args=[residence.code]))
    form = page.context["form"]
    assert form.initial == {
        "holder_name": "Maria Papadopoulou",
        "holder_father_name": "Nikolaos",
        "holder_birth_date": dt.date(1961, 3, 14),
        "holder_address": "Merarchias 12, Serres",
    }
    html = page.content.decode()
    assert 'value="Nikolaos"' in html and "Filled in from your account" in html


def test_the_form_takes_the_address_from_the_profile_without_eid(
    resident: Any, resident_client: Client, residence: CertificateType
) -> None:
    resident.address = "Merarchias 12, Serres"
    resident.save()
    page = resident_client.get(reverse("certificates:new", args=[residence.code]))
    assert page.context["form"].initial["holder_address"] == "Merarchias 12, Serres"
    assert "holder_father_name" not in page.context["form"].initial


def test_the_migration_declares_what_earlier_types_print(db: Any) -> None:
    """Types made before document_fields: their texts' placeholders become needed details,
    and the demo questions get the labels their documents print."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("dimos.certificates.migrations.0004_document_fields_from_templates")
    old = CertificateType.objects.create(
        code="old-residence",
        name_el="Βεβαίωση",
        fields=[
            {"name": "years", "label_el": "Έτη κατοικίας στον δήμο", "type": "number"},
            {"name": "note", "label_el": "Σημείωση", "type": "text"},
        ],
        template_el="Ο ${municipality} βεβαιώνει ότι ο/η ${holder_name} (πατρώνυμο: "
        "${holder_father_name}) κατοικεί στη διεύθυνση ${holder_address} ${years} έτη.",
        template_en="${holder_name}, born ${holder_birth_date}.",
    )
    migration.forward(apps, None)
    old.refresh_from_db()
    assert old.document_fields == [
        "holder_father_name",
        "holder_address",
        "years",
        "holder_birth_date",
    ]
    assert old.question("years")["document_label_el"] == "Έτη κατοικίας στον δήμο"  # type: ignore[index]
    assert "document_label_el" not in old.question("note")  # type: ignore[operator]
    old.full_clean()


def test_a_choice_reads_in_the_language_of_the_page_and_of_the_document(
    types: dict[str, CertificateType], resident: Any
) -> None:
    from django.utils import translation

    from dimos.certificates.forms import question_field

    no_debt = types["no-debt"]
    spec = no_debt.question("purpose")
    assert spec is not None
    with translation.override("en"):
        assert ("contract", "Contract") in question_field(spec, required=True).choices  # type: ignore[attr-defined]
    with translation.override("el"):
        assert ("contract", "Συμβόλαιο") in question_field(spec, required=True).choices  # type: ignore[attr-defined]
    req = make_request(no_debt, resident, data={"tax_number": "123456789", "purpose": "tender"})
    with translation.override("en"):
        assert dict(services.document_fields(req))["Purpose"] == "Public tender"
        assert ("What is it needed for?", "Public tender") in req.answers()
    with translation.override("el"):
        assert dict(services.document_fields(req))["Χρήση"] == "Δημόσιος διαγωνισμός"
    # An answer kept from before its choice was renamed still prints as it was given.
    req.data["purpose"] = "Άλλο"
    assert req.value_of("purpose") == "Άλλο"


@pytest.mark.parametrize(
    "choices",
    [
        [],
        ["Ναι", "Ναι"],
        [{"label_el": "Χωρίς τιμή"}],
        [{"value": "a", "label_el": ""}],
        [{"value": "a", "label_el": "Α"}, "a"],
        "Ναι, Όχι",
    ],
)
def test_a_choice_question_without_proper_choices_is_refused(
    types: dict[str, CertificateType], choices: Any
) -> None:
    no_debt = types["no-debt"]
    for spec in no_debt.fields:
        if spec["name"] == "purpose":
            spec["choices"] = choices
    with pytest.raises(ValidationError) as refused:
        no_debt.full_clean()
    assert "purpose" in str(refused.value.message_dict["fields"])
