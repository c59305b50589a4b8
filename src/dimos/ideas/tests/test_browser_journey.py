"""The competition from an idea to the winning app, in a real browser: a resident proposes an
idea; a moderator publishes it; three residents vote and one takes the vote back; a team enters
an app built on it (a screenshot, a member invited by email); the organiser accepts it, names
the jury and its criteria; two jurors score (one declares a conflict of interest with the other
app); the organiser gives the prize and publishes; the public results show the winner — on a
phone and a desktop, axe-core on every page, in English and in Greek.

The competition's dates are moved between the steps, as the days of a real competition pass."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import BrowserContext, Page, expect

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

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEY = "ideas"
TIMEOUT = 20_000
FIELDS = (
    "submission_opens",
    "submission_closes",
    "voting_opens",
    "voting_closes",
    "building_opens",
    "building_closes",
    "judging_opens",
    "judging_closes",
    "results_at",
)


def _move(competition: Any, phase: str) -> None:
    """The days pass: now falls in ``phase``."""
    from dimos.ideas.tests.conftest import _OFFSETS

    now = timezone.now()
    for field, days in zip(FIELDS, _OFFSETS[phase], strict=True):
        setattr(competition, field, now + dt.timedelta(days=days))
    competition.save()


def _person(context: BrowserContext, site: Any, user: Any, language: str = "en") -> Page:
    use_language(context, site, language)
    log_in_as(context, site, user)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    return page


def test_an_idea_becomes_a_winning_app(
    page: Page,
    live_server: Any,
    new_context: Callable[..., BrowserContext],
    monkeypatch: Any,
) -> None:
    from dimos.ideas import jury_services
    from dimos.ideas.models import AppEntry, Idea, Score
    from dimos.ideas.tests.conftest import make_competition, resident
    from dimos.testing.data import seed
    from dimos.testing.personas import staff

    seed()
    url = live_server.url
    page.set_default_timeout(TIMEOUT)
    competition = make_competition("submission", slug="apps4serres")
    author = resident("eleni@example.org")
    voters = [resident(f"voter{i}@example.org") for i in range(3)]
    lead = resident("nikos@example.org", last_name="Lead")
    mate = resident("maria@example.org")
    jurors = [resident("juror1@example.org"), resident("juror2@example.org")]
    moderator = staff("moderator@example.org", "ideas_moderator")
    organiser = staff("organiser@example.org", "ideas_organiser")

    # 1. A resident proposes an idea.
    home = page.context
    use_language(home, live_server, "en")
    log_in_as(home, live_server, author)
    page.goto(url + f"/ideas/{competition.slug}/submit/")
    select_visible(page.get_by_label("Theme"), label="Transport")
    fill_visible(page.get_by_label("Title"), "Bike lanes to the lake")
    fill_visible(page.get_by_label("Your idea"), "A safe bike lane from the centre to the lake.")
    look(page, JOURNEY, "01-propose")
    click_visible(page.get_by_role("button", name="Send the idea"))
    idea = Idea.objects.get(title="Bike lanes to the lake")
    assert idea.status == "submitted"

    # 2. A moderator publishes it with a reason.
    desk = _person(new_context(), live_server, moderator)
    desk.goto(url + "/staff/ideas/")
    click_visible(desk.get_by_role("link", name="Bike lanes to the lake"))
    check_visible(desk.get_by_label("Publish", exact=True))
    fill_visible(desk.get_by_label("Reason, shown to the author"), "Clear and useful.")
    look(desk, JOURNEY, "02-moderate")
    click_visible(desk.get_by_role("button", name="Decide"))
    idea.refresh_from_db()
    assert idea.status == "published"

    # 3. Voting: three residents vote, one takes the vote back.
    _move(competition, "voting")
    for i, voter in enumerate(voters):
        booth = _person(new_context(), live_server, voter)
        booth.goto(url + f"/ideas/{competition.slug}/ideas/{idea.pk}/")
        click_visible(booth.get_by_role("button", name="Vote for this idea"))
        expect(booth.get_by_text("Your vote was counted.")).to_be_visible()
        if i == 0:
            look(booth, JOURNEY, "03-voted")
        if i == 2:
            click_visible(booth.get_by_role("button", name="Take my vote back"))
            expect(booth.get_by_text("Your vote was taken back.")).to_be_visible()
        booth.context.close()
    idea.refresh_from_db()
    assert idea.votes_count == 2 == idea.votes.count()

    # 4. Building: a team enters an app built on the idea.
    _move(competition, "building")
    other_entry = jury_services.enter_app(
        competition=competition,
        creator=resident("rival@example.org"),
        team_name="Rivals",
        name="LakeWalk",
        description="Walks around the lake.",
        idea_ids=[idea.pk],
        web_url="https://lakewalk.example.org/",
    )
    team = _person(new_context(), live_server, lead)
    team.goto(url + f"/ideas/{competition.slug}/apps/")
    look(team, JOURNEY, "04-apps-open")
    click_visible(team.get_by_role("link", name="Enter an app"))
    fill_visible(team.get_by_label("Name of the app"), "BikeSerres")
    fill_visible(team.get_by_label("Team name"), "Pedals")
    fill_visible(team.get_by_label("What the app does"), "Routes and bike lanes of the city.")
    check_visible(team.get_by_label("Bike lanes to the lake"))
    fill_visible(team.get_by_label("Open datasets it uses"), "bike-lanes")
    fill_visible(team.get_by_label("Web address"), "https://bike.example.org/")
    fill_visible(team.get_by_label("Source code"), "https://git.example.org/bike")
    fill_visible(team.get_by_label("Licence"), "AGPL-3.0")
    look(team, JOURNEY, "05-enter")
    click_visible(team.get_by_role("button", name="Enter the app"))
    expect(team.get_by_text("Your app “BikeSerres” is entered.")).to_be_visible()
    entry = AppEntry.objects.get(name="BikeSerres")
    look(team, JOURNEY, "06-entry-submitted")

    # A screenshot, through the file chooser; its EXIF is gone.
    click_visible(team.get_by_role("link", name="Screenshots"))
    picture = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    Image.new("RGB", (640, 400), (30, 120, 200)).save(picture, "JPEG", exif=exif.tobytes())
    upload_visible(
        team,
        team.get_by_label("Screenshot", exact=True),
        {"name": "map.jpg", "mimeType": "image/jpeg", "buffer": picture.getvalue()},
    )
    fill_visible(team.get_by_label("What the screenshot shows"), "The map of bike lanes")
    click_visible(team.get_by_role("button", name="Add the screenshot"))
    expect(team.get_by_text("The screenshot is added.")).to_be_visible()
    expect(team.get_by_role("img", name="The map of bike lanes")).to_be_visible()
    look(team, JOURNEY, "07-screenshots")
    shot = entry.screenshots.get()
    assert b"SecretCam" not in shot.image.open("rb").read()

    # A member invited by email accepts with that address.
    tokens: list[str] = []
    real = jury_services.secrets.token_urlsafe

    def remember(n: int) -> str:
        tokens.append(real(n))
        return tokens[-1]

    monkeypatch.setattr(jury_services.secrets, "token_urlsafe", remember)
    team.goto(url + f"/ideas/{competition.slug}/apps/{entry.pk}/team/")
    fill_visible(team.get_by_label("Email address of the person to invite"), mate.email)
    click_visible(team.get_by_role("button", name="Send the invitation"))
    expect(team.get_by_text(f"We sent an invitation to {mate.email}.")).to_be_visible()
    look(team, JOURNEY, "08-team")
    joiner = _person(new_context(), live_server, mate)
    joiner.goto(url + f"/ideas/invitations/{tokens[-1]}/")
    look(joiner, JOURNEY, "09-invitation")
    click_visible(joiner.get_by_role("button", name="Join the team"))
    expect(joiner.get_by_text("You are in the team of “BikeSerres”.")).to_be_visible()

    # 5. The organiser accepts the entries, sets the criteria and names the jury.
    office = _person(new_context(), live_server, organiser)
    office.goto(url + "/staff/ideas/competitions/")
    look(office, JOURNEY, "10-staff-competitions")
    click_visible(office.get_by_role("link", name="App entries", exact=False).first)
    click_visible(office.get_by_role("link", name="BikeSerres"))
    check_visible(office.get_by_label("Accept the entry", exact=True))
    fill_visible(office.get_by_label("Reason given to the team"), "Meets the rules.")
    look(office, JOURNEY, "11-staff-entry")
    click_visible(office.get_by_role("button", name="Save the decision"))
    expect(office.get_by_text("Your decision on “BikeSerres” is saved.")).to_be_visible()
    jury_services.decide_entry(
        entry=other_entry, actor=organiser, accept=True, reason="Meets the rules."
    )
    click_visible(office.get_by_role("link", name="Jury and criteria"))
    for name, weight in (("Impact", "3"), ("Design", "1")):
        fill_visible(office.get_by_label("Criterion (Greek)"), name)
        fill_visible(office.get_by_label("Criterion (English)"), name)
        fill_visible(office.get_by_label("Weight"), weight)
        click_visible(office.get_by_role("button", name="Add the criterion"))
        expect(office.get_by_text("The criterion is saved.")).to_be_visible()
    for juror in jurors:
        fill_visible(office.get_by_label("Juror's email address"), juror.email)
        click_visible(office.get_by_role("button", name="Name the juror"))
        expect(office.get_by_text("is on the jury and has been told.")).to_be_visible()
    look(office, JOURNEY, "12-staff-jury")

    # 6. Judging: the jurors score; one declares a conflict with the rival app.
    _move(competition, "judging")
    marks = {"BikeSerres": ("9", "7"), "LakeWalk": ("6", "8")}
    for n, juror in enumerate(jurors):
        bench = _person(new_context(), live_server, juror)
        bench.goto(url + "/ideas/jury/")
        click_visible(bench.get_by_role("link", name=competition.title_en))
        if n == 0:
            look(bench, JOURNEY, "13-juror-list")
        for app in ("BikeSerres", "LakeWalk"):
            click_visible(bench.get_by_role("link", name=app))
            if n == 1 and app == "LakeWalk":
                click_visible(bench.get_by_text("Declare a conflict of interest"))
                fill_visible(bench.get_by_label("Your conflict of interest"), "My cousin's team.")
                look(bench, JOURNEY, "15-conflict")
                click_visible(bench.get_by_role("button", name="Declare the conflict"))
                expect(bench.get_by_text("is recorded: you do not score it.")).to_be_visible()
                continue
            impact, design = marks[app]
            select_visible(bench.get_by_label("Impact (weight 3)"), value=impact)
            select_visible(bench.get_by_label("Design (weight 1)"), value=design)
            if n == 0 and app == "BikeSerres":
                look(bench, JOURNEY, "14-score")
            click_visible(bench.get_by_role("button", name="Save my scores"))
            expect(bench.get_by_text(f"Your scores for “{app}” are saved.")).to_be_visible()
        # Scoring again: the form is gone, and a resent form is refused.
        bench.goto(url + f"/ideas/{competition.slug}/jury/{entry.pk}/")
        expect(bench.get_by_text("You have scored this app on every criterion.")).to_be_visible()
        bench.context.close()
    assert Score.objects.count() == 6  # 2 criteria × (2 + 1) entries scored

    office.goto(url + f"/staff/ideas/competitions/{competition.slug}/jury/")
    expect(office.locator("#progress")).to_contain_text("conflict of interest")
    look(office, JOURNEY, "16-staff-progress")

    # 7. Judging is over: the organiser gives the prize and publishes.
    _move(competition, "results")
    office.goto(url + f"/staff/ideas/competitions/{competition.slug}/results/")
    expect(office.locator("#ranking tbody tr").first).to_contain_text("BikeSerres")
    fill_visible(office.get_by_label("Number of the prize"), "1")
    fill_visible(office.get_by_label("Prize (Greek)"), "Πρώτο βραβείο")
    fill_visible(office.get_by_label("Prize (English)"), "First prize")
    click_visible(office.get_by_role("button", name="Save the prize"))
    select_visible(office.get_by_label("Prize", exact=True), label="First prize")
    select_visible(office.get_by_label("App", exact=True), label="BikeSerres")
    fill_visible(office.get_by_label("The jury's reasons (Greek)"), "Χρήσιμη σε κάθε ποδηλάτη.")
    fill_visible(office.get_by_label("The jury's reasons (English)"), "Useful to every cyclist.")
    click_visible(office.get_by_role("button", name="Give the prize"))
    expect(office.get_by_text("“First prize” goes to “BikeSerres”.")).to_be_visible()
    look(office, JOURNEY, "17-staff-results")
    click_visible(office.get_by_role("button", name="Publish the results"))
    expect(office.get_by_text("The results are published.").first).to_be_visible()

    # 8. Everyone reads the results: the winner, the prize, the reasons, the scores.
    visitor_context = new_context()
    use_language(visitor_context, live_server, "en")
    visitor = visitor_context.new_page()
    visitor.set_default_timeout(TIMEOUT)
    visitor.goto(url + f"/ideas/{competition.slug}/winners/")
    expect(visitor.locator("#winners")).to_contain_text("First prize: BikeSerres")
    expect(visitor.locator("#winners")).to_contain_text("Useful to every cyclist.")
    # BikeSerres: (9·3 + 7)/4 = 8.50 from both jurors; LakeWalk: (6·3 + 8)/4 = 6.50.
    expect(visitor.locator("#scores")).to_contain_text("8.50")
    expect(visitor.locator("#scores")).to_contain_text("6.50")
    look(visitor, JOURNEY, "18-winners")
    visitor.goto(url + "/ideas/apps/")
    expect(visitor.get_by_text("First prize")).to_be_visible()
    look(visitor, JOURNEY, "19-showcase")
    click_visible(visitor.get_by_role("link", name="BikeSerres"))
    expect(visitor.locator("#entry-ideas")).to_contain_text("Bike lanes to the lake")
    expect(visitor.get_by_role("img", name="The map of bike lanes")).to_be_visible()
    look(visitor, JOURNEY, "20-app")

    # The same pages in Greek.
    use_language(visitor_context, live_server, "el")
    visitor.goto(url + f"/ideas/{competition.slug}/winners/")
    expect(
        visitor.get_by_role("heading", name="Τα αποτελέσματα της επιτροπής αξιολόγησης")
    ).to_be_visible()
    expect(visitor.locator("#winners")).to_contain_text("Πρώτο βραβείο: BikeSerres")
    look(visitor, JOURNEY, "21-winners-greek")
    visitor.goto(url + "/ideas/apps/")
    look(visitor, JOURNEY, "22-showcase-greek")
    visitor.goto(url + f"/ideas/{competition.slug}/apps/{entry.pk}/")
    look(visitor, JOURNEY, "23-app-greek")
    use_language(office.context, live_server, "el")
    office.goto(url + f"/staff/ideas/competitions/{competition.slug}/results/")
    look(office, JOURNEY, "24-staff-results-greek")
    juror_context = new_context()
    greek_juror = _person(juror_context, live_server, jurors[0], "el")
    _move(competition, "judging")
    greek_juror.goto(url + f"/ideas/{competition.slug}/jury/")
    look(greek_juror, JOURNEY, "25-juror-greek")
    greek_juror.goto(url + f"/ideas/{competition.slug}/jury/{entry.pk}/")
    look(greek_juror, JOURNEY, "26-juror-scored-greek")
    assert (SCREENSHOTS / JOURNEY).exists()
