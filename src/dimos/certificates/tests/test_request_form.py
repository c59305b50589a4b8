"""The request form as a resident meets it: for oneself the part for someone else is ignored,
errors are summed up at the top with links, and a free certificate says it is free."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dimos.certificates.models import CertificateRequest, CertificateType
from dimos.certificates.tests.conftest import make_request

pytestmark = pytest.mark.django_db

COMPLETE = {
    "holder_name": "Alice Resident",
    "holder_father_name": "Nikos",
    "holder_address": "Merarchias 12, Serres",
    "f_years": "12",
}


def test_for_oneself_the_part_for_someone_else_is_ignored(
    resident_client: Client, types: dict[str, CertificateType]
) -> None:
    """Without JavaScript the part shows; what was typed there does not count for oneself."""
    family = types["family-status"]
    response = resident_client.post(
        reverse("certificates:new", args=[family.code]),
        {
            **COMPLETE,
            "f_purpose": "School",
            "requester": "self",
            "relationship": "brother",
            "authorisation": SimpleUploadedFile("x.exe", b"MZ\x90\x00"),
        },
    )
    assert response.status_code == 302
    req = CertificateRequest.objects.get()
    assert req.relationship == "" and not req.attachments.exists()


def test_for_a_family_member_the_relationship_is_needed(
    resident_client: Client, types: dict[str, CertificateType]
) -> None:
    family = types["family-status"]
    response = resident_client.post(
        reverse("certificates:new", args=[family.code]),
        {**COMPLETE, "f_purpose": "School", "requester": "family"},
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["relationship"]


def test_the_part_for_someone_else_is_a_labelled_fieldset(
    resident_client: Client, types: dict[str, CertificateType]
) -> None:
    html = resident_client.get(reverse("certificates:new", args=["family-status"])).content.decode()
    part = html.split('id="someone-else"', 1)[1].split("</fieldset>", 1)[0]
    assert "Only if the certificate is for someone else" in part
    assert 'data-for-requester="family"' in part and 'name="relationship"' in part
    assert 'data-for-requester="representative"' in part and 'name="authorisation"' in part
    assert "js/certificate-request" in html
    # Needed in some cases (a family member, a representative): never said to be optional.
    assert "(optional)" not in part
    # The person's details come after it, outside it.
    assert 'name="holder_name"' not in part


def test_a_type_only_for_oneself_has_no_part_for_someone_else(
    resident_client: Client, residence: CertificateType
) -> None:
    residence.allow_representative = False
    residence.save()
    html = resident_client.get(reverse("certificates:new", args=[residence.code])).content.decode()
    assert 'id="someone-else"' not in html


def test_errors_are_summed_up_at_the_top_with_links_to_the_fields(
    resident_client: Client, residence: CertificateType
) -> None:
    response = resident_client.post(
        reverse("certificates:new", args=[residence.code]),
        {"requester": "self", "holder_name": "Alice Resident", "f_years": "12"},
    )
    html = response.content.decode()
    form = html.split("<form", 2)[-1]
    assert form.lstrip().split(">", 1)[1].find("govgr-error-summary") < form.find("id_requester")
    links = re.findall(r'<a class="govgr-link" href="#(id_[a-z_]+)">', form)
    assert links == ["id_holder_father_name", "id_holder_address"]


def test_optional_is_said_once(clerk_c: Client, residence: CertificateType) -> None:
    html = clerk_c.get(
        reverse("certificates_staff:phone") + f"?type={residence.code}"
    ).content.decode()
    labels = re.findall(r"<label[^>]*>(.*?)</label>", html, re.DOTALL)
    assert any("(optional)" in label for label in labels)
    assert [label for label in labels if label.count("(optional)") > 1] == []
    assert "Caller&#x27;s email <span" in html


def test_a_free_certificate_says_free_and_no_payment_state(
    resident: Any,
    resident_client: Client,
    issuer_client: Client,
    types: dict[str, CertificateType],
) -> None:
    free = make_request(types["permanent-residence"], resident)
    for client, name in (
        (resident_client, "certificates:detail"),
        (issuer_client, "certificates_staff:detail"),
    ):
        html = client.get(reverse(name, args=[free.pk])).content.decode()
        fee = html.split('id="request-fee">', 1)[1].split("</dd>", 1)[0]
        assert fee.strip() == "Free", fee
        assert "not paid" not in html and "Mark as paid" not in html
    start = resident_client.get(reverse("certificates:start")).content.decode()
    assert "Free" in start and "€0" not in start


def test_a_certificate_with_a_fee_shows_whether_it_is_paid(
    resident: Any, issuer_client: Client, types: dict[str, CertificateType]
) -> None:
    paid = make_request(
        types["no-debt"], resident, data={"tax_number": "123456789", "purpose": "other"}
    )
    html = issuer_client.get(reverse("certificates_staff:detail", args=[paid.pk])).content.decode()
    assert "€2.00 · not paid yet" in html and "Mark as paid" in html
