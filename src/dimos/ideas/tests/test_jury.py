"""The hackathon and the jury through the services: entries during building only, teams by
invitation, screenshots without EXIF within the limits, staff's decisions, scores once per juror
and criterion, conflicts, results with the weights and their ties, prizes and publication."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.utils import translation
from PIL import Image

from dimos.core.models import Notification
from dimos.ideas import jury_selectors, jury_services
from dimos.ideas.models import (
    AppEntry,
    Competition,
    Criterion,
    EntryStatus,
    JuryMember,
    Score,
)
from dimos.ideas.services import IdeaError
from dimos.ideas.tests.conftest import make_competition, make_idea, resident
from dimos.testing.personas import staff

pytestmark = pytest.mark.django_db


def _move(competition: Competition, phase: str) -> Competition:
    """Set the competition's dates so that now falls in ``phase``."""
    fresh = make_competition(phase, slug=f"tmp-{phase}-{competition.pk}")
    for field in (
        "submission_opens",
        "submission_closes",
        "voting_opens",
        "voting_closes",
        "building_opens",
        "building_closes",
        "judging_opens",
        "judging_closes",
        "results_at",
    ):
        setattr(competition, field, getattr(fresh, field))
    competition.save()
    fresh.themes.all().delete()
    fresh.delete()
    return competition


def _png(size: tuple[int, int] = (64, 40), exif: bool = False) -> io.BytesIO:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x0110] = "Model X"
        image.save(buffer, "JPEG", exif=data.tobytes())
    else:
        image.save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "shot.jpg" if exif else "shot.png"
    return buffer


@pytest.fixture
def building(db: Any) -> Competition:
    return make_competition("building", slug="hack")


@pytest.fixture
def team_lead(db: Any) -> Any:
    return resident("lead@example.org")


@pytest.fixture
def idea(building: Competition) -> Any:
    return make_idea(building, resident("author@example.org"))


def _enter(competition: Competition, creator: Any, idea: Any, **extra: Any) -> AppEntry:
    values: dict[str, Any] = {
        "team_name": "Οι Ποδηλάτες",
        "name": "BikeSerres",
        "description": "Διαδρομές με ποδήλατο.",
        "idea_ids": [idea.pk],
        "datasets": ["bus-stops", f"{django_settings.SITE_URL}/data/bike-lanes/"],
        "web_url": "https://bike.example.org/",
        "source_url": "https://git.example.org/bike",
        "licence": "AGPL-3.0",
        **extra,
    }
    return jury_services.enter_app(competition=competition, creator=creator, **values)


def test_a_team_enters_an_app_during_building(building: Competition, team_lead: Any, idea: Any):
    entry = _enter(building, team_lead, idea)
    assert entry.status == EntryStatus.SUBMITTED
    assert list(entry.ideas.all()) == [idea]
    assert [d.slug for d in entry.datasets.all()] == ["bus-stops", "bike-lanes"]
    assert entry.memberships.get().is_contact
    assert Notification.objects.filter(recipient=team_lead, kind="ideas.entry").count() == 1
    # The same form sent again: the same entry, nothing twice.
    assert _enter(building, team_lead, idea).pk == entry.pk
    assert AppEntry.objects.count() == 1


def test_another_team_cannot_take_the_same_name(building: Competition, team_lead: Any, idea: Any):
    _enter(building, team_lead, idea)
    with pytest.raises(IdeaError) as refused:
        _enter(building, resident("other@example.org"), idea, name="bikeserres")
    assert refused.value.code == "duplicate"


def test_entries_after_the_deadline_are_refused_with_the_date(team_lead: Any):
    judging = make_competition("judging", slug="late")
    idea = make_idea(judging, resident("author@example.org"))
    with translation.override("en"), pytest.raises(IdeaError) as refused:
        _enter(judging, team_lead, idea)
    assert refused.value.code == "deadline"
    assert "deadline" in str(refused.value)
    early = make_competition("voting", slug="early")
    with pytest.raises(IdeaError) as refused:
        _enter(early, team_lead, make_idea(early, None))
    assert refused.value.code == "not_yet"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("datasets", ["https://elsewhere.example.com/data/x/"], "bad_dataset"),
        ("datasets", ["/news/some-article/"], "bad_dataset"),
        ("datasets", ["Not a slug!"], "bad_dataset"),
        ("idea_ids", [], "no_ideas"),
        ("web_url", "javascript:alert(1)", "bad_link"),
    ],
)
def test_bad_entries_are_refused(
    building: Competition, team_lead: Any, idea: Any, field: str, value: Any, code: str
):
    with pytest.raises(IdeaError) as refused:
        _enter(building, team_lead, idea, **{field: value})
    assert refused.value.code == code


def test_an_entry_builds_only_on_published_ideas_of_its_competition(
    building: Competition, team_lead: Any
):
    other = make_competition("building", slug="other")
    foreign = make_idea(other, None)
    waiting = make_idea(building, None, title="Άλλη", status="submitted")
    for bad in (foreign, waiting):
        with pytest.raises(IdeaError) as refused:
            _enter(building, team_lead, bad)
        assert refused.value.code == "bad_ideas"


def test_an_unverified_person_cannot_enter(building: Competition, idea: Any):
    from dimos.testing.factories import UserFactory

    with pytest.raises(IdeaError) as refused:
        _enter(building, UserFactory.create(email="new@example.org"), idea)
    assert refused.value.code == "email_unconfirmed"


def test_only_members_edit_and_an_accepted_entry_goes_back_to_staff(
    building: Competition, team_lead: Any, idea: Any
):
    entry = _enter(building, team_lead, idea)
    organiser = staff("org@example.org", "ideas_organiser")
    jury_services.decide_entry(entry=entry, actor=organiser, accept=True, reason="Πληροί.")
    values = {
        "team_name": "Οι Ποδηλάτες",
        "name": "BikeSerres 2",
        "description": "Νέα έκδοση.",
        "idea_ids": [idea.pk],
        "datasets": ["bus-stops"],
        "web_url": "https://bike.example.org/",
    }
    with pytest.raises(IdeaError) as refused:
        jury_services.edit_entry(entry=entry, actor=resident("x@example.org"), **values)
    assert refused.value.code == "not_member"
    jury_services.edit_entry(entry=entry, actor=team_lead, **values)
    entry.refresh_from_db()
    assert entry.name == "BikeSerres 2" and entry.status == EntryStatus.SUBMITTED
    assert [d.slug for d in entry.datasets.all()] == ["bus-stops"]
    _move(building, "judging")
    with pytest.raises(IdeaError) as refused:
        jury_services.edit_entry(entry=entry, actor=team_lead, **values)
    assert refused.value.code == "deadline"


def test_inviting_twice_sends_once_and_a_made_up_link_is_refused(
    building: Competition, team_lead: Any, idea: Any
):
    entry = _enter(building, team_lead, idea)
    mate = resident("mate@example.org")
    invitation = jury_services.invite_member(entry=entry, actor=team_lead, email="Mate@example.org")
    again = jury_services.invite_member(entry=entry, actor=team_lead, email="mate@example.org")
    assert again == invitation
    assert Notification.objects.filter(recipient=mate, kind="ideas.invitation").count() == 1
    assert len(invitation.token_hash) == 64  # only the hash is kept
    with pytest.raises(IdeaError) as refused:
        jury_services.accept_invitation(token="made-up-token", person=mate)
    assert refused.value.code == "no_invitation"


def _invite_and_token(entry: AppEntry, actor: Any, email: str, monkeypatch: Any) -> str:
    tokens: list[str] = []
    real = jury_services.secrets.token_urlsafe

    def remember(n: int) -> str:
        tokens.append(real(n))
        return tokens[-1]

    monkeypatch.setattr(jury_services.secrets, "token_urlsafe", remember)
    jury_services.invite_member(entry=entry, actor=actor, email=email)
    return tokens[-1]


def test_accepting_needs_the_invited_address(
    building: Competition, team_lead: Any, idea: Any, monkeypatch: Any
):
    entry = _enter(building, team_lead, idea)
    token = _invite_and_token(entry, team_lead, "mate@example.org", monkeypatch)
    stranger = resident("stranger@example.org")
    with pytest.raises(IdeaError) as refused:
        jury_services.accept_invitation(token=token, person=stranger)
    assert refused.value.code == "other_email"
    mate = resident("mate@example.org")
    member = jury_services.accept_invitation(token=token, person=mate)
    assert member.account == mate and not member.is_contact
    assert jury_services.accept_invitation(token=token, person=mate) == member
    with pytest.raises(IdeaError) as refused:
        jury_services.invite_member(entry=entry, actor=team_lead, email="mate@example.org")
    assert refused.value.code == "already_member"


def test_an_invitation_to_an_address_without_account_goes_by_email(
    building: Competition, team_lead: Any, idea: Any
):
    entry = _enter(building, team_lead, idea)
    jury_services.invite_member(entry=entry, actor=team_lead, email="nobody@example.org")
    assert Notification.objects.filter(
        kind="ideas.invitation", deliveries__address="nobody@example.org"
    ).exists()


def test_screenshots_lose_their_exif_and_oversized_ones_are_refused(
    building: Competition, team_lead: Any, idea: Any, settings: Any
):
    entry = _enter(building, team_lead, idea)
    shot = jury_services.add_screenshot(
        entry=entry, actor=team_lead, image=_png(exif=True), alt="Ο χάρτης"
    )
    with shot.image.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
        assert not stored.getexif()
    assert b"SecretCam" not in shot.image.open("rb").read()
    with pytest.raises(IdeaError) as refused:
        jury_services.add_screenshot(entry=entry, actor=team_lead, image=_png(), alt="")
    assert refused.value.code == "alt_required"
    settings.DIMOS_IDEAS_IMAGE_MAX_BYTES = 100
    with pytest.raises(IdeaError) as refused:
        jury_services.add_screenshot(entry=entry, actor=team_lead, image=_png(), alt="Μεγάλη")
    assert refused.value.code == "bad_image"
    assert "MB" in str(refused.value)
    settings.DIMOS_IDEAS_IMAGE_MAX_BYTES = 10 * 1024 * 1024
    not_image = io.BytesIO(b"%PDF-1.4 not an image")
    with pytest.raises(IdeaError) as refused:
        jury_services.add_screenshot(entry=entry, actor=team_lead, image=not_image, alt="PDF")
    assert refused.value.code == "bad_image"
    assert entry.screenshots.count() == 1


def test_too_many_pixels_are_refused(
    building: Competition, team_lead: Any, idea: Any, settings: Any
):
    entry = _enter(building, team_lead, idea)
    settings.DIMOS_IMAGE_MAX_PIXELS = 1000
    with pytest.raises(IdeaError) as refused:
        jury_services.add_screenshot(
            entry=entry, actor=team_lead, image=_png((100, 100)), alt="Πολλά pixel"
        )
    assert refused.value.code == "bad_image"


def test_staff_decide_with_a_reason_the_team_reads(
    building: Competition, team_lead: Any, idea: Any
):
    entry = _enter(building, team_lead, idea)
    organiser = staff("org@example.org", "ideas_organiser")
    with pytest.raises(IdeaError) as refused:
        jury_services.decide_entry(entry=entry, actor=organiser, accept=False, reason=" ")
    assert refused.value.code == "reason_required"
    jury_services.decide_entry(
        entry=entry, actor=organiser, accept=False, reason="Δεν λειτουργεί ο σύνδεσμος."
    )
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REJECTED
    last = Notification.objects.filter(recipient=team_lead, kind="ideas.entry").latest("pk")
    assert "Δεν λειτουργεί ο σύνδεσμος." in last.body


# --- The jury -------------------------------------------------------------------------------


@pytest.fixture
def judged(building: Competition, team_lead: Any, idea: Any) -> dict[str, Any]:
    """A competition with two accepted entries, two criteria (weights 3 and 1), three jurors;
    judging open."""
    organiser = staff("org@example.org", "ideas_organiser")
    first = _enter(building, team_lead, idea)
    second = _enter(building, resident("lead2@example.org"), idea, name="ParkSerres")
    first, second = (
        jury_services.decide_entry(entry=entry, actor=organiser, accept=True, reason="Εντάξει.")
        for entry in (first, second)
    )
    impact = jury_services.save_criterion(
        competition=building, actor=organiser, name_el="Αντίκτυπος", name_en="Impact", weight=3
    )
    design = jury_services.save_criterion(
        competition=building, actor=organiser, name_el="Σχεδιασμός", name_en="Design", weight=1
    )
    jurors = [resident(f"juror{i}@example.org") for i in range(3)]
    for person in jurors:
        jury_services.name_juror(competition=building, actor=organiser, email=person.email)
    _move(building, "judging")
    first.competition = second.competition = building
    return {
        "competition": building,
        "organiser": organiser,
        "first": first,
        "second": second,
        "impact": impact,
        "design": design,
        "jurors": jurors,
    }


def test_jurors_are_told_and_criteria_fixed_once_judging_starts(judged: dict[str, Any]):
    assert Notification.objects.filter(kind="ideas.juror").count() == 3
    with pytest.raises(IdeaError) as refused:
        jury_services.save_criterion(
            competition=judged["competition"], actor=judged["organiser"], name_el="Νέο"
        )
    assert refused.value.code == "judging_started"
    with pytest.raises(IdeaError) as refused:
        jury_services.name_juror(
            competition=judged["competition"], actor=judged["organiser"], email="no@x.org"
        )
    assert refused.value.code == "no_account"


def _score(j: dict[str, Any], juror: Any, entry: AppEntry, impact: int, design: int) -> Any:
    return jury_services.score_entry(
        entry=entry,
        person=juror,
        values={j["impact"].pk: impact, j["design"].pk: design},
    )


def test_a_juror_scores_once(judged: dict[str, Any]):
    juror = judged["jurors"][0]
    _score(judged, juror, judged["first"], 8, 6)
    with pytest.raises(IdeaError) as refused:
        _score(judged, juror, judged["first"], 10, 10)
    assert refused.value.code == "already_scored"
    assert Score.objects.count() == 2
    assert sorted(Score.objects.values_list("value", flat=True)) == [6, 8]


def test_bad_scores_are_refused(judged: dict[str, Any]):
    juror = judged["jurors"][0]
    for impact, design in ((11, 5), (-1, 5)):
        with pytest.raises(IdeaError) as refused:
            _score(judged, juror, judged["first"], impact, design)
        assert refused.value.code == "bad_score"
    with pytest.raises(IdeaError) as refused:
        jury_services.score_entry(
            entry=judged["first"], person=juror, values={judged["impact"].pk: 5}
        )
    assert refused.value.code == "incomplete"
    assert not Score.objects.exists()


def test_a_conflict_of_interest_stops_scoring_and_is_left_out(judged: dict[str, Any]):
    a, b, c = judged["jurors"]
    _score(judged, b, judged["first"], 2, 2)
    jury_services.declare_conflict(entry=judged["first"], person=a, reason="Συγγενής μου.")
    with pytest.raises(IdeaError) as refused:
        _score(judged, a, judged["first"], 10, 10)
    assert refused.value.code == "conflict"
    # A conflict declared after scoring: the score is kept but not counted.
    jury_services.declare_conflict(entry=judged["first"], person=b, reason="Συνάδελφος.")
    _score(judged, c, judged["first"], 8, 4)
    row = next(
        r for r in jury_selectors.results(judged["competition"]) if r.entry == judged["first"]
    )
    assert row.jurors == 1 and row.excluded == 1
    assert row.total == pytest.approx(7)  # (8·3 + 4·1) / 4


def test_scoring_outside_judging_or_another_competition_is_refused(judged: dict[str, Any]):
    juror = judged["jurors"][0]
    other = make_competition("judging", slug="elsewhere")
    foreign = AppEntry.objects.create(
        competition=other,
        team_name="Τρίτοι",
        contact_email="t@example.org",
        name="Ξένη",
        description="…",
        status=EntryStatus.ACCEPTED,
    )
    Criterion.objects.create(competition=other, name_el="Κάτι")
    with pytest.raises(IdeaError) as refused:
        jury_services.score_entry(entry=foreign, person=juror, values={})
    assert refused.value.code == "not_juror"
    _move(judged["competition"], "results")
    with pytest.raises(IdeaError) as refused:
        _score(judged, juror, judged["first"], 5, 5)
    assert refused.value.code == "judging_closed"
    _move(judged["competition"], "building")
    with pytest.raises(IdeaError) as refused:
        _score(judged, juror, judged["first"], 5, 5)
    assert refused.value.code == "not_yet"


def test_only_accepted_entries_are_scored(judged: dict[str, Any]):
    judged["second"].status = EntryStatus.REJECTED
    judged["second"].save()
    with pytest.raises(IdeaError) as refused:
        _score(judged, judged["jurors"][0], judged["second"], 5, 5)
    assert refused.value.code == "not_accepted"


def test_results_use_the_weights_and_explain_ties(judged: dict[str, Any]):
    a, b, c = judged["jurors"]
    # First: impact (8+6)/2 = 7, design (4+6)/2 = 5 → (7·3 + 5)/4 = 6.5
    _score(judged, a, judged["first"], 8, 4)
    _score(judged, b, judged["first"], 6, 6)
    # Second: impact 6, design 8 → (6·3 + 8)/4 = 6.5: the same total, lower on impact.
    _score(judged, c, judged["second"], 6, 8)
    first, second = jury_selectors.results(judged["competition"])
    assert (first.entry, second.entry) == (judged["first"], judged["second"])
    assert first.total == second.total == pytest.approx(6.5)
    assert (first.rank, second.rank) == (1, 2)
    assert "Impact" in second.tie_note or "Αντίκτυπος" in second.tie_note
    means = {r.criterion.pk: r.mean for r in first.criteria}
    assert means[judged["impact"].pk] == 7 and means[judged["design"].pk] == 5


def test_a_full_tie_shares_the_rank(judged: dict[str, Any]):
    a, b, _c = judged["jurors"]
    _score(judged, a, judged["first"], 7, 7)
    _score(judged, b, judged["second"], 7, 7)
    first, second = jury_selectors.results(judged["competition"])
    assert first.rank == second.rank == 1
    assert second.tie_note


def test_prizes_are_given_and_published_once_judging_is_over(judged: dict[str, Any]):
    competition, organiser = judged["competition"], judged["organiser"]
    _score(judged, judged["jurors"][0], judged["first"], 9, 9)
    prize = jury_services.save_prize(
        competition=competition, actor=organiser, rank=1, title_el="Πρώτο βραβείο"
    )
    award = jury_services.award_prize(
        prize=prize, entry=judged["first"], actor=organiser, reasons_el="Χρήσιμη σε όλους."
    )
    with pytest.raises(IdeaError) as refused:
        jury_services.publish_results(competition=competition, actor=organiser)
    assert refused.value.code == "judging_open"
    second_prize = jury_services.save_prize(
        competition=competition, actor=organiser, rank=2, title_el="Δεύτερο"
    )
    with pytest.raises(IdeaError) as refused:
        jury_services.award_prize(
            prize=second_prize, entry=judged["first"], actor=organiser, reasons_el="Ξανά."
        )
    assert refused.value.code == "has_prize"
    _move(competition, "results")
    assert jury_services.publish_results(competition=competition, actor=organiser) == 1
    assert jury_services.publish_results(competition=competition, actor=organiser) == 0
    award.refresh_from_db()
    assert award.is_published
    told = set(
        Notification.objects.filter(kind="ideas.results").values_list("recipient", flat=True)
    )
    assert set(p.pk for p in judged["jurors"]) <= told
    with pytest.raises(IdeaError) as refused:
        jury_services.award_prize(
            prize=second_prize, entry=judged["second"], actor=organiser, reasons_el="Αργά."
        )
    assert refused.value.code == "published"
    assert [a.entry for a in jury_selectors.public_awards(competition)] == [judged["first"]]


def test_a_juror_with_scores_stays(judged: dict[str, Any]):
    juror = judged["jurors"][0]
    _score(judged, juror, judged["first"], 5, 5)
    member = JuryMember.objects.get(account=juror)
    with pytest.raises(IdeaError) as refused:
        jury_services.remove_juror(juror=member, actor=judged["organiser"])
    assert refused.value.code == "has_scores"
