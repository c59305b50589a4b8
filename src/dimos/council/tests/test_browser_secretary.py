"""The council secretary prepares a meeting, builds and publishes its agenda, records the roll
call, the votes and a decision with its ADA, marks it held and types the items' time-codes —
in a real browser, looked at on a phone and a desktop and checked by axe-core on every page,
in English and then in Greek."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from dimos.council.models import Decision, Meeting, MeetingState, Vote
from dimos.council.tests.secretariat import chamber, council, secretary
from dimos.testing.browser import (
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

JOURNEY = "council-secretary"


def _form(page: Page, action: str) -> Any:
    return page.locator(f"form[action$='/{action}/']")


def test_the_secretary_prepares_publishes_and_records_a_meeting(
    page: Page, live_server: Any
) -> None:
    seed()
    council()
    chamber()
    office = page.context
    use_language(office, live_server, "en")
    log_in_as(office, live_server, secretary())
    url = live_server.url
    yesterday = timezone.localdate() - timedelta(days=1)

    # The list, then a new meeting of the council (yesterday: it is recorded after the fact).
    page.goto(url + "/staff/council/")
    look(page, JOURNEY, "01-list")
    click_visible(page.get_by_role("link", name="Prepare a meeting"))
    select_visible(page.get_by_label("Body", exact=True), label="Municipal Council")
    fill_visible(page.get_by_label("Day", exact=True), yesterday.isoformat())
    fill_visible(page.get_by_label("Starts at"), "18:00")
    fill_visible(page.get_by_label("Ends at"), "21:00")
    select_visible(page.get_by_role("combobox", name="Place"), label="Council chamber")
    check_visible(page.get_by_label("Blank", exact=True))
    look(page, JOURNEY, "02-prepare")
    click_visible(page.get_by_role("button", name="Prepare the meeting"))
    expect(page.get_by_text("Meeting 1/", exact=False).first).to_be_visible()
    meeting = Meeting.objects.get()

    # The agenda: two items, the second with a dotted number.
    add = _form(page, "add-item")
    fill_visible(add.get_by_label("Title (Greek)"), "Έγκριση του προϋπολογισμού 2027")
    fill_visible(add.get_by_label("Title (English)"), "Approval of the 2027 budget")
    click_visible(page.get_by_role("button", name="Add the item"))
    expect(page.get_by_role("link", name="Approval of the 2027 budget")).to_be_visible()
    add = _form(page, "add-item")
    fill_visible(add.get_by_label("Number", exact=False), "1.1")
    fill_visible(add.get_by_label("Title (Greek)"), "Αναμόρφωση προϋπολογισμού")
    fill_visible(add.get_by_label("Title (English)"), "Budget amendment")
    click_visible(page.get_by_role("button", name="Add the item"))
    expect(page.get_by_role("link", name="Budget amendment")).to_be_visible()
    look(page, JOURNEY, "03-agenda")

    # The invitation; after it, moving an item needs a note.
    click_visible(page.get_by_role("button", name="Publish the invitation"))
    expect(page.locator("#meeting-state")).to_have_text("Invitation published")
    click_visible(page.get_by_role("button", name="Move item 1.1 up"))
    expect(page.get_by_role("alert").first).to_contain_text("write a note")
    look(page, JOURNEY, "04-note-needed")

    # The roll call: everyone present but one, on leave.
    roll = _form(page, "attendance")
    check_visible(
        roll.get_by_role("group", name="Σοφία Ευαγγέλου").get_by_label("Absent with leave")
    )
    click_visible(page.get_by_role("button", name="Record the roll call"))
    expect(page.get_by_text("4 members present.")).to_be_visible()

    # Votes on item 1: all present for, the one on leave absent; then the decision and ADA.
    click_visible(page.get_by_role("link", name="Approval of the 2027 budget"))
    click_visible(page.get_by_role("button", name="All present vote for"))
    expect(page.locator("#vote-tally")).to_have_text("For 4 · against 0 · abstain 0 · absent 1")
    decision = _form(page, "decision")
    select_visible(decision.get_by_label("Result", exact=True), label="Adopted")
    fill_visible(decision.get_by_label("Text (Greek)"), "Εγκρίνει τον προϋπολογισμό του 2027.")
    fill_visible(decision.get_by_label("Diavgeia ADA"), "ABC-123")
    click_visible(page.get_by_role("button", name="Record the decision"))
    expect(page.get_by_text("Greek capitals and digits").first).to_be_visible()
    look(page, JOURNEY, "05-ada-wrong")
    fill_visible(_form(page, "decision").get_by_label("Diavgeia ADA"), "Ψ4Ω2ΩΞΑ-8ΑΒ")
    click_visible(page.get_by_role("button", name="Record the decision"))
    expect(page.locator("#item-decision")).to_contain_text("Ψ4Ω2ΩΞΑ-8ΑΒ")
    look(page, JOURNEY, "06-item-decided")
    assert Vote.objects.filter(choice="for").count() == 4
    assert Decision.objects.get().ada == "Ψ4Ω2ΩΞΑ-8ΑΒ"

    # Held; the recording and the time-codes, typed.
    click_visible(page.get_by_role("link", name="Back to the meeting"))
    click_visible(page.get_by_role("button", name="Mark the meeting held"))
    expect(page.locator("#meeting-state")).to_have_text("Held")
    recording = _form(page, "recording")
    fill_visible(recording.get_by_label("The recording's address"), "https://youtu.be/dQw4w9WgXcQ")
    fill_visible(recording.get_by_label("Its length"), "2:30:00")
    click_visible(page.get_by_role("button", name="Save the recording"))
    look(page, JOURNEY, "07-held")
    click_visible(page.get_by_role("link", name="Set the time-codes"))
    # Pressing a button while watching: the clock started with the video fills the field.
    click_visible(page.get_by_role("button", name="Start the clock"))
    page.wait_for_timeout(1500)
    click_visible(page.get_by_role("button", name="Item 1 starts now"))
    expect(page.get_by_label("Item 1 starts at")).to_have_value(re.compile(r"^0:0[1-9]$"))
    fill_visible(page.get_by_label("Item 1 starts at"), "0:05:10")
    fill_visible(page.get_by_label("Item 1 ends at"), "48:30")
    fill_visible(page.get_by_label("Item 1.1 starts at"), "2910")
    fill_visible(page.get_by_label("Item 1.1 ends at"), "2:45:00")
    click_visible(page.get_by_role("button", name="Save the time-codes"))
    expect(page.get_by_text("beyond the end of the video").first).to_be_visible()
    look(page, JOURNEY, "08-timecodes-beyond")
    fill_visible(page.get_by_label("Item 1.1 ends at"), "1:20:00")
    click_visible(page.get_by_role("button", name="Save the time-codes"))
    expect(page.get_by_text("The time-codes are saved.")).to_be_visible()
    item = meeting.agenda_items.get(number="1")
    assert (item.start_seconds, item.end_seconds) == (310, 2910)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD

    # The same pages in Greek.
    use_language(office, live_server, "el")
    page.goto(url + "/staff/council/")
    expect(page.get_by_role("heading", name="Γραμματεία του δημοτικού συμβουλίου")).to_be_visible()
    look(page, JOURNEY, "09-list-el")
    page.goto(url + f"/staff/council/{meeting.pk}/")
    expect(page.locator("#meeting-state")).to_have_text("Πραγματοποιήθηκε")
    look(page, JOURNEY, "10-meeting-el")
    page.goto(url + f"/staff/council/{meeting.pk}/items/{item.pk}/")
    look(page, JOURNEY, "11-item-el")
    page.goto(url + f"/staff/council/{meeting.pk}/timecodes/")
    expect(page.get_by_role("button", name="Το θέμα 1 αρχίζει τώρα")).to_be_visible()
    look(page, JOURNEY, "12-timecodes-el")
