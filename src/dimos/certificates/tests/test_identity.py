"""A resident without a verified identity who asks for a certificate is told every way to get
one, and whom to call; the national eID is promised only where a gateway is configured."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from dimos.certificates.demo import seed_types


def _greek(client: Client, url: str) -> str:
    client.cookies["dimos_language"] = "el"
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_a_resident_without_a_verified_identity_is_told_every_way_and_whom_to_call(
    citizen_client: Client, municipality: Any, eid: None
) -> None:
    code = seed_types()[0].code
    citizen_client.cookies["dimos_language"] = "el"
    response = citizen_client.get(reverse("certificates:new", args=[code]))
    assert response.status_code == 403
    page = response.content.decode()
    assert 'href="tel:+302321350100"' in page  # the municipality's phone, as a call link
    assert 'href="mailto:info@serres.gr"' in page
    assert "Κωνσταντίνου Καραμανλή 1" in page
    assert f'href="{reverse("appointments:start")}"' in page  # book at a KEP
    assert "Τηλεφωνικά, με επιστροφή κλήσης" in page
    # The eID links the account the person has, and brings them back to the certificate.
    assert "process=connect" in page and "next=%2Fcertificates%2Fnew%2F" in page


def test_the_certificates_page_promises_no_eid_without_a_gateway(client: Client, db: Any) -> None:
    page = _greek(client, reverse("certificates:start"))
    assert "Taxisnet" not in page and reverse("accounts:identity") in page
