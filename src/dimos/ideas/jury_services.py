"""Every write of the hackathon and the jury: app entries with their teams, invitations and
screenshots, staff's decisions on entries, jurors and criteria, conflicts of interest, scores,
prizes and the published results.

Refusals raise :class:`~dimos.ideas.services.IdeaError` with a ``code`` and a message for the
person. The database keeps what matters when requests cross (ADR 0030): one entry name per
competition, one score per juror, entry and criterion on the 0–10 scale, one award per prize and
one prize per entry; a second scoring is refused, never counted twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterable, Mapping
from typing import IO, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from dimos.core import audit
from dimos.core.notifications import notify
from dimos.ideas import images
from dimos.ideas.models import (
    SCORE_MAX,
    SCORE_MIN,
    AppEntry,
    Award,
    Competition,
    ConflictOfInterest,
    Criterion,
    EntryDataset,
    EntryInvitation,
    EntryMember,
    EntryScreenshot,
    EntryStatus,
    Idea,
    IdeaStatus,
    JuryMember,
    Prize,
    Score,
)
from dimos.ideas.services import IdeaError, verification_problem

MANAGE = "ideas.manage_entries"
MAX_SCREENSHOTS = 8
MAX_DATASETS = 20
SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


# --- App entries ----------------------------------------------------------------------------


def _when(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _entries_open(competition: Competition, now: dt.datetime | None) -> None:
    moment = now or timezone.now()
    if not competition.is_published:
        raise IdeaError("closed", _("This competition takes no app entries."))
    if moment < competition.building_opens:
        raise IdeaError(
            "not_yet",
            _("App entries open on %(date)s.") % {"date": _when(competition.building_opens)},
        )
    if moment >= competition.building_closes:
        raise IdeaError(
            "deadline",
            _(
                "The deadline for app entries was %(date)s: entries and changes are no longer "
                "accepted."
            )
            % {"date": _when(competition.building_closes)},
        )


def dataset_slug(value: str) -> str:
    """The catalogue slug named by ``value``: a slug, or the address of a dataset's page on
    this site (``/data/<slug>/``, with or without the site's address). Anything else is
    refused: an entry names datasets of this municipality's open data catalogue (ADR 0030)."""
    value = value.strip()
    if SLUG.match(value.lower()) and len(value) <= 100:
        return value.lower()
    parts = urlsplit(value)
    site = urlsplit(settings.SITE_URL)
    if parts.netloc and (parts.netloc.lower() != site.netloc.lower()):
        raise IdeaError(
            "bad_dataset",
            _("“%(value)s” is not a dataset of this site's open data catalogue (%(site)s/data/).")
            % {"value": value, "site": settings.SITE_URL},
        )
    match = re.fullmatch(r"/data/([A-Za-z0-9_-]{1,100})/?", parts.path)
    if match is None or not SLUG.match(match.group(1).lower()):
        raise IdeaError(
            "bad_dataset",
            _(
                "“%(value)s” is not the address of a dataset: copy it from the dataset's page, "
                "as %(site)s/data/bus-stops/."
            )
            % {"value": value, "site": settings.SITE_URL},
        )
    return match.group(1).lower()


def _datasets(values: Iterable[str]) -> list[str]:
    slugs: list[str] = []
    for value in values:
        if value.strip():
            slug = dataset_slug(value)
            if slug not in slugs:
                slugs.append(slug)
    if len(slugs) > MAX_DATASETS:
        raise IdeaError(
            "too_many_datasets", _("Name at most %(n)s datasets.") % {"n": MAX_DATASETS}
        )
    return slugs


def _ideas(competition: Competition, idea_ids: Iterable[int]) -> list[Idea]:
    wanted = set(idea_ids)
    if not wanted:
        raise IdeaError("no_ideas", _("Choose at least one published idea the app builds on."))
    found = list(
        Idea.objects.filter(pk__in=wanted, competition=competition, status=IdeaStatus.PUBLISHED)
    )
    if len(found) != len(wanted):
        raise IdeaError(
            "bad_ideas", _("An app builds only on published ideas of this competition.")
        )
    return found


def _link(value: str) -> str:
    value = (value or "").strip()
    if value and urlsplit(value).scheme not in ("http", "https"):
        raise IdeaError("bad_link", _("Links start with https:// or http://."))
    return value


def _tell_team(entry: AppEntry, kind: str = "ideas.entry", **context: Any) -> None:
    url = reverse("ideas:entry", args=[entry.competition.slug, entry.pk])
    for member in entry.memberships.select_related("account"):
        if member.account.is_active:
            notify(
                kind=kind,
                recipient=member.account,
                context={"entry": entry, "competition": entry.competition, **context},
                url=url,
            )


def _status_words(entry: AppEntry) -> str:
    if entry.status == EntryStatus.ACCEPTED:
        return str(_("accepted"))
    if entry.status == EntryStatus.REJECTED:
        return str(_("not accepted"))
    return str(_("received"))


def enter_app(
    *,
    competition: Competition,
    creator: Any,
    team_name: str,
    name: str,
    description: str,
    idea_ids: Iterable[int],
    datasets: Iterable[str] = (),
    web_url: str = "",
    store_url: str = "",
    source_url: str = "",
    licence: str = "",
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> AppEntry:
    """A team's app, entered during the building phase by a verified resident, who becomes the
    team's contact. The same app sent twice by the same person is kept once."""
    problem = verification_problem(creator)
    if problem is not None:
        raise problem
    _entries_open(competition, now)
    name = " ".join(name.split())
    if not name or not team_name.strip() or not description.strip():
        raise IdeaError("incomplete", _("Give the app's name, the team's name and a description."))
    ideas = _ideas(competition, idea_ids)
    slugs = _datasets(datasets)
    links = [_link(web_url), _link(store_url), _link(source_url)]
    if not any(links):
        raise IdeaError("no_link", _("Give at least one link: the web app, the store or the code."))
    existing = AppEntry.objects.filter(competition=competition, name__iexact=name).first()
    if existing is not None:
        if existing.created_by_id == creator.pk:
            return existing  # a resent form: the entry is there already
        raise IdeaError("duplicate", _("An app with this name is already entered."))
    try:
        with transaction.atomic():
            entry = AppEntry.objects.create(
                competition=competition,
                team_name=team_name.strip(),
                contact_email=creator.email,
                name=name,
                description=description.strip(),
                web_url=links[0],
                store_url=links[1],
                source_url=links[2],
                licence=licence.strip(),
                created_by=creator,
                submitted_at=now or timezone.now(),
            )
            EntryMember.objects.create(entry=entry, account=creator, is_contact=True)
            entry.ideas.set(ideas)
            EntryDataset.objects.bulk_create(EntryDataset(entry=entry, slug=s) for s in slugs)
            audit.record(
                action="idea.entry_submitted", actor=creator, target=entry, request=request
            )
            _tell_team(entry, status=_status_words(entry))
    except IntegrityError as exc:
        raise IdeaError("duplicate", _("An app with this name is already entered.")) from exc
    return entry


def is_member(user: Any, entry: AppEntry) -> bool:
    return bool(user.is_authenticated and entry.memberships.filter(account_id=user.pk).exists())


def _require_member(user: Any, entry: AppEntry) -> None:
    if not is_member(user, entry):
        raise IdeaError("not_member", _("Only the team's members may change its entry."))


def edit_entry(
    *,
    entry: AppEntry,
    actor: Any,
    team_name: str,
    name: str,
    description: str,
    idea_ids: Iterable[int],
    datasets: Iterable[str] = (),
    web_url: str = "",
    store_url: str = "",
    source_url: str = "",
    licence: str = "",
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> AppEntry:
    """The team changes its entry until the deadline. An accepted entry goes back to staff,
    so the showcase always shows what staff accepted."""
    _require_member(actor, entry)
    _entries_open(entry.competition, now)
    name = " ".join(name.split())
    if not name or not team_name.strip() or not description.strip():
        raise IdeaError("incomplete", _("Give the app's name, the team's name and a description."))
    ideas = _ideas(entry.competition, idea_ids)
    slugs = _datasets(datasets)
    links = [_link(web_url), _link(store_url), _link(source_url)]
    if not any(links):
        raise IdeaError("no_link", _("Give at least one link: the web app, the store or the code."))
    if (
        AppEntry.objects.filter(competition=entry.competition, name__iexact=name)
        .exclude(pk=entry.pk)
        .exists()
    ):
        raise IdeaError("duplicate", _("An app with this name is already entered."))
    entry.team_name = team_name.strip()
    entry.name = name
    entry.description = description.strip()
    entry.web_url, entry.store_url, entry.source_url = links
    entry.licence = licence.strip()
    if entry.status == EntryStatus.ACCEPTED:
        entry.status = EntryStatus.SUBMITTED
        entry.status_reason = ""
    try:
        with transaction.atomic():
            entry.save()
            entry.ideas.set(ideas)
            entry.datasets.exclude(slug__in=slugs).delete()
            have = set(entry.datasets.values_list("slug", flat=True))
            EntryDataset.objects.bulk_create(
                EntryDataset(entry=entry, slug=s) for s in slugs if s not in have
            )
            audit.record(action="idea.entry_edited", actor=actor, target=entry, request=request)
    except IntegrityError as exc:
        raise IdeaError("duplicate", _("An app with this name is already entered.")) from exc
    return entry


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_member(
    *,
    entry: AppEntry,
    actor: Any,
    email: str,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> EntryInvitation:
    """Invite a person by email to join the team; the email carries a link they accept while
    logged in with that address. Inviting the same address again sends nothing twice."""
    _require_member(actor, entry)
    _entries_open(entry.competition, now)
    email = email.strip()
    if not email or "@" not in email:
        raise IdeaError("bad_email", _("Give the email address of the person to invite."))
    if entry.memberships.filter(account__email__iexact=email).exists():
        raise IdeaError("already_member", _("This person is already in the team."))
    waiting = entry.invitations.filter(email__iexact=email, accepted_at__isnull=True).first()
    if waiting is not None:
        return waiting
    token = secrets.token_urlsafe(24)
    try:
        with transaction.atomic():
            invitation = EntryInvitation.objects.create(
                entry=entry, email=email, token_hash=_token_hash(token), invited_by=actor
            )
            account = (
                get_user_model()
                .objects.filter(email__iexact=email, is_active=True, erased_at__isnull=True)
                .first()
            )
            context = {"entry": entry, "competition": entry.competition, "inviter": actor}
            link = reverse("ideas:invitation", args=[token])
            if account is not None:
                notify(
                    kind="ideas.invitation", recipient=account, context=context, private_url=link
                )
            else:
                notify(kind="ideas.invitation", email=email, context=context, private_url=link)
            audit.record(action="idea.member_invited", actor=actor, target=entry, request=request)
    except IntegrityError:
        found = entry.invitations.filter(email__iexact=email, accepted_at__isnull=True).first()
        if found is None:
            raise
        return found
    return invitation


def invitation_for(token: str) -> EntryInvitation | None:
    return (
        EntryInvitation.objects.filter(token_hash=_token_hash(token))
        .select_related("entry", "entry__competition")
        .first()
    )


def accept_invitation(
    *,
    token: str,
    person: Any,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> EntryMember:
    """The invited person joins the team, logged in with the address the invitation went to
    (confirmed). Accepting twice changes nothing."""
    invitation = invitation_for(token)
    if invitation is None:
        raise IdeaError("no_invitation", _("This invitation link is not valid."))
    entry = invitation.entry
    if invitation.accepted_at is not None:
        member = entry.memberships.filter(account_id=person.pk).first()
        if member is not None:
            return member
        raise IdeaError("used", _("This invitation has already been accepted."))
    problem = verification_problem(person)
    if problem is not None:
        raise problem
    if not person.emailaddress_set.filter(verified=True, email__iexact=invitation.email).exists():
        raise IdeaError(
            "other_email",
            _("This invitation was sent to %(email)s: log in with that address to accept it.")
            % {"email": invitation.email},
        )
    _entries_open(entry.competition, now)
    with transaction.atomic():
        member, _created = EntryMember.objects.get_or_create(entry=entry, account=person)
        EntryInvitation.objects.filter(pk=invitation.pk).update(accepted_at=now or timezone.now())
        audit.record(action="idea.member_joined", actor=person, target=entry, request=request)
    return member


def add_screenshot(
    *,
    entry: AppEntry,
    actor: Any,
    image: IO[bytes],
    alt: str,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> EntryScreenshot:
    """A screenshot, checked by content and re-encoded from its pixels (no EXIF), within the
    size and pixel limits of ``images.clean``."""
    _require_member(actor, entry)
    _entries_open(entry.competition, now)
    if not alt.strip():
        raise IdeaError("alt_required", _("Say in a few words what the screenshot shows."))
    if entry.screenshots.count() >= MAX_SCREENSHOTS:
        raise IdeaError(
            "too_many", _("An entry has at most %(n)s screenshots.") % {"n": MAX_SCREENSHOTS}
        )
    try:
        cleaned = images.clean(image)
    except images.ImageError as exc:
        raise IdeaError("bad_image", exc.message) from exc
    full, thumb = cleaned.files()
    shot = EntryScreenshot(
        entry=entry,
        width=cleaned.width,
        height=cleaned.height,
        alt=alt.strip()[:200],
        order=entry.screenshots.count(),
    )
    shot.image.save(full.name, full, save=False)
    shot.thumbnail.save(thumb.name, thumb, save=False)
    shot.save()
    audit.record(action="idea.entry_edited", actor=actor, target=entry, request=request)
    return shot


def delete_screenshot(*, shot: EntryScreenshot, actor: Any, now: dt.datetime | None = None) -> None:
    _require_member(actor, shot.entry)
    _entries_open(shot.entry.competition, now)
    files = [shot.image, shot.thumbnail]
    shot.delete()
    for file in files:
        if file:
            file.storage.delete(file.name)


def decide_entry(
    *,
    entry: AppEntry,
    actor: Any,
    accept: bool,
    reason: str,
    request: HttpRequest | None = None,
) -> AppEntry:
    """Staff accept an entry into the competition or reject it, with a reason the team reads."""
    reason = (reason or "").strip()
    if not reason:
        raise IdeaError("reason_required", _("Write the reason the team will read."))
    status = EntryStatus.ACCEPTED if accept else EntryStatus.REJECTED
    with transaction.atomic():
        locked = AppEntry.objects.select_for_update().select_related("competition").get(pk=entry.pk)
        if locked.status == status and locked.status_reason == reason:
            return locked
        if hasattr(locked, "award") and not accept:
            raise IdeaError("awarded", _("This app has a prize: take the prize back first."))
        locked.status = status
        locked.status_reason = reason
        locked.save(update_fields=["status", "status_reason", "updated_at"])
        audit.record(
            action="idea.entry_decided",
            actor=actor,
            target=locked,
            request=request,
            details={"status": status},
        )
        _tell_team(locked, status=_status_words(locked))
    return locked


# --- The jury -------------------------------------------------------------------------------


def name_juror(
    *,
    competition: Competition,
    actor: Any,
    email: str,
    is_chair: bool = False,
    request: HttpRequest | None = None,
) -> JuryMember:
    """Staff put a person with an account on the jury; they are told by notification."""
    account = (
        get_user_model()
        .objects.filter(email__iexact=email.strip(), is_active=True, erased_at__isnull=True)
        .first()
    )
    if account is None:
        raise IdeaError(
            "no_account",
            _("Nobody has an account with this email address: ask the juror to sign up first."),
        )
    if timezone.now() >= competition.judging_closes:
        raise IdeaError("closed", _("Judging is over: the jury can no longer change."))
    with transaction.atomic():
        juror, created = JuryMember.objects.get_or_create(
            competition=competition, account=account, defaults={"is_chair": is_chair}
        )
        if not created and juror.is_chair != is_chair:
            juror.is_chair = is_chair
            juror.save(update_fields=["is_chair"])
        if created:
            audit.record(
                action="idea.juror_named",
                actor=actor,
                target=competition,
                request=request,
                details={"juror": account.pk},
            )
            notify(
                kind="ideas.juror",
                recipient=account,
                context={"competition": competition},
                url=reverse("ideas:jury", args=[competition.slug]),
            )
    return juror


def remove_juror(*, juror: JuryMember, actor: Any, request: HttpRequest | None = None) -> None:
    if juror.scores.exists():
        raise IdeaError("has_scores", _("This juror has scored entries and stays on the jury."))
    audit.record(
        action="idea.juror_removed",
        actor=actor,
        target=juror.competition,
        request=request,
        details={"juror": juror.account_id},
    )
    juror.delete()


def _criteria_open(competition: Competition) -> None:
    if timezone.now() >= competition.judging_opens:
        raise IdeaError(
            "judging_started", _("Judging has started: the criteria and weights are fixed.")
        )


def save_criterion(
    *,
    competition: Competition,
    actor: Any,
    name_el: str,
    name_en: str = "",
    description_el: str = "",
    description_en: str = "",
    weight: int = 1,
    criterion: Criterion | None = None,
    request: HttpRequest | None = None,
) -> Criterion:
    """Add or change a criterion and its weight, until judging starts."""
    _criteria_open(competition)
    if not name_el.strip():
        raise IdeaError("incomplete", _("Give the criterion's name in Greek."))
    if not 1 <= int(weight) <= 100:
        raise IdeaError("bad_weight", _("A weight is a whole number from 1 to 100."))
    target = criterion or Criterion(competition=competition, order=competition.criteria.count())
    target.name_el = name_el.strip()
    target.name_en = name_en.strip()
    target.description_el = description_el.strip()
    target.description_en = description_en.strip()
    target.weight = int(weight)
    try:
        with transaction.atomic():
            target.save()
            audit.record(
                action="idea.criterion_saved", actor=actor, target=competition, request=request
            )
    except IntegrityError as exc:
        raise IdeaError("duplicate", _("There is already a criterion with this name.")) from exc
    return target


def delete_criterion(*, criterion: Criterion, actor: Any) -> None:
    _criteria_open(criterion.competition)
    criterion.delete()


def juror_of(user: Any, competition: Competition) -> JuryMember | None:
    if not user.is_authenticated:
        return None
    return JuryMember.objects.filter(competition=competition, account_id=user.pk).first()


def _judging(competition: Competition, now: dt.datetime | None) -> None:
    moment = now or timezone.now()
    if moment < competition.judging_opens:
        raise IdeaError(
            "not_yet",
            _("Judging starts on %(date)s.") % {"date": _when(competition.judging_opens)},
        )
    if moment >= competition.judging_closes:
        raise IdeaError("judging_closed", _("Judging is over: scores can no longer be given."))


def _juror_for_entry(person: Any, entry: AppEntry) -> JuryMember:
    juror = juror_of(person, entry.competition)
    if juror is None:
        raise IdeaError("not_juror", _("You are not on the jury of this competition."))
    if entry.status != EntryStatus.ACCEPTED:
        raise IdeaError("not_accepted", _("Only accepted entries are judged."))
    return juror


def declare_conflict(
    *,
    entry: AppEntry,
    person: Any,
    reason: str,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> ConflictOfInterest:
    """A juror declares a conflict of interest with an entry: from then on they cannot score
    it, and any score they gave it is left out of the results."""
    juror = _juror_for_entry(person, entry)
    _judging(entry.competition, now)
    reason = (reason or "").strip()
    if not reason:
        raise IdeaError("reason_required", _("Say what the conflict of interest is."))
    with transaction.atomic():
        conflict, created = ConflictOfInterest.objects.get_or_create(
            juror=juror, entry=entry, defaults={"reason": reason[:1000]}
        )
        if created:
            audit.record(
                action="idea.conflict_declared", actor=person, target=entry, request=request
            )
    return conflict


def score_entry(
    *,
    entry: AppEntry,
    person: Any,
    values: Mapping[int, int],
    note: str = "",
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> list[Score]:
    """A juror scores an accepted entry on every criterion not scored yet, 0–10, once. A second
    scoring is refused (the database's unique score per juror, entry and criterion)."""
    juror = _juror_for_entry(person, entry)
    _judging(entry.competition, now)
    if ConflictOfInterest.objects.filter(juror=juror, entry=entry).exists():
        raise IdeaError(
            "conflict",
            _("You declared a conflict of interest with this entry: you do not score it."),
        )
    criteria = {c.pk: c for c in entry.competition.criteria.all()}
    done = set(
        Score.objects.filter(juror=juror, entry=entry).values_list("criterion_id", flat=True)
    )
    if criteria and set(criteria) <= done:
        raise IdeaError(
            "already_scored", _("You have already scored this entry: scores are given once.")
        )
    if any(pk in done for pk in values):
        raise IdeaError(
            "already_scored", _("You have already scored this entry: scores are given once.")
        )
    missing = [c for pk, c in criteria.items() if pk not in done and pk not in values]
    if missing or not criteria:
        raise IdeaError("incomplete", _("Give a score for every criterion."))
    for pk, value in values.items():
        if pk not in criteria:
            raise IdeaError("bad_criterion", _("Score only this competition's criteria."))
        if not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX:
            raise IdeaError(
                "bad_score",
                _("A score is a whole number from %(low)s to %(high)s.")
                % {"low": SCORE_MIN, "high": SCORE_MAX},
            )
    try:
        with transaction.atomic():
            scores = Score.objects.bulk_create(
                Score(juror=juror, entry=entry, criterion_id=pk, value=value, comment=note.strip())
                for pk, value in values.items()
            )
            audit.record(action="idea.scored", actor=person, target=entry, request=request)
    except IntegrityError as exc:  # the same form sent twice at once
        raise IdeaError(
            "already_scored", _("You have already scored this entry: scores are given once.")
        ) from exc
    return scores


# --- Prizes and results ---------------------------------------------------------------------


def save_prize(
    *,
    competition: Competition,
    actor: Any,
    rank: int,
    title_el: str,
    title_en: str = "",
    description_el: str = "",
    description_en: str = "",
    request: HttpRequest | None = None,
) -> Prize:
    if not title_el.strip():
        raise IdeaError("incomplete", _("Give the prize's name in Greek."))
    if rank < 1:
        raise IdeaError("bad_rank", _("The first prize is number 1."))
    try:
        with transaction.atomic():
            prize, _created = Prize.objects.update_or_create(
                competition=competition,
                rank=rank,
                defaults={
                    "title_el": title_el.strip(),
                    "title_en": title_en.strip(),
                    "description_el": description_el.strip(),
                    "description_en": description_en.strip(),
                },
            )
            audit.record(
                action="idea.prize_saved", actor=actor, target=competition, request=request
            )
    except IntegrityError as exc:
        raise IdeaError("duplicate", _("There is already a prize with this number.")) from exc
    return prize


def award_prize(
    *,
    prize: Prize,
    entry: AppEntry,
    actor: Any,
    reasons_el: str,
    reasons_en: str = "",
    request: HttpRequest | None = None,
) -> Award:
    """Give a prize to an accepted entry with the jury's reasons, once judging has started;
    changeable until the results are published."""
    competition = prize.competition
    if entry.competition_id != competition.pk or entry.status != EntryStatus.ACCEPTED:
        raise IdeaError("bad_entry", _("A prize goes to an accepted entry of this competition."))
    if timezone.now() < competition.judging_opens:
        raise IdeaError("not_yet", _("Prizes are given after the jury has judged."))
    if not reasons_el.strip():
        raise IdeaError("reason_required", _("Write the jury's reasons in Greek."))
    if Award.objects.filter(prize__competition=competition, is_published=True).exists():
        raise IdeaError("published", _("The results are published and can no longer change."))
    other = Award.objects.filter(entry=entry).exclude(prize=prize).first()
    if other is not None:
        raise IdeaError(
            "has_prize",
            _("This app already has the prize “%(prize)s”.") % {"prize": other.prize.title},
        )
    with transaction.atomic():
        award, _created = Award.objects.update_or_create(
            prize=prize,
            defaults={
                "entry": entry,
                "reasons_el": reasons_el.strip(),
                "reasons_en": reasons_en.strip(),
            },
        )
        audit.record(action="idea.awarded", actor=actor, target=entry, request=request)
    return award


def publish_results(
    *, competition: Competition, actor: Any, request: HttpRequest | None = None
) -> int:
    """Publish the awards with the jury's reasons once judging is over; every team of an
    accepted entry and every juror is told. Publishing twice changes nothing."""
    now = timezone.now()
    if now < competition.judging_closes:
        raise IdeaError(
            "judging_open",
            _("The results can be published once judging is over (%(date)s).")
            % {"date": _when(competition.judging_closes)},
        )
    awards = Award.objects.filter(prize__competition=competition)
    if not awards.exists():
        raise IdeaError("no_awards", _("Give at least one prize before publishing."))
    with transaction.atomic():
        changed = awards.filter(is_published=False).update(is_published=True, published_at=now)
        if changed:
            audit.record(
                action="idea.results_published", actor=actor, target=competition, request=request
            )
            url = reverse("ideas:winners", args=[competition.slug])
            people = set(
                EntryMember.objects.filter(
                    entry__competition=competition, entry__status=EntryStatus.ACCEPTED
                ).values_list("account_id", flat=True)
            ) | set(competition.jury.values_list("account_id", flat=True))
            for account in get_user_model().objects.filter(pk__in=people, is_active=True):
                notify(
                    kind="ideas.results",
                    recipient=account,
                    context={"competition": competition},
                    url=url,
                )
    return changed
