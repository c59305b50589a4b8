"""A survey from start to published results, in a real browser: a feedback officer builds it
with a condition (a question shown only after an answer of an earlier section), a resident
answers it without JavaScript section by section, saving and continuing later from the link,
another answers it with JavaScript on the other branch; the survey closes, the results are
published with charts, and the officer exports them as CSV and XLSX. Every page looked at on a
phone and a desktop, axe-core clean, in Greek and English.

Nothing here waits for the network to go idle (a page without JavaScript never reports it);
downloads are awaited with an explicit timeout.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import BrowserContext, Page, expect

from dimos.accounts.models import User
from dimos.testing.browser import (
    assert_pages_accessible,
    check_visible,
    click_visible,
    fill_visible,
    log_in_as,
    look,
    select_visible,
    use_language,
)
from dimos.testing.data import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEY = "surveys"
WAIT = 15_000  # ms: every wait here has an end


def _local(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _build(desk: Page, url: str) -> None:
    """The officer builds the survey: two sections, a choice, and a question that only those
    who answered "No" see."""
    desk.goto(url + "/staff/feedback/surveys/")
    look(desk, JOURNEY, "01-staff-surveys")
    click_visible(desk.get_by_role("link", name="New survey"))
    now = timezone.now()
    fill_visible(desk.get_by_label("Address"), "e-services")
    fill_visible(desk.get_by_label("Title (Greek)"), "Οι ηλεκτρονικές μας υπηρεσίες")
    fill_visible(desk.get_by_label("Title (English)"), "Our e-services")
    fill_visible(desk.get_by_label("Opens", exact=True), _local(now - timedelta(days=1)))
    fill_visible(desk.get_by_label("Closes", exact=True), _local(now + timedelta(days=14)))
    select_visible(desk.get_by_label("Who may answer"), value="open")
    check_visible(desk.get_by_label("Published", exact=True))
    look(desk, JOURNEY, "02-staff-new-survey")
    click_visible(desk.get_by_role("button", name="Save"))
    expect(desk.get_by_role("heading", level=1)).to_have_text("Our e-services")

    for greek, english in (("Η χρήση", "Your use"), ("Τι λείπει", "What is missing")):
        fill_visible(desk.get_by_label("Section title (Greek)"), greek)
        fill_visible(desk.get_by_label("Section title (English)"), english)
        click_visible(desk.get_by_role("button", name="Add the section"))
        expect(desk.get_by_role("heading", name=english)).to_be_visible()

    select_visible(desk.get_by_label("Section", exact=True), label="Your use")
    select_visible(desk.get_by_label("Kind of question"), value="single")
    fill_visible(desk.get_by_label("Question (Greek)"), "Βρήκατε αυτό που ζητούσατε;")
    fill_visible(desk.get_by_label("Question (English)"), "Did you find what you needed?")
    check_visible(desk.get_by_label("An answer is required"))
    fill_visible(desk.get_by_label("Choices or matrix rows (Greek), one per line"), "Ναι\nΌχι")
    fill_visible(
        desk.get_by_label("Choices or matrix rows (English), one per line, in the same order"),
        "Yes\nNo",
    )
    click_visible(desk.get_by_role("button", name="Add the question"))
    expect(
        desk.get_by_role("link", name="Change the question “Did you find what you needed?”")
    ).to_be_visible()

    # A second question, moved above the first with a button, then deleted again.
    select_visible(desk.get_by_label("Section", exact=True), label="Your use")
    select_visible(desk.get_by_label("Kind of question"), value="scale5")
    fill_visible(desk.get_by_label("Question (Greek)"), "Πόσο εύκολο ήταν;")
    fill_visible(desk.get_by_label("Question (English)"), "How easy was it?")
    click_visible(desk.get_by_role("button", name="Add the question"))
    click_visible(desk.get_by_role("button", name="Move up the question “How easy was it?”"))
    first = desk.locator(".dimos-survey-section").first.locator("ol > li").first
    expect(first).to_contain_text("How easy was it?")
    look(desk, JOURNEY, "03-staff-question-moved")
    click_visible(desk.get_by_role("link", name="Change the question “How easy was it?”"))
    expect(desk.get_by_label("Question (English)")).to_have_value("How easy was it?")
    look(desk, JOURNEY, "03-staff-change-question")
    click_visible(desk.get_by_role("button", name="Delete the question"))
    expect(desk.get_by_text("The question was deleted.")).to_be_visible()
    expect(desk.get_by_role("link", name="Change the question “How easy was it?”")).to_have_count(0)

    select_visible(desk.get_by_label("Section", exact=True), label="What is missing")
    select_visible(desk.get_by_label("Kind of question"), value="long")
    fill_visible(desk.get_by_label("Question (Greek)"), "Τι σας έλειψε;")
    fill_visible(desk.get_by_label("Question (English)"), "What was missing?")
    check_visible(desk.get_by_label("An answer is required"))
    select_visible(
        desk.get_by_label("Show only when this earlier question…"),
        label="Did you find what you needed?",
    )
    fill_visible(desk.get_by_label("…was answered with", exact=False), "2")
    click_visible(desk.get_by_role("button", name="Add the question"))
    expect(
        desk.get_by_text("shown after an answer to “Did you find what you needed?”")
    ).to_be_visible()
    look(desk, JOURNEY, "04-staff-survey-built")


def _answer_without_javascript(
    resident: Page, url: str, new_context: Callable[..., BrowserContext]
) -> None:
    """In Greek, no JavaScript: "No" on the first page, the condition's question appears; the
    resident saves, comes back from the link and sends."""
    resident.goto(url + "/surveys/")
    look(resident, JOURNEY, "05-surveys-list-el")
    click_visible(resident.get_by_role("link", name="Οι ηλεκτρονικές μας υπηρεσίες"))
    expect(resident.get_by_role("heading", level=1)).to_have_text("Η χρήση")
    # Sending without the required answer: the error, in Greek.
    click_visible(resident.get_by_role("button", name="Συνέχεια", exact=True))
    expect(
        resident.get_by_text("Απαντήστε στο «Βρήκατε αυτό που ζητούσατε;»").first
    ).to_be_visible()
    look(resident, JOURNEY, "06-answer-error-el")
    check_visible(resident.get_by_label("Όχι"))
    click_visible(resident.get_by_role("button", name="Συνέχεια", exact=True))
    expect(resident.get_by_role("heading", level=1)).to_have_text("Τι λείπει")
    fill_visible(resident.get_by_label("Τι σας έλειψε;"), "Η πληρωμή τελών με κάρτα")
    click_visible(resident.get_by_role("button", name="Αποθήκευση και συνέχεια αργότερα"))
    expect(resident.get_by_role("heading", name="Οι απαντήσεις σας αποθηκεύτηκαν")).to_be_visible()
    look(resident, JOURNEY, "07-saved-el")
    link = resident.locator("a", has_text="?resume=")
    expect(link).to_be_visible()
    resume = link.get_attribute("href") or ""
    assert re.search(r"/surveys/e-services/\?resume=\S+$", resume), resume

    # Later, in another browser: the link brings the saved answers back.
    later = new_context(java_script_enabled=False)
    again = later.new_page()
    again.goto(resume)
    expect(again.get_by_label("Όχι")).to_be_checked()
    click_visible(again.get_by_role("button", name="Συνέχεια", exact=True))
    expect(again.get_by_label("Τι σας έλειψε;")).to_have_value("Η πληρωμή τελών με κάρτα")
    fill_visible(
        again.get_by_label("Τι σας έλειψε;"),
        "Η πληρωμή τελών με κάρτα. Γράψτε μου στο maria@example.org",
    )
    click_visible(again.get_by_role("button", name="Αποστολή των απαντήσεων"))
    expect(again).to_have_url(url + "/surveys/e-services/done/")
    look(again, JOURNEY, "08-done-el")
    # The same link once more: the answers were sent, nothing counted twice.
    again.goto(resume)
    expect(again.get_by_text("δεν είναι έγκυρος", exact=False)).to_be_visible()


def _answer_with_javascript(visitor: Page, url: str) -> None:
    """In English with JavaScript (axe-core runs): "Yes" skips the condition's section."""
    visitor.goto(url + "/surveys/e-services/")
    look(visitor, JOURNEY, "09-answer-en")
    check_visible(visitor.get_by_label("Yes"))
    click_visible(visitor.get_by_role("button", name="Save and continue later"))
    look(visitor, JOURNEY, "10-saved-en")
    click_visible(visitor.get_by_role("link", name="Continue now"))
    expect(visitor.get_by_label("Yes")).to_be_checked()
    # "Yes" leaves only one part: the first page is the last.
    expect(visitor.get_by_text("Part 1 of 1")).to_be_visible()
    click_visible(visitor.get_by_role("button", name="Send my answers"))
    expect(visitor).to_have_url(url + "/surveys/e-services/done/")
    look(visitor, JOURNEY, "11-done-en")


def test_staff_build_a_survey_residents_answer_it_and_the_results_publish(
    page: Page,
    live_server: Any,
    new_context: Callable[..., BrowserContext],
) -> None:
    from dimos.feedback.models import Answer, Response, Survey
    from dimos.testing.personas import staff

    seed()
    officer: User = staff("officer@example.org", "feedback_officer")
    url = live_server.url
    desk = page
    use_language(desk.context, live_server, "en")
    log_in_as(desk.context, live_server, officer)
    _build(desk, url)

    resident_context = new_context(java_script_enabled=False)
    use_language(resident_context, live_server, "el")
    _answer_without_javascript(resident_context.new_page(), url, new_context)

    visitor_context = new_context()
    use_language(visitor_context, live_server, "en")
    _answer_with_javascript(visitor_context.new_page(), url)

    # The resident's pages in Greek, scanned by axe-core (which needs JavaScript).
    greek = new_context()
    use_language(greek, live_server, "el")
    scanner = greek.new_page()
    assert_pages_accessible(scanner, live_server, ["/surveys/", "/surveys/e-services/"], "el")
    scanner.close()

    survey = Survey.objects.get(slug="e-services")
    assert Response.objects.filter(survey=survey, submitted_at__isnull=False).count() == 2
    assert not Response.objects.filter(survey=survey, submitted_at__isnull=True).exists()
    assert Answer.objects.filter(response__survey=survey, question__kind="long").count() == 1

    # Live results while open, with a chart per choice question.
    desk.goto(url + f"/staff/feedback/surveys/{survey.pk}/results/")
    expect(desk.locator("figure.dimos-chart svg").first).to_be_visible()
    look(desk, JOURNEY, "12-staff-live-results")

    # The officer approves the written answer for publication (shown with the email taken
    # out) while the survey is still open.
    desk.goto(url + f"/staff/feedback/surveys/{survey.pk}/")
    expect(desk.locator("#publication")).to_contain_text("will be published on")
    desk.goto(url + f"/staff/feedback/surveys/{survey.pk}/review/")
    written = desk.get_by_label("Η πληρωμή τελών με κάρτα", exact=False)
    expect(written).to_be_visible()
    expect(desk.get_by_text("maria@example.org")).to_have_count(0)
    look(desk, JOURNEY, "13-staff-review")
    check_visible(written)
    click_visible(desk.get_by_role("button", name="Save the review"))
    expect(desk.get_by_text("1 answers approved for publication.")).to_be_visible()

    # The close date passes: the results are published by themselves.
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    desk.goto(url + f"/staff/feedback/surveys/{survey.pk}/")
    expect(desk.get_by_role("link", name="Published results")).to_be_visible()
    expect(desk.get_by_role("button", name="Withdraw the published results")).to_be_visible()
    look(desk, JOURNEY, "14-staff-published")

    # The exports: a download each, awaited with an end.
    with desk.expect_download(timeout=WAIT) as got:
        click_visible(desk.get_by_role("link", name="Export CSV"))
    assert got.value.suggested_filename == "e-services.csv"
    with open(got.value.path(), encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0][:2] == ["Response", "Sent"] and "Respondent" not in rows[0]
    assert len(rows) == 3 and {r[2] for r in rows[1:]} == {"Yes", "No"}
    with desk.expect_download(timeout=WAIT) as got:
        click_visible(desk.get_by_role("link", name="Export XLSX"))
    assert got.value.suggested_filename == "e-services.xlsx"
    with open(got.value.path(), "rb") as f:
        sheet = load_workbook(io.BytesIO(f.read())).active
    assert sheet is not None and sheet.max_row == 3

    # The public results, in Greek and English: charts, and the reviewed answer, redacted.
    for language in ("el", "en"):
        context = new_context()
        use_language(context, live_server, language)
        reader = context.new_page()
        reader.goto(url + "/surveys/")
        title = "Οι ηλεκτρονικές μας υπηρεσίες" if language == "el" else "Our e-services"
        click_visible(reader.get_by_role("link", name=title).first)
        expect(reader).to_have_url(url + "/surveys/e-services/results/")
        expect(reader.locator("figure.dimos-chart svg").first).to_be_visible()
        expect(reader.get_by_text("Η πληρωμή τελών με κάρτα", exact=False)).to_be_visible()
        assert "maria@example.org" not in reader.content()
        look(reader, JOURNEY, f"15-published-results-{language}")
        reader.close()

    # The officer's pages in Greek.
    use_language(desk.context, live_server, "el")
    assert_pages_accessible(
        desk,
        live_server,
        [
            "/staff/feedback/surveys/",
            f"/staff/feedback/surveys/{survey.pk}/",
            f"/staff/feedback/surveys/{survey.pk}/results/",
            f"/staff/feedback/surveys/{survey.pk}/review/",
        ],
        "el",
    )
