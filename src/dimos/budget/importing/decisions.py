"""Reading a file of spending decisions (Diavgeia: ΑΔΑ, date, subject, amount, kind, line).

The same rules as a budget file: CSV in UTF-8, Windows-1253 or UTF-16, or XLSX; every problem
reported with its line number; a file with any problem imports nothing.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dimos.budget.importer import (
    Cell,
    Columns,
    ImportRefused,
    RowError,
    decimal_mark,
    parse_amount,
    plain_key,
    read_table,
    text_of,
)
from dimos.budget.models import BudgetLine, FiscalYear, SpendingDecision
from dimos.core.diavgeia import validate_ada

DECISION_COLUMNS = Columns(
    names={
        "ada": "ΑΔΑ",
        "date": "Ημερομηνία",
        "subject": "Θέμα",
        "amount": "Ποσό",
        "kind": "Είδος",
        "service": "Υπηρεσία",
        "kae": "Κ.Α.",
    },
    required=("ada", "date", "subject", "amount", "service", "kae"),
    aliases={"καε": "kae", "κωδικοσ": "kae", "ημνια": "date", "αντικειμενο": "subject"},
)

# What the files write in Είδος, without accents or case.
KINDS = {
    "": SpendingDecision.Kind.COMMITMENT,
    "αναληψηυποχρεωσησ": SpendingDecision.Kind.COMMITMENT,
    "αναληψη": SpendingDecision.Kind.COMMITMENT,
    "δεσμευση": SpendingDecision.Kind.COMMITMENT,
    "commitment": SpendingDecision.Kind.COMMITMENT,
    "ενταλμαπληρωμησ": SpendingDecision.Kind.PAYMENT,
    "ενταλμα": SpendingDecision.Kind.PAYMENT,
    "εντοληπληρωμησ": SpendingDecision.Kind.PAYMENT,
    "πληρωμη": SpendingDecision.Kind.PAYMENT,
    "payment": SpendingDecision.Kind.PAYMENT,
    "αλλο": SpendingDecision.Kind.OTHER,
    "other": SpendingDecision.Kind.OTHER,
}

_DAY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def _day(text: str) -> date:
    """``31/10/2026``, ``31.10.2026`` or ``2026-10-31`` (a date cell of an XLSX)."""
    match = _DAY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return date(year, month, day)
    return date.fromisoformat(text[:10])


def read_decisions(data: bytes, fiscal_year: FiscalYear) -> list[dict[str, Any]]:
    """The decisions of a file as field values (with their line), or :class:`ImportRefused`
    with every problem."""

    _columns, raw, errors = read_table(data, DECISION_COLUMNS)
    mark = decimal_mark((c for _n, c in raw), ["amount"])
    lines = {
        (service, kae): pk
        for service, kae, pk in BudgetLine.objects.filter(year=fiscal_year).values_list(
            "service__code", "kae__code", "pk"
        )
    }
    seen: dict[str, int] = {}
    decisions: list[dict[str, Any]] = []
    for number, cells in raw:
        before = len(errors)

        def error(message: str, number: int = number) -> None:
            errors.append(RowError(number, message))

        ada = text_of(cells.get("ada", "")).upper()
        try:
            validate_ada(ada)
        except ValidationError as invalid:
            error(_("ΑΔΑ «%(ada)s»: %(problem)s") % {"ada": ada, "problem": invalid.messages[0]})
        else:
            if ada in seen:
                error(
                    _("the ΑΔΑ %(ada)s is already on line %(line)s.")
                    % {"ada": ada, "line": seen[ada]}
                )
            seen.setdefault(ada, number)
        day = _date_of(cells.get("date", ""), error)
        subject = text_of(cells.get("subject", ""))
        if not subject:
            error(_("the subject (Θέμα) is empty."))
        elif len(subject) > 1000:
            error(_("the subject is longer than 1000 characters."))
        amount = _amount_of(cells.get("amount", ""), mark, error)
        kind = KINDS.get(plain_key(text_of(cells.get("kind", ""))))
        if kind is None:
            error(
                _("the kind «%(kind)s» is not one of: ανάληψη υποχρέωσης, ένταλμα πληρωμής, άλλο.")
                % {"kind": text_of(cells.get("kind", ""))}
            )
        service, kae = text_of(cells.get("service", "")), text_of(cells.get("kae", ""))
        line = lines.get((service, kae))
        if line is None:
            error(
                _("the year %(year)s has no line of service %(service)s and KAE %(kae)s.")
                % {"year": fiscal_year.year, "service": service, "kae": kae}
            )
        if len(errors) == before:
            decisions.append(
                {
                    "ada": ada,
                    "date": day,
                    "subject": subject,
                    "amount": amount,
                    "kind": kind,
                    "line_id": line,
                }
            )
    if errors:
        raise ImportRefused(sorted(errors, key=lambda e: e.line or 0))
    return decisions


def _date_of(cell: Cell, error: Any) -> date | None:
    text = text_of(cell)
    try:
        return _day(text)
    except ValueError:
        error(
            _("the date «%(value)s» is not a date like 31/10/2026.") % {"value": text},
        )
        return None


def _amount_of(cell: Cell, mark: str, error: Any) -> Decimal | None:
    try:
        amount = parse_amount(cell, mark)
    except ValueError:
        amount = None
    if amount is None or amount <= 0:
        error(
            _("the amount «%(value)s» is not an amount in euros above zero.")
            % {"value": text_of(cell)}
        )
        return None
    return amount
