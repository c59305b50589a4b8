"""Writes of the open budget: years, imported snapshots, spending decisions.

Each write is one transaction with its audit entry; none does network I/O. Reading and checking
a file is :mod:`dimos.budget.importer`'s; here the checked rows become lines and amounts.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from dimos.budget.importer import ImportRefused, Row, read_budget_file
from dimos.budget.importing.decisions import read_decisions
from dimos.budget.importing.preview import check_snapshot_place
from dimos.budget.kae import CLASSES_AND_GROUPS
from dimos.budget.models import (
    BudgetLine,
    FiscalYear,
    Kae,
    LineAmounts,
    Service,
    Snapshot,
    SpendingDecision,
    direction_of,
    level_of,
    parent_code,
)
from dimos.core.audit import record

if TYPE_CHECKING:
    from dimos.accounts.models import User

BATCH = 1000


def ensure_kae_classes() -> None:
    """The classes and groups of the classification, in every installation (made once; the
    names in :mod:`dimos.budget.kae` are kept up to date)."""
    existing = {k.code: k for k in Kae.objects.filter(code__in=CLASSES_AND_GROUPS)}
    for code, (name_el, name_en) in CLASSES_AND_GROUPS.items():  # classes come before groups
        kae = existing.get(code)
        if kae is None:
            existing[code] = Kae.objects.create(
                code=code,
                parent=existing[parent_code(code)] if parent_code(code) else None,
                level=level_of(code),
                direction=direction_of(code),
                name_el=name_el,
                name_en=name_en,
            )
        elif (kae.name_el, kae.name_en) != (name_el, name_en):
            kae.name_el, kae.name_en = name_el, name_en
            kae.save(update_fields=["name_el", "name_en"])


# --- Years ------------------------------------------------------------------------------------


def create_year(*, year: int, actor: User | None, request: HttpRequest | None = None) -> FiscalYear:
    """A new fiscal year, unpublished (the same year twice gives the one year)."""
    with transaction.atomic():
        fiscal_year, created = FiscalYear.objects.get_or_create(year=year)
        if created:
            record(action="budget.year_created", actor=actor, target=fiscal_year, request=request)
    return fiscal_year


def set_year_published(
    *, fiscal_year: FiscalYear, published: bool, actor: User | None, request: HttpRequest | None
) -> None:
    """Publish a year (its pages and data become public) or take it back."""
    with transaction.atomic():
        fiscal_year = FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
        if fiscal_year.published == published:
            return
        fiscal_year.published = published
        fiscal_year.save(update_fields=["published"])
        record(
            action="budget.year_published" if published else "budget.year_unpublished",
            actor=actor,
            target=fiscal_year,
            request=request,
        )


# --- Snapshots --------------------------------------------------------------------------------


def import_snapshot(
    *,
    year: int,
    as_of: date,
    file_name: str,
    data: bytes,
    actor: User | None,
    request: HttpRequest | None = None,
) -> Snapshot:
    """Import a budget or execution file as the year's snapshot as of a date, all or nothing.

    Raises :class:`ImportRefused` with every problem (each with its line number) and changes
    nothing if the file has any. The file is read before the transaction starts.
    """
    budget_file = read_budget_file(file_name, data)
    errors = check_snapshot_place(year, as_of, budget_file.sha256) + budget_file.errors
    if errors:
        raise ImportRefused(errors)
    try:
        with transaction.atomic():
            ensure_kae_classes()
            fiscal_year, _created = FiscalYear.objects.get_or_create(year=year)
            # One import per year at a time: the second waits and then sees the first's date.
            FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
            errors = check_snapshot_place(year, as_of, budget_file.sha256)
            if errors:
                raise ImportRefused(errors)
            snapshot = Snapshot.objects.create(
                year=fiscal_year,
                as_of=as_of,
                file_name=file_name[:255],
                sha256=budget_file.sha256,
                rows=len(budget_file.rows),
                imported_by=_person(actor),
            )
            lines = _lines(fiscal_year, budget_file.rows)
            LineAmounts.objects.bulk_create(
                (
                    LineAmounts(snapshot=snapshot, line_id=lines[row.key], **row.amounts)
                    for row in budget_file.rows
                ),
                batch_size=BATCH,
            )
            record(
                action="budget.snapshot_imported",
                actor=actor,
                target=snapshot,
                request=request,
                details={
                    "year": year,
                    "as_of": as_of.isoformat(),
                    "file": snapshot.file_name,
                    "sha256": snapshot.sha256,
                    "rows": snapshot.rows,
                },
            )
    except IntegrityError as error:
        # Another request imported the same file or date between our check and our insert.
        errors = check_snapshot_place(year, as_of, budget_file.sha256)
        if not errors:
            raise
        raise ImportRefused(errors) from error
    return snapshot


def _lines(fiscal_year: FiscalYear, rows: list[Row]) -> dict[tuple[str, str], int]:
    """The year's lines for the rows, made or renamed; services and KAE codes likewise."""
    services = _services(rows)
    kaes = _kaes(rows)
    lines = {
        (line.service.code, line.kae.code): line
        for line in BudgetLine.objects.filter(year=fiscal_year).select_related("service", "kae")
    }
    new, renamed = [], []
    for row in rows:
        line = lines.get(row.key)
        if line is None:
            new.append(
                BudgetLine(
                    year=fiscal_year,
                    service=services[row.service_code],
                    kae=kaes[row.kae],
                    direction=row.direction,
                    description=row.description,
                )
            )
        elif line.description != row.description:
            line.description = row.description
            renamed.append(line)
    BudgetLine.objects.bulk_create(new, batch_size=BATCH)
    BudgetLine.objects.bulk_update(renamed, ["description"], batch_size=BATCH)
    return dict(
        ((service, kae), pk)
        for service, kae, pk in BudgetLine.objects.filter(year=fiscal_year).values_list(
            "service__code", "kae__code", "pk"
        )
    )


def _services(rows: list[Row]) -> dict[str, Service]:
    names: dict[str, str] = {}
    for row in rows:
        if row.service_name or row.service_code not in names:
            names[row.service_code] = row.service_name
    services = {s.code: s for s in Service.objects.filter(code__in=names)}
    renamed = []
    for code, name in names.items():
        service = services.get(code)
        if service is None:
            services[code] = Service(code=code, name_el=name or _service_name(code))
        elif name and service.name_el != name:
            service.name_el = name
            renamed.append(service)
    Service.objects.bulk_create([s for s in services.values() if s.pk is None])
    Service.objects.bulk_update(renamed, ["name_el"])
    return {s.code: s for s in Service.objects.filter(code__in=names)}


def _service_name(code: str) -> str:
    # Files that write only the code: a plain name until a file (or an officer) gives one.
    return f"Υπηρεσία {code}"


def _kaes(rows: list[Row]) -> dict[str, Kae]:
    """The rows' KAE codes and every code above them, named from the rows' descriptions
    (a code above a line, which no file names, is called by its number). Made a level at a
    time, in bulk, so that each level's parents exist."""
    names: dict[str, str] = {row.kae: row.description for row in rows}
    wanted: set[str] = set()
    for code in names:
        while code:
            wanted.add(code)
            code = parent_code(code)
    # Every code, not ``code__in`` a file's thousands (SQLite caps a query's parameters).
    kaes = {k.code: k for k in Kae.objects.all() if k.code in wanted}
    renamed = [
        kae
        for code, kae in kaes.items()
        if (name := names.get(code)) and kae.level > 2 and kae.name_el != name
    ]
    for kae in renamed:
        kae.name_el = names[kae.code]
    Kae.objects.bulk_update(renamed, ["name_el"], batch_size=BATCH)
    for level in range(1, 6):
        new = [
            Kae(
                code=code,
                parent=kaes[parent_code(code)] if parent_code(code) else None,
                level=level,
                direction=direction_of(code),
                name_el=names.get(code) or f"Κ.Α. {code}",
                name_en="" if names.get(code) else f"KAE {code}",
            )
            for code in sorted(wanted)
            if level_of(code) == level and code not in kaes
        ]
        if new:
            Kae.objects.bulk_create(new, batch_size=BATCH)
            made = {k.code: k for k in Kae.objects.filter(level=level) if k.code in wanted}
            kaes.update(made)
    return kaes


# --- Spending decisions -----------------------------------------------------------------------


def save_decision(
    *,
    decision: SpendingDecision,
    actor: User | None,
    request: HttpRequest | None = None,
) -> SpendingDecision:
    """Add or change one decision by hand (the form has checked it)."""
    created = decision.pk is None
    with transaction.atomic():
        if created:
            decision.created_by = _person(actor)
        decision.save()
        record(
            action="budget.decision_added" if created else "budget.decision_changed",
            actor=actor,
            target=decision,
            request=request,
            details={
                "ada": decision.ada,
                "line": decision.line.code,
                "amount": str(decision.amount),
            },
        )
    return decision


def delete_decision(
    *, decision: SpendingDecision, actor: User | None, request: HttpRequest | None = None
) -> None:
    with transaction.atomic():
        record(
            action="budget.decision_deleted",
            actor=actor,
            target=decision,
            request=request,
            details={
                "ada": decision.ada,
                "line": decision.line.code,
                "amount": str(decision.amount),
            },
        )
        decision.delete()


def import_decisions(
    *,
    year: FiscalYear,
    file_name: str,
    data: bytes,
    actor: User | None,
    request: HttpRequest | None = None,
) -> tuple[int, int]:
    """Add the decisions of a file (a decision already recorded, by its ADA, is updated), all
    or nothing; how many were added and updated. :class:`ImportRefused` lists every problem."""
    rows = read_decisions(data, year)
    added = updated = 0
    with transaction.atomic():
        existing = {
            d.ada: d
            for d in SpendingDecision.objects.select_for_update().filter(
                ada__in=[r["ada"] for r in rows]
            )
        }
        for values in rows:
            decision = existing.get(values["ada"])
            if decision is None:
                SpendingDecision.objects.create(**values, created_by=_person(actor))
                added += 1
            elif any(getattr(decision, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(decision, name, value)
                decision.save(update_fields=[n.removesuffix("_id") for n in values])
                updated += 1
        record(
            action="budget.decisions_imported",
            actor=actor,
            target=year,
            request=request,
            details={"file": file_name, "added": added, "updated": updated},
        )
    return added, updated


def _person(actor: User | None) -> User | None:
    return actor if actor is not None and actor.pk else None
