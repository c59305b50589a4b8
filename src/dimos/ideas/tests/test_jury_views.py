"""The pages of the hackathon and the jury: entering an app by form (errors in the form, the
deadline said plainly), screenshots served only when they may be, the showcase, the invitation
link, a juror's page (scoring twice, a conflict, another competition), staff's pages behind their
permission, and the results page."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from dimos.ideas import jury_services
from dimos.ideas.models import AppEntry, EntryStatus, Score
from dimos.ideas.tests.conftest import make_competition, make_idea, resident
from dimos.ideas.tests.test_jury import _enter, _move
from dimos.testing import personas
from dimos.testing.personas import staff

pytestmark = pytest.mark.django_db


def login(user: Any = None) -> Client:
    """A client reading the pages in English (logged in as ``user``, if given), so the tests
    read the messages as written."""
    client = personas.login(user) if user is not None else Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _image(size: tuple[int, int] = (80, 50)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, "PNG")
    return SimpleUploadedFile("screen.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def hack(db: Any) -> Any:
    competition = make_competition("building", slug="hack")
    idea = make_idea(competition, resident("author@example.org"))
    return competition, idea


def test_a_resident_enters_an_app_by_the_form(hack: Any) -> None:
    competition, idea = hack
    lead = resident("lead@example.org")
    client = login(lead)
    url = reverse("ideas:enter", args=[competition.slug])
    page = client.get(url)
    assert page.status_code == 200 and idea.title in page.content.decode()
    bad = client.post(url, {"name": "BikeSerres", "team_name": "Ομάδα", "description": "…"})
    assert bad.status_code == 400
    assert "govgr-error-summary" in bad.content.decode()
    wrong_data = client.post(
        url,
        {
            "name": "BikeSerres",
            "team_name": "Ομάδα",
            "description": "Διαδρομές.",
            "ideas": [idea.pk],
            "datasets": "https://elsewhere.example.com/data/x/",
            "web_url": "https://bike.example.org/",
        },
    )
    assert wrong_data.status_code == 400
    assert "open data catalogue" in wrong_data.content.decode()
    done = client.post(
        url,
        {
            "name": "BikeSerres",
            "team_name": "Ομάδα",
            "description": "Διαδρομές.",
            "ideas": [idea.pk],
            "datasets": "bus-stops",
            "web_url": "https://bike.example.org/",
        },
    )
    entry = AppEntry.objects.get()
    assert done.status_code == 302 and done.url == reverse(
        "ideas:entry", args=[competition.slug, entry.pk]
    )
    # Not accepted yet: the team sees it, the public does not.
    assert client.get(done.url).status_code == 200
    assert login(resident("x@example.org")).get(done.url).status_code == 404


def test_the_form_says_the_deadline_has_passed(db: Any) -> None:
    competition = make_competition("judging", slug="late")
    page = login(resident("lead@example.org")).get(reverse("ideas:enter", args=[competition.slug]))
    assert "The deadline for app entries was" in page.content.decode()
    posted = login(resident("lead2@example.org")).post(
        reverse("ideas:enter", args=[competition.slug]),
        {"name": "Late", "team_name": "T", "description": "D", "web_url": "https://a.example/"},
    )
    assert posted.status_code == 400
    assert not AppEntry.objects.exists()


def test_screenshots_are_uploaded_and_served_only_when_public(hack: Any) -> None:
    competition, idea = hack
    lead = resident("lead@example.org")
    entry = _enter(competition, lead, idea)
    client = login(lead)
    url = reverse("ideas:entry_screenshots", args=[competition.slug, entry.pk])
    added = client.post(url, {"image": _image(), "alt": "Ο χάρτης των διαδρομών"})
    assert added.status_code == 302
    shot = entry.screenshots.get()
    image_url = reverse("ideas:entry_thumb", args=[competition.slug, entry.pk, shot.pk])
    assert client.get(image_url).status_code == 200
    assert login().get(image_url).status_code == 404
    organiser = staff("org@example.org", "ideas_organiser")
    jury_services.decide_entry(entry=entry, actor=organiser, accept=True, reason="Εντάξει.")
    served = login().get(image_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    # The showcase, everywhere and per competition, shows it with its screenshot.
    for page_url in (reverse("ideas:showcase"), reverse("ideas:apps", args=[competition.slug])):
        page = login().get(page_url).content.decode()
        assert "BikeSerres" in page and image_url in page


def test_an_oversized_screenshot_is_refused_in_the_form(hack: Any, settings: Any) -> None:
    competition, idea = hack
    lead = resident("lead@example.org")
    entry = _enter(competition, lead, idea)
    settings.DIMOS_IDEAS_IMAGE_MAX_BYTES = 50
    page = login(lead).post(
        reverse("ideas:entry_screenshots", args=[competition.slug, entry.pk]),
        {"image": _image(), "alt": "Μεγάλη"},
    )
    assert page.status_code == 400
    assert "larger than" in page.content.decode()
    assert not entry.screenshots.exists()


def test_an_invited_person_joins_by_the_link(hack: Any, monkeypatch: Any) -> None:
    competition, idea = hack
    lead = resident("lead@example.org")
    entry = _enter(competition, lead, idea)
    tokens: list[str] = []
    real = jury_services.secrets.token_urlsafe

    def remember(n: int) -> str:
        tokens.append(real(n))
        return tokens[-1]

    monkeypatch.setattr(jury_services.secrets, "token_urlsafe", remember)
    sent = login(lead).post(
        reverse("ideas:entry_team", args=[competition.slug, entry.pk]),
        {"invite-email": "mate@example.org"},
    )
    assert sent.status_code == 302
    mate = resident("mate@example.org")
    link = reverse("ideas:invitation", args=[tokens[0]])
    wrong = login(resident("other@example.org")).post(link)
    assert wrong.status_code == 400 and "mate@example.org" in wrong.content.decode()
    joined = login(mate).post(link)
    assert joined.status_code == 302
    assert entry.memberships.filter(account=mate).exists()
    assert login(mate).get(reverse("ideas:invitation", args=["nope"])).status_code == 404


@pytest.fixture
def judging(hack: Any) -> dict[str, Any]:
    competition, idea = hack
    organiser = staff("org@example.org", "ideas_organiser")
    entry = jury_services.decide_entry(
        entry=_enter(competition, resident("lead@example.org"), idea),
        actor=organiser,
        accept=True,
        reason="Εντάξει.",
    )
    criterion = jury_services.save_criterion(
        competition=competition, actor=organiser, name_el="Αντίκτυπος", name_en="Impact", weight=2
    )
    juror = resident("juror@example.org")
    jury_services.name_juror(competition=competition, actor=organiser, email=juror.email)
    _move(competition, "judging")
    entry.competition = competition
    return {
        "competition": competition,
        "entry": entry,
        "criterion": criterion,
        "juror": juror,
        "organiser": organiser,
    }


def test_a_juror_scores_once_by_the_form(judging: dict[str, Any]) -> None:
    competition, entry, criterion = judging["competition"], judging["entry"], judging["criterion"]
    client = login(judging["juror"])
    listing = client.get(reverse("ideas:jury", args=[competition.slug]))
    assert listing.status_code == 200 and entry.name in listing.content.decode()
    url = reverse("ideas:jury_score", args=[competition.slug, entry.pk])
    out_of_range = client.post(url, {"form": "score", f"score-c{criterion.pk}": "11"})
    assert out_of_range.status_code == 400
    saved = client.post(url, {"form": "score", f"score-c{criterion.pk}": "8"})
    assert saved.status_code == 302
    again = client.post(url, {"form": "score", f"score-c{criterion.pk}": "2"})
    assert again.status_code == 400
    assert Score.objects.get().value == 8
    assert "You have scored this app on every criterion." in client.get(url).content.decode()


def test_a_juror_declares_a_conflict_and_cannot_score(judging: dict[str, Any]) -> None:
    competition, entry, criterion = judging["competition"], judging["entry"], judging["criterion"]
    client = login(judging["juror"])
    url = reverse("ideas:jury_score", args=[competition.slug, entry.pk])
    empty = client.post(url, {"form": "conflict", "conflict-reason": ""})
    assert empty.status_code == 400
    declared = client.post(url, {"form": "conflict", "conflict-reason": "Ο αδελφός μου."})
    assert declared.status_code == 302
    refused = client.post(url, {"form": "score", f"score-c{criterion.pk}": "9"})
    assert refused.status_code == 400
    assert not Score.objects.exists()


def test_nobody_else_reaches_a_jurors_pages(judging: dict[str, Any]) -> None:
    competition, entry = judging["competition"], judging["entry"]
    other = make_competition("judging", slug="other")
    outsider = login(resident("x@example.org"))
    assert outsider.get(reverse("ideas:jury", args=[competition.slug])).status_code == 404
    juror = login(judging["juror"])
    # A juror of one competition scoring an entry of another: not found.
    assert juror.get(reverse("ideas:jury_score", args=[other.slug, entry.pk])).status_code == 404


def test_staff_pages_need_the_permission(judging: dict[str, Any]) -> None:
    competition = judging["competition"]
    urls = [
        reverse("ideas_staff:competitions"),
        reverse("ideas_staff:entries", args=[competition.slug]),
        reverse("ideas_staff:entry", args=[competition.slug, judging["entry"].pk]),
        reverse("ideas_staff:jury", args=[competition.slug]),
        reverse("ideas_staff:results", args=[competition.slug]),
    ]
    moderator = login(staff("mod@example.org", "ideas_moderator"))
    organiser = login(judging["organiser"])
    for url in urls:
        assert moderator.get(url).status_code == 403
        assert organiser.get(url).status_code == 200


def test_staff_see_progress_and_publish_results(judging: dict[str, Any]) -> None:
    competition, entry, criterion = judging["competition"], judging["entry"], judging["criterion"]
    jury_services.score_entry(entry=entry, person=judging["juror"], values={criterion.pk: 7})
    organiser = login(judging["organiser"])
    jury_page = organiser.get(reverse("ideas_staff:jury", args=[competition.slug])).content
    assert "juror@example.org" in jury_page.decode() and "1 / 1" in jury_page.decode()
    url = reverse("ideas_staff:results", args=[competition.slug])
    organiser.post(url, {"form": "prize", "prize-rank": "1", "prize-title_el": "Πρώτο"})
    prize = competition.prize_set.get()
    awarded = organiser.post(
        url,
        {
            "form": "award",
            "award-prize": prize.pk,
            "award-entry": entry.pk,
            "award-reasons_el": "Λύνει πραγματικό πρόβλημα.",
        },
    )
    assert awarded.status_code == 302
    early = organiser.post(url, {"form": "publish"}, follow=True)
    assert "once judging is over" in early.content.decode()
    public = login().get(reverse("ideas:winners", args=[competition.slug])).content.decode()
    assert "Λύνει πραγματικό πρόβλημα." not in public
    _move(competition, "results")
    organiser.post(url, {"form": "publish"})
    public = login().get(reverse("ideas:winners", args=[competition.slug])).content.decode()
    assert "Λύνει πραγματικό πρόβλημα." in public and entry.name in public and "7.00" in public


def test_staff_decide_on_an_entry_by_the_form(judging: dict[str, Any]) -> None:
    competition, entry = judging["competition"], judging["entry"]
    organiser = login(judging["organiser"])
    url = reverse("ideas_staff:entry", args=[competition.slug, entry.pk])
    missing = organiser.post(url, {"decision": "reject", "reason": ""})
    assert missing.status_code == 400
    organiser.post(url, {"decision": "reject", "reason": "Δεν είναι ανοιχτός ο κώδικας."})
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REJECTED


def test_the_api_lists_accepted_apps_and_the_published_results(judging: dict[str, Any]) -> None:
    competition, entry, criterion = judging["competition"], judging["entry"], judging["criterion"]
    client = login()
    apps = client.get(f"/api/v1/ideas/competitions/{competition.slug}/apps").json()
    assert [a["name"] for a in apps["items"]] == [entry.name]
    assert apps["items"][0]["datasets"] == ["bus-stops", "bike-lanes"]
    assert client.get("/api/v1/ideas/competitions/nope/apps").status_code == 404
    results_url = f"/api/v1/ideas/competitions/{competition.slug}/jury-results"
    assert client.get(results_url).json()["error"]["code"] == "not_published"
    jury_services.score_entry(entry=entry, person=judging["juror"], values={criterion.pk: 9})
    prize = jury_services.save_prize(
        competition=competition, actor=judging["organiser"], rank=1, title_el="Πρώτο"
    )
    jury_services.award_prize(
        prize=prize, entry=entry, actor=judging["organiser"], reasons_el="Άριστη."
    )
    _move(competition, "results")
    jury_services.publish_results(competition=competition, actor=judging["organiser"])
    (row,) = client.get(results_url).json()
    assert row["rank"] == 1 and row["total"] == 9.0 and row["reasons"] == "Άριστη."
    assert row["criteria"] == [{"criterion": "Impact", "weight": 2, "mean": 9.0, "jurors": 1}]
