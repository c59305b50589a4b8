"""A resident proposes an idea (a point, an image), staff publish it, three residents vote and
one takes the vote back, a moderator hides a comment, the results show the counts — in a real
browser, on a phone and a desktop, axe-core on every page, in English and in Greek."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from dimos.accounts.models import User
from dimos.testing.browser import (
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

JOURNEY = "ideas"


def _jpeg() -> bytes:
    from dimos.ideas.tests.test_services import exif_jpeg

    return exif_jpeg()


def test_a_resident_proposes_staff_publish_residents_vote_and_one_takes_it_back(
    page: Page,
    live_server: Any,
    citizen: User,
    new_context: Callable[..., BrowserContext],
) -> None:
    from dimos.ideas.models import Idea, IdeaStatus, Vote
    from dimos.ideas.tests.conftest import make_competition, resident
    from dimos.testing.personas import staff

    seed()
    competition = make_competition("submission", slug="apps4serres")
    moderator = staff("moderator@example.org", "ideas_moderator")
    url = live_server.url
    home = page.context
    use_language(home, live_server, "en")

    # The competition as anyone sees it: what is open now, the timeline.
    page.goto(url + "/ideas/")
    look(page, JOURNEY, "01-competitions")
    click_visible(page.get_by_role("link", name="Apps4Serres: ideas for the city"))
    expect(page.get_by_role("heading", name="Now: Ideas submission")).to_be_visible()
    look(page, JOURNEY, "02-competition-submission")

    # A resident proposes an idea: a missing description is refused and the form kept.
    log_in_as(home, live_server, citizen)
    page.goto(url + competition.get_absolute_url())
    click_visible(page.get_by_role("link", name="Propose an idea"))
    select_visible(page.get_by_label("Theme"), label="Environment")
    fill_visible(page.get_by_label("Title"), "Shade and benches on the seafront")
    click_visible(page.get_by_role("button", name="Send the idea"))
    expect(page.get_by_role("alert")).to_be_visible()
    look(page, JOURNEY, "03-submit-error")
    fill_visible(page.get_by_label("Your idea"), "Trees and benches every 200 metres.")
    fill_visible(page.get_by_role("textbox", name="Place"), "Seafront")
    fill_visible(page.get_by_label("Latitude"), "41.0851")
    fill_visible(page.get_by_label("Longitude"), "23.5476")
    upload_visible(
        page,
        page.get_by_label("An image"),
        {"name": "IMG_0042.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()},
    )
    fill_visible(page.get_by_label("What the image shows"), "The seafront without shade")
    look(page, JOURNEY, "04-submit-filled")
    click_visible(page.get_by_role("button", name="Send the idea"))
    expect(page.get_by_text("Your idea was sent.")).to_be_visible()
    expect(page.get_by_text("Waiting for moderation")).to_be_visible()
    look(page, JOURNEY, "05-mine-waiting")
    idea = Idea.objects.get(author=citizen)

    # Staff publish it with a reason the author reads.
    office = new_context()
    use_language(office, live_server, "en")
    log_in_as(office, live_server, moderator)
    desk = office.new_page()
    desk.goto(url + "/staff/ideas/")
    look(desk, JOURNEY, "06-staff-queue")
    click_visible(desk.get_by_role("link", name="Shade and benches on the seafront"))
    check_visible(desk.get_by_label("Publish", exact=True))
    click_visible(desk.get_by_role("button", name="Decide"))
    expect(desk.get_by_role("alert")).to_be_visible()  # no reason: refused
    look(desk, JOURNEY, "07-staff-decide-error")
    fill_visible(desk.get_by_label("Reason, shown to the author"), "Clear and doable.")
    click_visible(desk.get_by_role("button", name="Decide"))
    expect(desk.get_by_text("The idea is published; its author was told.")).to_be_visible()
    page.goto(url + "/ideas/mine/")
    expect(page.get_by_text("Clear and doable.")).to_be_visible()
    look(page, JOURNEY, "08-mine-published")

    # Voting opens: three residents vote, one takes the vote back.
    from django.utils import timezone

    now = timezone.now()
    competition.submission_opens = now - timezone.timedelta(days=10)
    competition.submission_closes = now - timezone.timedelta(days=1)
    competition.voting_opens = now - timezone.timedelta(days=1)
    competition.save()
    voters = [resident(f"voter{n}@example.org") for n in range(3)]
    idea_url = url + idea.get_absolute_url()
    for n, voter in enumerate(voters):
        context = new_context()
        use_language(context, live_server, "el" if n == 1 else "en")
        log_in_as(context, live_server, voter)
        tab = context.new_page()
        tab.goto(idea_url)
        if n == 1:
            click_visible(tab.get_by_role("button", name="Ψηφίζω αυτή την ιδέα"))
            expect(tab.get_by_text("Η ψήφος σας μετρήθηκε.")).to_be_visible()
            look(tab, JOURNEY, "09-voted-greek")
        else:
            click_visible(tab.get_by_role("button", name="Vote for this idea"))
            expect(tab.get_by_text("Your vote was counted.")).to_be_visible()
        if n == 2:
            look(tab, JOURNEY, "10-voted")
            click_visible(tab.get_by_role("button", name="Take my vote back"))
            expect(tab.get_by_text("Your vote was taken back.")).to_be_visible()
            look(tab, JOURNEY, "11-taken-back")
        context.close()
    idea.refresh_from_db()
    assert idea.votes_count == 2 == Vote.objects.filter(idea=idea).count()
    assert idea.status == IdeaStatus.PUBLISHED

    # Anyone sees two votes, never who; a comment waits, the moderator hides it with a reason.
    page.goto(idea_url)
    expect(page.locator("#votes")).to_contain_text("2 votes")
    fill_visible(page.get_by_label("Your comment"), "Please add drinking fountains too.")
    click_visible(page.get_by_role("button", name="Send the comment"))
    expect(page.get_by_text("Your comment is published once a moderator")).to_be_visible()
    look(page, JOURNEY, "12-idea-commented")
    desk.goto(url + "/staff/ideas/")
    click_visible(desk.get_by_role("link", name="Please add drinking fountains too."))
    check_visible(desk.get_by_label("Publish", exact=True))
    click_visible(desk.get_by_role("button", name="Decide"))
    expect(desk.get_by_text("The comment is published.")).to_be_visible()
    page.goto(idea_url)
    expect(page.get_by_text("Please add drinking fountains too.")).to_be_visible()

    # The results, with the charts and their downloads.
    page.goto(url + competition.get_absolute_url() + "results/")
    expect(page.get_by_role("heading", name="Votes per theme")).to_be_visible()
    look(page, JOURNEY, "13-results")

    # The same pages in Greek.
    use_language(home, live_server, "el")
    page.goto(url + competition.get_absolute_url())
    expect(page.get_by_role("heading", name="Τώρα: Δημόσια ψηφοφορία")).to_be_visible()
    look(page, JOURNEY, "14-competition-greek")
    page.goto(url + competition.get_absolute_url() + "ideas/")
    look(page, JOURNEY, "15-ideas-greek")
    page.goto(url + "/ideas/mine/")
    look(page, JOURNEY, "16-mine-greek")
    use_language(office, live_server, "el")
    desk.goto(url + "/staff/ideas/")
    look(desk, JOURNEY, "17-staff-greek")
