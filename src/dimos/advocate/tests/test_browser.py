"""A business complains about an unanswered request, in a real browser: the office admits it
and asks the service, the service answers inside Dimos, the office answers, the business reads
the answer as a PDF and rates the service. Every page looked at on a phone and a desktop and
checked by axe-core, in Greek and English; the clock's pause shown and resumed."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from dimos.accounts.models import User
from dimos.testing.browser import (
    SCREENSHOTS,
    check_visible,
    click_visible,
    fill_visible,
    log_in_as,
    look,
    select_visible,
    upload_visible,
    use_language,
)
from dimos.testing.data import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEY = "advocate"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_a_business_complains_the_office_mediates_and_answers(
    page: Page,
    live_server: Any,
    citizen: User,
    new_context: Callable[..., BrowserContext],
    tmp_path: Path,
    settings: Any,
) -> None:
    from dimos.advocate.models import Body, Complaint, Mediation
    from dimos.testing.personas import staff

    settings.DIMOS_PRIVATE_DIR = tmp_path / "private"
    seed()
    office_user = staff("office@example.org", "advocate_office")
    liaison_user = staff("liaison@example.org", "advocate_liaison")
    planning = Body.objects.create(
        code="planning", name_el="Διεύθυνση Πολεοδομίας", name_en="Urban Planning"
    )
    planning.liaisons.add(liaison_user)
    url = live_server.url
    business = page.context
    use_language(business, live_server, "en")
    log_in_as(business, live_server, citizen)

    # The business finds the service and answers the screening questions.
    page.goto(url + "/advocate/")
    look(page, JOURNEY, "01-start")
    click_visible(page.get_by_role("link", name="Make a complaint").first)
    look(page, JOURNEY, "02-screening")
    for group in ("court", "private", "staff", "legal advice"):
        del group
    for name in ("court?", "private person", "own job", "legal advice"):
        check_visible(page.get_by_role("group", name=name).get_by_label("No"))
    check_visible(
        page.get_by_role("group", name="Is it about the municipality").get_by_label("Yes")
    )
    click_visible(page.get_by_role("button", name="Continue"))

    # The complaint, first with a wrong tax number: the form says so and keeps the rest.
    expect(page).to_have_url(url + "/advocate/new/")
    check_visible(page.get_by_label("a business"))
    fill_visible(page.get_by_label("Business name"), "Καφέ Ροτόντα Ο.Ε.")
    fill_visible(page.get_by_label("Tax number (ΑΦΜ) of the business"), "123456789")
    select_visible(
        page.get_by_label("The service or legal entity your complaint is about"),
        label="Urban Planning",
    )
    select_visible(page.get_by_label("What went wrong"), label="no answer to a request")
    fill_visible(
        page.get_by_label("What happened"),
        "We applied for a land-use certificate for our café in March and got no answer.",
    )
    fill_visible(page.get_by_label("Protocol number of your earlier request"), "1432/2026")
    fill_visible(page.get_by_label("What you ask for"), "Issue the certificate.")
    document = tmp_path / "application.pdf"
    document.write_bytes(PDF)
    upload_visible(page, page.get_by_label("Documents"), str(document))
    check_visible(page.get_by_label("No, stay anonymous towards the service"))
    click_visible(page.get_by_role("button", name="Send the complaint"))
    expect(page.get_by_role("alert")).to_contain_text("ΑΦΜ")
    look(page, JOURNEY, "03-form-error")
    fill_visible(page.get_by_label("Tax number (ΑΦΜ) of the business"), "094014201")
    upload_visible(page, page.get_by_label("Documents"), str(document))
    click_visible(page.get_by_role("button", name="Send the complaint"))
    expect(page.locator("#complaint-status")).to_have_text("Submitted")
    look(page, JOURNEY, "04-tracking-submitted")
    complaint = Complaint.objects.get()
    tracking = page.url

    # The office: the queue, the complaint, admission, a question to the service.
    office = new_context()
    use_language(office, live_server, "en")
    log_in_as(office, live_server, office_user)
    desk = office.new_page()
    desk.goto(url + "/staff/advocate/")
    look(desk, JOURNEY, "05-office-queue")
    click_visible(desk.get_by_role("link", name=complaint.reference))
    click_visible(desk.get_by_role("button", name="Admit: the 30 days start"))
    expect(desk.locator("#complaint-status")).to_have_text("Being examined")
    look(desk, JOURNEY, "06-office-admitted")
    fill_visible(
        desk.get_by_label("What the office asks the service"),
        "The business has waited since March. Why, and when will you answer?",
    )
    check_visible(desk.get_by_label("application.pdf"))
    click_visible(desk.get_by_role("button", name="Send the request to the service"))
    expect(desk.get_by_text("waiting for the service")).to_be_visible()

    # The office asks the business for more: the business sees the clock paused, answers.
    fill_visible(desk.get_by_label("Message to the complainant"), "Send us the receipt, please.")
    click_visible(desk.get_by_role("button", name="Ask for more: pause the clock"))
    expect(desk.locator("#complaint-status")).to_have_text("Waiting for the complainant")
    page.goto(tracking)
    expect(page.locator("#paused")).to_contain_text("paused until you answer")
    look(page, JOURNEY, "07-tracking-paused")
    fill_visible(page.get_by_label("Your message"), "The receipt is attached.")
    click_visible(page.get_by_role("button", name="Send to the office"))
    expect(page.locator("#complaint-status")).to_have_text("Being examined")

    # The service sees only what the office shared, and answers.
    service = new_context()
    use_language(service, live_server, "en")
    log_in_as(service, live_server, liaison_user)
    liaison = service.new_page()
    liaison.goto(url + "/staff/advocate/service/")
    look(liaison, JOURNEY, "08-service-requests")
    click_visible(liaison.get_by_role("link", name=complaint.reference))
    expect(liaison.locator("#complainant")).to_contain_text("stay anonymous")
    assert "Ροτόντα" not in liaison.content() and citizen.email not in liaison.content()
    look(liaison, JOURNEY, "09-service-request")
    check_visible(liaison.get_by_label("Yes"))
    fill_visible(
        liaison.get_by_label("The service's answer to the Advocate"),
        "The file was misplaced; the certificate is issued today.",
    )
    click_visible(liaison.get_by_role("button", name="Send the answer to the Advocate"))
    expect(liaison.get_by_text("Your answer was sent to the Advocate.")).to_be_visible()
    assert Mediation.objects.get().status == "answered"

    # The office records the outcome and the recommendation.
    desk.reload()
    expect(desk.get_by_text("The file was misplaced")).to_be_visible()
    select_visible(desk.get_by_label("Outcome", exact=True), label="resolved")
    fill_visible(
        desk.get_by_label("Recommendation (πόρισμα) to the service"),
        "Answer every request within the legal deadline and tell the applicant.",
    )
    fill_visible(
        desk.get_by_label("The answer to the complainant"),
        "After our mediation the Urban Planning Directorate issued your certificate."
        "\n\nThank you for your patience.",
    )
    click_visible(desk.get_by_role("button", name="Send the answer"))
    expect(desk.locator("#complaint-status")).to_have_text("Answered")
    look(desk, JOURNEY, "10-office-answered")

    # The business reads the answer, opens the PDF letter and rates the service.
    page.goto(tracking)
    expect(page.locator("#answer")).to_contain_text("issued your certificate")
    look(page, JOURNEY, "11-tracking-answered")
    pdf = page.request.get(url + f"/advocate/c/{complaint.token}/answer.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    folder = SCREENSHOTS / JOURNEY
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "answer.pdf").write_bytes(pdf.body())
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-singlefile",
            str(folder / "answer.pdf"),
            str(folder / "12-answer-pdf"),
        ],
        check=True,
    )
    # The rating is the platform's, as for every service (the feedback app).
    click_visible(page.get_by_role("link", name="Rate this service"))
    check_visible(page.get_by_label("Satisfied", exact=True))
    click_visible(page.get_by_role("button", name="Send my rating"))
    expect(page.get_by_role("heading", name="Thank you for your rating")).to_be_visible()
    look(page, JOURNEY, "12-rated")

    # In Greek, on the same pages.
    use_language(business, live_server, "el")
    page.goto(tracking)
    expect(page.locator("#complaint-status")).to_have_text("Απαντήθηκε")
    look(page, JOURNEY, "13-tracking-greek")
    page.goto(url + "/advocate/")
    look(page, JOURNEY, "14-start-greek")
    page.goto(url + "/advocate/check/")
    look(page, JOURNEY, "15-screening-greek")
    use_language(office, live_server, "el")
    desk.goto(url + "/staff/advocate/?status=all")
    look(desk, JOURNEY, "16-office-queue-greek")


def test_an_excluded_case_is_explained_with_where_to_turn(page: Page, live_server: Any) -> None:
    seed()
    use_language(page.context, live_server, "el")
    page.goto(live_server.url + "/advocate/check/")
    for name in ("δικαστήριο", "ιδιώτη", "υπάλληλος", "νομική συμβουλή"):
        check_visible(page.get_by_role("group", name=name).get_by_label("Όχι"))
    check_visible(page.get_by_role("group", name="νομική συμβουλή").get_by_label("Ναι"))
    check_visible(page.get_by_role("group", name="Αφορά τον Δήμο").get_by_label("Ναι"))
    click_visible(page.get_by_role("button", name="Συνέχεια"))
    expect(page.get_by_text("Δικηγορικού Συλλόγου")).to_be_visible()
    look(page, JOURNEY, "17-excluded-greek")
