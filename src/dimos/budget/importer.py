"""Reading the budget and execution files that municipal finance systems export.

A file is CSV (UTF-8 with or without BOM, Windows-1253 or UTF-16; ``;`` or ``,`` between
cells; ``1.234,56`` or ``1234.56`` numbers) or XLSX, with the Greek columns of the standard:
Υπηρεσία, Κ.Α., Περιγραφή, Προϋπολογισθέντα, Διαμορφωθέντα and, for expenditure,
Δεσμευθέντα, Ενταλθέντα, Πληρωθέντα, for revenue Βεβαιωθέντα, Εισπραχθέντα.

:func:`read_budget_file` turns the bytes into checked rows or the list of every problem, each
with its line number, in the active language (the bytes become cells in
:mod:`dimos.budget.importing.tables`). Nothing here writes: :mod:`dimos.budget.importing.preview`
compares the rows with the year's last snapshot, and :mod:`dimos.budget.services` imports them.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from dimos.budget.importing.tables import (
    Cell,
    Columns,
    ImportRefused,
    RowError,
    decimal_mark,
    file_too_big,
    format_amount,
    parse_amount,
    plain_key,
    read_table,
    text_of,
)
from dimos.budget.kae import CLASSES_AND_GROUPS
from dimos.budget.models import (
    EXPENDITURE_PHASES,
    PHASES,
    REVENUE_PHASES,
    Direction,
    direction_of,
)

# The standard's column names (as the files write them) and the phase or field each one fills.
COLUMN_NAMES: dict[str, str] = {
    "service": "Υπηρεσία",
    "kae": "Κ.Α.",
    "description": "Περιγραφή",
    "approved": "Προϋπολογισθέντα",
    "adjusted": "Διαμορφωθέντα",
    "committed": "Δεσμευθέντα",
    "ordered": "Ενταλθέντα",
    "paid": "Πληρωθέντα",
    "assessed": "Βεβαιωθέντα",
    "collected": "Εισπραχθέντα",
}
REQUIRED = ("service", "kae", "description", "approved")
EXPENDITURE_ONLY = frozenset(EXPENDITURE_PHASES) - frozenset(REVENUE_PHASES)
REVENUE_ONLY = frozenset(REVENUE_PHASES) - frozenset(EXPENDITURE_PHASES)
# Other spellings seen in the systems' exports, besides the standard's own names.
_ALIASES: dict[str, str] = {
    "καε": "kae",
    "κωδικοσ": "kae",
    "κωδικοσαριθμοσ": "kae",
    "κωδικοσυπηρεσιασ": "service",
    "προυπολογισθεντα": "approved",
    "ψηφισθεντα": "approved",
}
BUDGET_COLUMNS = Columns(COLUMN_NAMES, REQUIRED, _ALIASES)
_SERVICE = re.compile(r"^(\d{1,10})(?:\s*[-–:.]?\s+|\s*[-–:]\s*|$)(.*)$")
_LINE_KAE = re.compile(r"^(?:(\d{1,10})-)?(\d{4})(?:\.(\d{1,6}))?$")
_SHORT_KAE = re.compile(r"^(?:\d{1,10}-)?\d{1,3}$")


@dataclass
class Row:
    """One checked line of a file."""

    line: int
    service_code: str
    service_name: str
    kae: str
    description: str
    direction: str
    amounts: dict[str, Decimal | None]

    @property
    def key(self) -> tuple[str, str]:
        return (self.service_code, self.kae)


@dataclass
class BudgetFile:
    """What a file holds once read: its rows (if no errors), its hash, its problems."""

    name: str
    sha256: str
    columns: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


class _RowChecker:
    """Checks the lines of one file, collecting every problem with its line number."""

    def __init__(self, columns: set[str], mark: str) -> None:
        self.columns = columns
        self.mark = mark
        self.phases = [p for p in PHASES if p in columns]
        # Which directions the phase columns allow (a revenue code in a file of payments is
        # a mistake, not a revenue line with payments).
        has_exp = bool(columns & EXPENDITURE_ONLY)
        has_rev = bool(columns & REVENUE_ONLY)
        self.allowed: dict[str, bool] = {
            Direction.EXPENDITURE: has_exp or not has_rev,
            Direction.REVENUE: has_rev or not has_exp,
        }
        self.seen: dict[tuple[str, str], int] = {}
        self.errors: list[RowError] = []

    def error(self, line: int, message: str) -> None:
        self.errors.append(RowError(line, message))

    def check(self, line: int, cells: dict[str, Cell]) -> Row | None:
        before = len(self.errors)
        service_code, service_name = self._service(line, text_of(cells.get("service", "")))
        kae = self._kae(line, text_of(cells.get("kae", "")), service_code)
        description = text_of(cells.get("description", ""))
        if not description:
            self.error(line, _("the description (Περιγραφή) is empty."))
        elif len(description) > 500:
            self.error(line, _("the description is longer than 500 characters."))
        direction = direction_of(kae) if kae else ""
        amounts = self._amounts(line, cells, direction)
        if kae and service_code:
            earlier = self.seen.get((service_code, kae))
            if earlier is not None:
                self.error(
                    line,
                    _("service %(service)s and KAE %(kae)s are already on line %(earlier)s.")
                    % {"service": service_code, "kae": kae, "earlier": earlier},
                )
            else:
                self.seen[(service_code, kae)] = line
        if len(self.errors) > before:
            return None
        return Row(
            line=line,
            service_code=service_code,
            service_name=service_name,
            kae=kae,
            description=description,
            direction=direction,
            amounts=amounts,
        )

    def _service(self, line: int, text: str) -> tuple[str, str]:
        if not text:
            self.error(line, _("the service (Υπηρεσία) is empty."))
            return "", ""
        match = _SERVICE.match(text)
        if not match:
            self.error(
                line,
                _("the service «%(value)s» does not start with its code (for example 10).")
                % {"value": text},
            )
            return "", ""
        name = match.group(2).strip()
        if len(name) > 300:
            self.error(line, _("the service's name is longer than 300 characters."))
        return match.group(1), name

    def _kae(self, line: int, text: str, service_code: str) -> str:
        code = text.replace(" ", "")
        if not code:
            self.error(line, _("the KAE (Κ.Α.) is empty; if this is a line of totals, remove it."))
            return ""
        match = _LINE_KAE.match(code)
        if not match:
            if _SHORT_KAE.match(code):
                self.error(
                    line,
                    _(
                        "the KAE «%(code)s» is a class, group or subtotal: a budget line has a "
                        "KAE of four digits (and an extension after a dot), for example 6011 or "
                        "6012.001. If this is a line of totals, remove it."
                    )
                    % {"code": text},
                )
            else:
                self.error(
                    line,
                    _(
                        "«%(code)s» is not a KAE code: four digits and an optional extension "
                        "after a dot, for example 6011 or 6012.001."
                    )
                    % {"code": text},
                )
            return ""
        prefix, head, tail = match.groups()
        if prefix and service_code and prefix != service_code:
            self.error(
                line,
                _("the code «%(code)s» names service %(prefix)s but the line's service is %(s)s.")
                % {"code": text, "prefix": prefix, "s": service_code},
            )
            return ""
        if head[:2] not in CLASSES_AND_GROUPS:
            self.error(
                line,
                _("the KAE %(code)s does not fit the classification: there is no group %(group)s.")
                % {"code": text, "group": head[:2]},
            )
            return ""
        kae = f"{head}.{tail}" if tail else head
        direction = direction_of(kae)
        if not self.allowed[direction]:
            if direction == Direction.REVENUE:
                message = _(
                    "the KAE %(code)s is a revenue code (classes 0–5) but the file has the "
                    "columns of expenditure."
                )
            else:
                message = _(
                    "the KAE %(code)s is an expenditure code (classes 6–9) but the file has the "
                    "columns of revenue."
                )
            self.error(line, message % {"code": kae})
            return ""
        return kae

    def _amounts(
        self, line: int, cells: dict[str, Cell], direction: str
    ) -> dict[str, Decimal | None]:
        amounts: dict[str, Decimal | None] = {}
        own = EXPENDITURE_PHASES if direction == Direction.EXPENDITURE else REVENUE_PHASES
        for phase in self.phases:
            cell = cells.get(phase, "")
            try:
                value = parse_amount(cell, self.mark)
            except ValueError:
                self.error(
                    line,
                    _(
                        "the amount «%(value)s» in %(column)s is not an amount in euros "
                        "(for example 1.234,56 or 1234.56)."
                    )
                    % {"value": text_of(cell), "column": COLUMN_NAMES[phase]},
                )
                continue
            if value is not None and value < 0:
                self.error(
                    line,
                    _("the amount in %(column)s is negative (%(value)s).")
                    % {"column": COLUMN_NAMES[phase], "value": format_amount(value)},
                )
                continue
            if direction and phase not in own:
                if value:
                    self.error(
                        line,
                        _("%(column)s is not a phase of this line's KAE (%(direction)s).")
                        % {
                            "column": COLUMN_NAMES[phase],
                            "direction": Direction(direction).label,
                        },
                    )
                continue
            amounts[phase] = value
        if direction == Direction.EXPENDITURE:
            self._chain(line, amounts)
        return amounts

    def _chain(self, line: int, amounts: dict[str, Decimal | None]) -> None:
        """Paid ≤ payment-ordered ≤ committed: a payment needs its order, an order its
        commitment. Revenue is not checked: a municipality may collect what it assesses at the
        same moment, and some systems report the two out of step."""
        chain = [p for p in ("committed", "ordered", "paid") if p in amounts]
        for earlier, later in itertools.pairwise(chain):
            first, then = amounts[earlier] or Decimal(0), amounts[later] or Decimal(0)
            if then > first:
                self.error(
                    line,
                    _(
                        "%(later)s (%(then)s) are more than %(earlier)s (%(first)s): the "
                        "execution goes committed → payment-ordered → paid, each at most the one "
                        "before."
                    )
                    % {
                        "later": COLUMN_NAMES[later],
                        "then": format_amount(then),
                        "earlier": COLUMN_NAMES[earlier],
                        "first": format_amount(first),
                    },
                )


def read_budget_file(name: str, data: bytes) -> BudgetFile:
    """Read and check a file: its rows, or (``errors``) every problem with its line number."""
    result = BudgetFile(name=name, sha256=hashlib.sha256(data).hexdigest())
    try:
        _read(result, data)
    except ImportRefused as refused:
        result.errors = refused.errors
        result.rows = []
    return result


def _read(result: BudgetFile, data: bytes) -> None:
    columns, raw, errors = read_table(data, BUDGET_COLUMNS)
    result.columns = [c for c in COLUMN_NAMES if c in columns]
    checker = _RowChecker(set(columns), decimal_mark((c for _n, c in raw), PHASES))
    checker.errors = errors
    result.rows = [row for number, cells in raw if (row := checker.check(number, cells))]
    if checker.errors:
        checker.errors.sort(key=lambda e: e.line or 0)
        raise ImportRefused(checker.errors)


__all__ = [
    "BUDGET_COLUMNS",
    "BudgetFile",
    "Cell",
    "Columns",
    "ImportRefused",
    "Row",
    "RowError",
    "file_too_big",
    "format_amount",
    "parse_amount",
    "plain_key",
    "read_budget_file",
    "text_of",
]
