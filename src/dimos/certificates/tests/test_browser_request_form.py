"""The request form as a person fills it in, in a real browser, at phone and desktop size.

"For me": the part for someone else is hidden, the person's details come from the account,
a missing detail is summed up at the top with a link to its field. "On behalf": the part for
someone else shows only what the case needs, the details from the account make way for the
other person's. Only visible fields are filled; every page is looked at (screenshots,
axe-core, no broken image, fits a phone).
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from dimos.accounts.models import User
from dimos.certificates.models import CertificateRequest, Requester
from dimos.certificates.tests.conftest import PDF_BYTES
from dimos.testing.browser import (
    check_visible,
    click_visible,
    fill_visible,
    log_in_as,
    look,
    upload_visible,
    use_language,
)
from dimos.testing.data import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _resident(citizen: User) -> User:
    from dimos.certificates.demo import seed_types

    seed()
    seed_types()
    citizen.identity_verified = True
    citizen.first_name, citizen.last_name = "Μαρία", "Παπαδοπούλου"
    citizen.address = "Μεραρχίας 12, 621 22 Σέρρες"
    citizen.save()
    return citizen


def test_for_me_in_greek(page: Page, live_server: Any, citizen: User) -> None:
    journey = "certificate-for-me"
    log_in_as(page.context, live_server, _resident(citizen))
    page.goto(live_server.url + "/certificates/")
    click_visible(page.get_by_role("link", name="Βεβαίωση μόνιμης κατοικίας"))
    expect(page.get_by_label("εμένα")).to_be_checked()
    # For oneself the part for someone else is not shown; the person's details are filled in.
    expect(page.locator("#someone-else")).to_be_hidden()
    expect(page.locator("#id_holder_name")).to_have_value("Μαρία Παπαδοπούλου")
    expect(page.locator("#id_holder_address")).to_have_value("Μεραρχίας 12, 621 22 Σέρρες")
    look(page, journey, "01-form")

    # Sent without the father's name: the summary at the top says so and leads to the field.
    fill_visible(page.locator("#id_f_years"), "25")
    click_visible(page.get_by_role("button", name="Υποβολή αίτησης"))
    summary = page.locator(".govgr-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("Υπάρχει πρόβλημα")
    look(page, journey, "02-error-summary")
    click_visible(summary.get_by_role("link", name="Όνομα πατέρα", exact=False))
    expect(page.locator("#id_holder_father_name")).to_be_focused()

    fill_visible(page.locator("#id_holder_father_name"), "Νικόλαος")
    click_visible(page.get_by_role("button", name="Υποβολή αίτησης"))
    expect(page.locator("#request-status")).to_have_text("Νέα")
    expect(page.locator("#request-fee")).to_have_text("Δωρεάν")
    look(page, journey, "03-sent")
    req = CertificateRequest.objects.get()
    assert req.requester == Requester.SELF and req.missing_fields() == []
    assert (req.holder_name, req.holder_father_name, req.data["years"]) == (
        "Μαρία Παπαδοπούλου",
        "Νικόλαος",
        25,
    )


def test_on_behalf_of_a_family_member_and_someone_represented(
    page: Page, live_server: Any, citizen: User
) -> None:
    journey = "certificate-on-behalf"
    use_language(page.context, live_server, "en")
    log_in_as(page.context, live_server, _resident(citizen))

    # A family member: only the relationship is asked in the part for someone else.
    page.goto(live_server.url + "/certificates/")
    click_visible(page.get_by_role("link", name="Family status certificate"))
    check_visible(page.get_by_label("a member of my family"))
    part = page.locator("#someone-else")
    expect(part).to_be_visible()
    expect(part.get_by_label("Your relationship to the person")).to_be_visible()
    expect(part.locator("#id_authorisation")).to_be_hidden()
    # The details from the account were the applicant's own: they make way for the other's.
    expect(page.locator("#id_holder_name")).to_have_value("")
    look(page, journey, "01-family-form")
    fill_visible(part.get_by_label("Your relationship to the person"), "daughter")
    fill_visible(page.locator("#id_holder_name"), "Ελένη Παπαδοπούλου")
    fill_visible(page.locator("#id_holder_father_name"), "Γεώργιος")
    fill_visible(page.locator("#id_f_purpose"), "Επίδομα")
    click_visible(page.get_by_role("button", name="Send the request"))
    expect(page.locator("#request-status")).to_have_text("New")
    look(page, journey, "02-family-sent")
    family = CertificateRequest.objects.get()
    assert (family.requester, family.relationship) == (Requester.FAMILY, "daughter")
    assert family.holder_name == "Ελένη Παπαδοπούλου"

    # Someone represented: only the authorisation, uploaded through the visible control.
    page.goto(live_server.url + "/certificates/")
    click_visible(page.get_by_role("link", name="Certificate of permanent residence"))
    check_visible(page.get_by_label("someone I represent", exact=False))
    expect(page.locator("#someone-else")).to_be_visible()
    expect(page.locator("#id_relationship")).to_have_count(0)  # not a family certificate
    look(page, journey, "03-representative-form")
    upload_visible(
        page,
        page.locator("#id_authorisation"),
        {"name": "authorisation.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES},
    )
    fill_visible(page.locator("#id_holder_name"), "Κωνσταντίνος Γεωργίου")
    fill_visible(page.locator("#id_holder_father_name"), "Ιωάννης")
    fill_visible(page.locator("#id_holder_address"), "Εθνικής Αντιστάσεως 5, Σέρρες")
    fill_visible(page.locator("#id_f_years"), "60")
    click_visible(page.get_by_role("button", name="Send the request"))
    expect(page.locator("#request-status")).to_have_text("New")
    look(page, journey, "04-representative-sent")
    represented = CertificateRequest.objects.exclude(pk=family.pk).get()
    assert represented.requester == Requester.REPRESENTATIVE
    assert represented.holder_address == "Εθνικής Αντιστάσεως 5, Σέρρες"
    assert represented.attachments.get().kind == "authorisation"


def test_without_javascript_the_part_for_someone_else_is_labelled_and_ignored_for_me(
    no_js_page: Page, live_server: Any, citizen: User
) -> None:
    page = no_js_page
    use_language(page.context, live_server, "en")
    log_in_as(page.context, live_server, _resident(citizen))
    page.goto(live_server.url + "/certificates/new/family-status/")
    part = page.get_by_role("group", name="Only if the certificate is for someone else")
    expect(part).to_be_visible()
    # Typed by mistake for oneself: the request is not one for a relative.
    fill_visible(part.get_by_label("Your relationship to the person"), "brother")
    fill_visible(page.locator("#id_holder_father_name"), "Nikolaos")
    fill_visible(page.locator("#id_f_purpose"), "School")
    look(page, "certificate-without-javascript", "01-form")
    click_visible(page.get_by_role("button", name="Send the request"))
    expect(page.locator("#request-status")).to_have_text("New")
    look(page, "certificate-without-javascript", "02-sent")
    req = CertificateRequest.objects.get()
    assert (req.requester, req.relationship) == (Requester.SELF, "")


def test_the_clerk_asks_for_a_missing_detail_and_the_resident_gives_it(
    page: Page, live_server: Any, citizen: User, issuer: User, new_context: Any
) -> None:
    """A request made before the type declared what its document needs (no father's name):
    the clerk cannot issue it, asks, the resident answers in the form, the clerk issues."""
    from dimos.certificates.models import CertificateType
    from dimos.certificates.tests.conftest import make_request

    journey = "certificate-missing-detail"
    resident = _resident(citizen)
    req = make_request(
        CertificateType.objects.get(code="permanent-residence"), resident, holder_father_name=""
    )
    clerk = new_context().new_page()
    for context in (page.context, clerk.context):
        use_language(context, live_server, "en")
    log_in_as(clerk.context, live_server, issuer)
    log_in_as(page.context, live_server, resident)

    clerk.goto(f"{live_server.url}/staff/certificates/{req.pk}/")
    missing = clerk.locator("#missing-details")
    expect(missing).to_contain_text("Father's name")
    expect(clerk.get_by_role("button", name="Issue the signed certificate")).to_have_count(0)
    look(clerk, journey, "01-clerk-sees-what-is-missing")
    click_visible(missing.get_by_role("link", name="Ask the resident for them"))
    expect(clerk.locator("#ask-the-resident textarea")).to_have_value(
        "The certificate needs these details, which your request lacks: Father's name."
    )
    click_visible(clerk.get_by_role("button", name="Ask the resident", exact=True))
    expect(clerk.locator("#request-status")).to_have_text("Waiting for the resident")

    page.goto(f"{live_server.url}/certificates/{req.pk}/")
    look(page, journey, "02-resident-is-asked")
    fill_visible(page.get_by_label("Father's name"), "Nikolaos")
    click_visible(page.get_by_role("button", name="Send the answer"))
    expect(page.locator("#request-status")).to_have_text("In review")

    clerk.goto(f"{live_server.url}/staff/certificates/{req.pk}/")
    expect(clerk.locator("#missing-details")).to_have_count(0)
    click_visible(clerk.get_by_role("button", name="Issue the signed certificate"))
    expect(clerk.locator("#request-status")).to_have_text("Issued")
    look(clerk, journey, "03-clerk-issued")
    req.refresh_from_db()
    assert req.holder_father_name == "Nikolaos" and req.documents.count() == 1
