"""Reads of the hackathon and the jury: the app showcase, a team's entries, a juror's list,
staff's view of the jury's progress, and the results computed with the criteria's weights.

The result of an entry (:func:`results`): for each criterion, the mean of the scores of the
jurors who scored it, leaving out every juror who declared a conflict of interest with it; the
entry's total is the weighted mean of those means (criteria nobody scored are left out of both
sums). Entries are ranked by total; a tie is broken by the mean of the heaviest criterion, then
the next heaviest, then by how many jurors scored it; what broke it is said in words. Entries
still equal after all that share the rank, and the page says staff decide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from dimos.ideas.models import (
    AppEntry,
    Award,
    Competition,
    ConflictOfInterest,
    Criterion,
    EntryInvitation,
    EntryStatus,
    Idea,
    IdeaStatus,
    JuryMember,
    Prize,
    Score,
)


def _showcase(entries: QuerySet[AppEntry]) -> QuerySet[AppEntry]:
    return (
        entries.filter(status=EntryStatus.ACCEPTED, competition__is_published=True)
        .select_related("competition")
        .prefetch_related(
            "screenshots",
            "datasets",
            Prefetch("ideas", queryset=Idea.objects.filter(status=IdeaStatus.PUBLISHED)),
            Prefetch(
                "award",
                queryset=Award.objects.filter(is_published=True).select_related("prize"),
            ),
        )
    )


def showcase(competition: Competition | None = None) -> QuerySet[AppEntry]:
    """Accepted apps of published competitions, newest competition first."""
    entries = AppEntry.objects.all()
    if competition is not None:
        entries = entries.filter(competition=competition)
    return _showcase(entries).order_by("-competition__building_closes", "name", "pk")


def published_award(entry: AppEntry) -> Award | None:
    award = getattr(entry, "award", None)
    return award if award is not None and award.is_published else None


def visible_entry(user: Any, competition: Competition, pk: int) -> AppEntry | None:
    """An accepted entry for everyone; any entry for its team and staff who manage entries."""
    entry = (
        AppEntry.objects.filter(competition=competition, pk=pk)
        .select_related("competition")
        .prefetch_related("screenshots", "datasets", "ideas", "memberships__account")
        .first()
    )
    if entry is None:
        return None
    if entry.status == EntryStatus.ACCEPTED and competition.is_published:
        return entry
    if user.is_authenticated and (
        user.has_perm("ideas.manage_entries")
        or any(m.account_id == user.pk for m in entry.memberships.all())
    ):
        return entry
    return None


def entries_of(user: Any, competition: Competition | None = None) -> QuerySet[AppEntry]:
    if not user.is_authenticated:
        return AppEntry.objects.none()
    entries = AppEntry.objects.filter(memberships__account=user)
    if competition is not None:
        entries = entries.filter(competition=competition)
    return entries.select_related("competition").order_by("-submitted_at", "pk")


def idea_choices(competition: Competition) -> QuerySet[Idea]:
    return Idea.objects.filter(competition=competition, status=IdeaStatus.PUBLISHED).order_by(
        "-votes_count", "title", "pk"
    )


def waiting_invitations(entry: AppEntry) -> QuerySet[EntryInvitation]:
    return entry.invitations.filter(accepted_at__isnull=True)


def awards_published(competition: Competition) -> bool:
    return Award.objects.filter(prize__competition=competition, is_published=True).exists()


def public_awards(competition: Competition) -> list[Award]:
    return list(
        Award.objects.filter(prize__competition=competition, is_published=True)
        .select_related("prize", "entry")
        .order_by("prize__rank")
    )


def prizes(competition: Competition) -> list[Prize]:
    return list(
        Prize.objects.filter(competition=competition)
        .select_related("award", "award__entry")
        .order_by("rank")
    )


# --- The juror's and staff's pages --------------------------------------------------------


def competitions_judged(user: Any) -> QuerySet[JuryMember]:
    if not user.is_authenticated:
        return JuryMember.objects.none()
    return JuryMember.objects.filter(account=user).select_related("competition")


def accepted_entries(competition: Competition) -> QuerySet[AppEntry]:
    return competition.entries.filter(status=EntryStatus.ACCEPTED).order_by("name", "pk")


@dataclass
class JurorRow:
    entry: AppEntry
    scored: int
    conflict: ConflictOfInterest | None

    def state(self, criteria: int) -> str:
        if self.conflict is not None:
            return "conflict"
        if criteria and self.scored >= criteria:
            return "done"
        return "todo"


def juror_rows(juror: JuryMember) -> list[JurorRow]:
    """The accepted entries with what this juror did about each."""
    conflicts = {c.entry_id: c for c in juror.conflicts.all()}
    scored: dict[int, int] = {}
    for entry_id in juror.scores.values_list("entry_id", flat=True):
        scored[entry_id] = scored.get(entry_id, 0) + 1
    return [
        JurorRow(entry, scored.get(entry.pk, 0), conflicts.get(entry.pk))
        for entry in accepted_entries(juror.competition)
    ]


def criteria_of(competition: Competition) -> list[Criterion]:
    return list(competition.criteria.order_by("order", "pk"))


def scores_of(juror: JuryMember, entry: AppEntry) -> dict[int, Score]:
    return {s.criterion_id: s for s in Score.objects.filter(juror=juror, entry=entry)}


@dataclass
class ProgressRow:
    juror: JuryMember
    cells: list[str]  # per accepted entry: "done", "partial", "todo" or "conflict"
    done: int


def progress(competition: Competition) -> tuple[list[AppEntry], list[ProgressRow]]:
    """Who scored what: per juror and accepted entry."""
    entries = list(accepted_entries(competition))
    criteria = competition.criteria.count()
    counts: dict[tuple[int, int], int] = {}
    for juror_id, entry_id in Score.objects.filter(entry__competition=competition).values_list(
        "juror_id", "entry_id"
    ):
        counts[(juror_id, entry_id)] = counts.get((juror_id, entry_id), 0) + 1
    conflicts = set(
        ConflictOfInterest.objects.filter(entry__competition=competition).values_list(
            "juror_id", "entry_id"
        )
    )
    rows = []
    for juror in competition.jury.select_related("account"):
        cells = []
        for entry in entries:
            n = counts.get((juror.pk, entry.pk), 0)
            if (juror.pk, entry.pk) in conflicts:
                cells.append("conflict")
            elif criteria and n >= criteria:
                cells.append("done")
            elif n:
                cells.append("partial")
            else:
                cells.append("todo")
        rows.append(ProgressRow(juror, cells, cells.count("done")))
    return entries, rows


# --- Results with the weights -------------------------------------------------------------

TWO = Decimal("0.01")


def _round(value: Decimal) -> Decimal:
    return value.quantize(TWO, rounding=ROUND_HALF_UP)


@dataclass
class CriterionResult:
    criterion: Criterion
    mean: Decimal | None
    jurors: int
    weighted: Decimal | None = None


@dataclass
class EntryResult:
    entry: AppEntry
    criteria: list[CriterionResult]
    total: Decimal | None
    jurors: int
    excluded: int  # jurors left out for a conflict of interest
    rank: int = 0
    tie_note: str = ""
    award: Award | None = None
    key: tuple[Any, ...] = field(default=(), repr=False)


def results(competition: Competition) -> list[EntryResult]:
    """Every accepted entry with its mean per criterion, weighted total and rank."""
    criteria = criteria_of(competition)
    entries = list(accepted_entries(competition))
    conflicts = set(
        ConflictOfInterest.objects.filter(entry__competition=competition).values_list(
            "juror_id", "entry_id"
        )
    )
    sums: dict[tuple[int, int], list[int]] = {}
    jurors: dict[int, set[int]] = {}
    excluded: dict[int, set[int]] = {}
    for juror_id, entry_id, criterion_id, value in Score.objects.filter(
        entry__competition=competition
    ).values_list("juror_id", "entry_id", "criterion_id", "value"):
        if (juror_id, entry_id) in conflicts:
            excluded.setdefault(entry_id, set()).add(juror_id)
            continue
        sums.setdefault((entry_id, criterion_id), []).append(value)
        jurors.setdefault(entry_id, set()).add(juror_id)
    awards = {
        a.entry_id: a
        for a in Award.objects.filter(prize__competition=competition).select_related("prize")
    }
    heaviest = sorted(criteria, key=lambda c: (-c.weight, c.order, c.pk))
    out = []
    for entry in entries:
        rows = []
        weighted_sum = Decimal(0)
        weights = 0
        for criterion in criteria:
            values = sums.get((entry.pk, criterion.pk), [])
            if values:
                mean = Decimal(sum(values)) / len(values)
                weighted_sum += mean * criterion.weight
                weights += criterion.weight
                rows.append(
                    CriterionResult(criterion, _round(mean), len(values), mean * criterion.weight)
                )
            else:
                rows.append(CriterionResult(criterion, None, 0))
        total = _round(weighted_sum / weights) if weights else None
        by_pk = {r.criterion.pk: r for r in rows}
        key = (
            total if total is not None else Decimal(-1),
            *(by_pk[c.pk].mean if by_pk[c.pk].mean is not None else Decimal(-1) for c in heaviest),
            len(jurors.get(entry.pk, ())),
        )
        out.append(
            EntryResult(
                entry=entry,
                criteria=rows,
                total=total,
                jurors=len(jurors.get(entry.pk, ())),
                excluded=len(excluded.get(entry.pk, set()) - jurors.get(entry.pk, set())),
                award=awards.get(entry.pk),
                key=key,
            )
        )
    out.sort(key=lambda r: (r.key, -r.entry.pk), reverse=True)
    _rank(out, heaviest)
    return out


def _rank(rows: list[EntryResult], heaviest: list[Criterion]) -> None:
    """Ranks with ties explained: each entry with the same total as the one above it says
    what put it below (or that nothing did)."""
    for i, row in enumerate(rows):
        if row.total is None:
            row.rank = 0
            continue
        above = rows[i - 1] if i else None
        if above is None or above.total != row.total:
            row.rank = i + 1
            continue
        # Same total: find what broke the tie.
        for position, criterion in enumerate(heaviest, start=1):
            a, b = above.key[position], row.key[position]
            if a != b:
                row.rank = i + 1
                row.tie_note = _(
                    "Same total as “%(other)s” (%(total)s); ranked below it on “%(criterion)s”, "
                    "the heaviest criterion where they differ (%(theirs)s against %(ours)s)."
                ) % {
                    "other": above.entry.name,
                    "total": row.total,
                    "criterion": criterion.name,
                    "theirs": a,
                    "ours": b,
                }
                break
        else:
            if above.key[-1] != row.key[-1]:
                row.rank = i + 1
                row.tie_note = _(
                    "Same total and the same mean on every criterion as “%(other)s”; ranked "
                    "below it because fewer jurors scored it (%(ours)s against %(theirs)s)."
                ) % {"other": above.entry.name, "ours": row.key[-1], "theirs": above.key[-1]}
            else:
                row.rank = above.rank
                row.tie_note = _(
                    "A full tie with “%(other)s”: the same total, the same mean on every "
                    "criterion and as many jurors. They share the rank; the prizes say how "
                    "the jury decided."
                ) % {"other": above.entry.name}


def pending_entries() -> QuerySet[AppEntry]:
    return (
        AppEntry.objects.filter(status=EntryStatus.SUBMITTED)
        .select_related("competition")
        .order_by("submitted_at", "pk")
    )


def entries_for_staff(competition: Competition) -> QuerySet[AppEntry]:
    return competition.entries.order_by("status", "submitted_at", "pk").prefetch_related(
        "memberships__account"
    )


def managed_competitions() -> QuerySet[Competition]:
    from django.db.models import Count

    return Competition.objects.annotate(
        entries_waiting=Count("entries", filter=Q(entries__status=EntryStatus.SUBMITTED)),
        entries_accepted=Count("entries", filter=Q(entries__status=EntryStatus.ACCEPTED)),
    ).order_by("-submission_opens", "pk")
