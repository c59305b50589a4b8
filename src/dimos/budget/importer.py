"""Reading the budget and execution files that municipal finance systems export.

A file is CSV (UTF-8 with or without BOM, Windows-1253 or UTF-16; ``;`` or ``,`` between
cells; ``1.234,56`` or ``1234.56`` numbers) or XLSX, with the Greek columns of the standard:
Υπηρεσία, Κ.Α., Περιγραφή, Προϋπολογισθέντα, Διαμορφωθέντα and, for expenditure,
Δεσμευθέντα, Ενταλθέντα, Πληρωθέντα, for revenue Βεβαιωθέντα, Εισπραχθέντα.

:func:`read_budget_file` turns the bytes into checked rows or the list of every problem, each
with its line number, in the active language. Nothing here writes: :func:`preview` compares the
rows with the year's last snapshot, and :mod:`dimos.budget.services` imports them.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from dimos.budget.conf import conf
from dimos.budget.kae import CLASSES_AND_GROUPS
from dimos.budget.models import (
    EXPENDITURE_PHASES,
    PHASES,
    REVENUE_PHASES,
    BudgetLine,
    Direction,
    FiscalYear,
    LineAmounts,
    Service,
    Snapshot,
    direction_of,
)

# A budget of a large municipality has a few thousand lines; a file ten times longer is not a
# budget, and reading it would only hold the server.
MAX_ROWS = 50_000
# An XLSX is a zip: its parts may hold at most this many times the file size limit once
# inflated, so a small file that inflates to gigabytes (a zip bomb) is refused before opening.
XLSX_INFLATION = 10
# Title lines above the header, as some systems write ("ΔΗΜΟΣ …, Εκτέλεση …").
HEADER_SEARCH_ROWS = 10

AMOUNT_MAX_DIGITS = 13  # models: max_digits=15, decimal_places=2
CENT = Decimal("0.01")

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


def plain_key(text: str) -> str:
    """A header as compared: no accents, no case, no dots or spaces (``Κ. Α.`` → ``κα``)."""
    decomposed = unicodedata.normalize("NFD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in plain.casefold() if c.isalnum())


# Other spellings seen in the systems' exports, besides the standard's own names.
_ALIASES: dict[str, str] = {
    "καε": "kae",
    "κωδικοσ": "kae",
    "κωδικοσαριθμοσ": "kae",
    "κωδικοσυπηρεσιασ": "service",
    "προυπολογισθεντα": "approved",
    "ψηφισθεντα": "approved",
}


@dataclass(frozen=True)
class Columns:
    """The columns a kind of file has: each one's name as written, other spellings, and which
    are required."""

    names: dict[str, str]
    required: tuple[str, ...]
    aliases: dict[str, str] = field(default_factory=dict)

    def which(self, header: str) -> str | None:
        """The column a header cell names (accents, case, dots and spaces aside)."""
        key = plain_key(header)
        for column, name in self.names.items():
            if plain_key(name) == key:
                return column
        return self.aliases.get(key)


BUDGET_COLUMNS = Columns(COLUMN_NAMES, REQUIRED, _ALIASES)

_SERVICE = re.compile(r"^(\d{1,10})(?:\s*[-–:.]?\s+|\s*[-–:]\s*|$)(.*)$")
_LINE_KAE = re.compile(r"^(?:(\d{1,10})-)?(\d{4})(?:\.(\d{1,6}))?$")
_SHORT_KAE = re.compile(r"^(?:\d{1,10}-)?\d{1,3}$")
_PLAIN = re.compile(r"^\d+(?:[.,]\d{1,2})?$")
_GROUPED = {
    ",": re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?$"),
    ".": re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?$|^\d{1,3}(?:\.\d{3}){2,}$"),
}


@dataclass(frozen=True)
class RowError:
    """One problem of a file: its line (``None`` for the whole file) and what to fix."""

    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return _("Line %(line)s: %(problem)s") % {"line": self.line, "problem": self.message}

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "message": self.message}


class ImportRefused(Exception):
    """A file that cannot be imported, with every problem found in it."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = list(errors)

    @property
    def summary(self) -> str:
        """One sentence saying nothing changed, for the top of the list of problems."""
        return ngettext(
            "The file was not imported: %(count)s problem; nothing changed.",
            "The file was not imported: %(count)s problems; nothing changed.",
            len(self.errors),
        ) % {"count": len(self.errors)}


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


# --- Bytes to cells ---------------------------------------------------------------------------

Cell = str | Decimal


def _refuse(message: str) -> ImportRefused:
    return ImportRefused([RowError(None, message)])


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and its encoding: by its BOM, else UTF-8, else Windows-1253.

    Each attempt is strict, so a file in another encoding is refused, never read as mojibake
    (Windows-1253 accepts most bytes, so :func:`header` also refuses a decoded header that
    names no known column).
    """
    if data.startswith(codecs.BOM_UTF8):
        attempts = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        attempts = ["utf-16"]
    elif b"\x00" in data[:4096]:
        # UTF-16 without a BOM: the zero bytes of ASCII characters say which end comes first.
        attempts = ["utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"]
    else:
        attempts = ["utf-8", "cp1253"]
    for encoding in attempts:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            continue
        if encoding == "cp1253" and "¶" in text:
            # ISO-8859-7 differs from Windows-1253 mostly by Ά, which Windows-1253 reads as ¶
            # (a sign no budget writes): the older Greek encoding, read as such.
            try:
                return data.decode("iso8859_7"), "iso8859_7"
            except UnicodeDecodeError:
                continue
        return text, encoding
    raise _refuse(
        _(
            "The file's encoding could not be recognised. Save it as CSV in UTF-8, "
            "Windows-1253 (Greek) or UTF-16, or as XLSX."
        )
    )


def _separator(text: str) -> str:
    """``;``, ``,`` or a tab: whichever the first line with cells uses most."""
    for line in text.splitlines():
        if line.strip():
            return max(";,\t", key=line.count)
    return ";"


def _csv_rows(data: bytes) -> tuple[Iterator[tuple[int, list[Cell]]], bool]:
    text, encoding = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text))

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        start = 1
        try:
            for cells in reader:
                yield start, list(cells)
                start = reader.line_num + 1
        except csv.Error as error:
            raise ImportRefused(
                [RowError(reader.line_num, _("The line cannot be read as CSV (%s).") % error)]
            ) from error

    return rows(), encoding in ("cp1253", "iso8859_7")


def file_too_big(size: int) -> ImportRefused:
    """The refusal of a file over ``IMPORT_MAX_BYTES`` (checked before it is even read)."""
    return _refuse(
        _("The file is %(size)s MB, more than the %(limit)s MB allowed.")
        % {
            "size": number_format(Decimal(size) / 1_000_000, 1),
            "limit": conf.IMPORT_MAX_BYTES // 1_000_000,
        }
    )


def is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[Cell]]]:
    import openpyxl

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise _refuse(_("The XLSX file is damaged and cannot be opened.")) from error
    # ZipFile never inflates an entry past its declared size, so bounding the declared sizes
    # bounds what openpyxl will read.
    if inflated > XLSX_INFLATION * conf.IMPORT_MAX_BYTES:
        raise _refuse(
            _("The XLSX file unpacks to %(size)s MB, more than the %(limit)s MB allowed.")
            % {
                "size": inflated // 1_000_000,
                "limit": XLSX_INFLATION * conf.IMPORT_MAX_BYTES // 1_000_000,
            }
        )
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken workbook
        raise _refuse(_("The XLSX file is damaged and cannot be opened.")) from error
    sheet = book.worksheets[0] if book.worksheets else None
    if sheet is None:
        book.close()
        raise _refuse(_("The XLSX file has no sheet."))

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, [_xlsx_cell(v) for v in values]
        finally:
            book.close()

    return rows()


def _xlsx_cell(value: Any) -> Cell:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def text_of(cell: Cell) -> str:
    """A cell as text: numbers as written without a fraction (a code typed as a number)."""
    if isinstance(cell, Decimal):
        return str(cell.to_integral_value()) if cell == cell.to_integral_value() else str(cell)
    return cell.replace("\u00a0", " ").strip()


# --- Cells to rows ----------------------------------------------------------------------------


def header(
    rows: Iterator[tuple[int, list[Cell]]], suspicious_encoding: bool, spec: Columns
) -> dict[int, str]:
    """The header line and which column each cell names; every unknown or missing one an error.

    The header is the first of the first lines that names at least two known columns (some
    systems write a title above it).
    """
    first: tuple[int, list[str]] | None = None
    for number, cells in rows:
        texts = [text_of(c) for c in cells]
        if not any(texts):
            continue
        if first is None:
            first = (number, texts)
        known = [spec.which(t) for t in texts]
        if sum(1 for k in known if k) >= 2:
            return _columns(number, texts, known, spec)
        if number >= first[0] + HEADER_SEARCH_ROWS:
            break
    if first is None:
        raise _refuse(_("The file is empty."))
    if suspicious_encoding:
        raise _refuse(
            _(
                "No known column was found: the file may be in another encoding. Save it as "
                "CSV in UTF-8, Windows-1253 (Greek) or UTF-16, or as XLSX."
            )
        )
    raise _refuse(
        _(
            "No known column was found. The columns should be: %(expected)s. "
            "The file has: %(found)s."
        )
        % {
            "expected": ", ".join(spec.names.values()),
            "found": ", ".join(t for t in first[1] if t),
        }
    )


def _columns(
    number: int, texts: list[str], known: list[str | None], spec: Columns
) -> dict[int, str]:
    columns: dict[int, str] = {}
    problems: list[str] = []
    for index, (text, column) in enumerate(zip(texts, known, strict=True)):
        if not text:
            continue
        if column is None:
            problems.append(_("unknown column «%(name)s»") % {"name": text})
        elif column in columns.values():
            problems.append(_("column «%(name)s» appears twice") % {"name": text})
        else:
            columns[index] = column
    missing = [spec.names[c] for c in spec.required if c not in columns.values()]
    if missing:
        problems.append(_("missing columns: %(names)s") % {"names": ", ".join(missing)})
    if problems:
        message = _("The header does not match the standard: %(problems)s. Expected: %(cols)s.")
        raise ImportRefused(
            [
                RowError(
                    number,
                    message
                    % {"problems": "; ".join(problems), "cols": ", ".join(spec.names.values())},
                )
            ]
        )
    return columns


def decimal_mark(raw_rows: Iterable[dict[str, Cell]], phases: Iterable[str]) -> str:
    """``,`` if any amount of the file writes a comma (``1.234,56``), else ``.``."""
    phases = list(phases)
    for cells in raw_rows:
        for phase in phases:
            value = cells.get(phase, "")
            if isinstance(value, str) and "," in value:
                return ","
    return "."


def parse_amount(cell: Cell, mark: str) -> Decimal | None:
    """An amount in euros, or ``None`` for an empty cell; ``ValueError`` if it is not one."""
    if isinstance(cell, Decimal):
        value = cell
    else:
        text = cell.replace("\u00a0", "").replace(" ", "").replace("€", "")
        if not text:
            return None
        negative = text.startswith("-")
        digits = text.lstrip("-")
        if _GROUPED[mark].match(digits):
            thousands = "." if mark == "," else ","
            digits = digits.replace(thousands, "")
        elif not _PLAIN.match(digits) or (mark == "," and "." in digits):
            raise ValueError(cell)
        try:
            value = Decimal(digits.replace(",", "."))
        except InvalidOperation as error:
            raise ValueError(cell) from error
        if negative:
            value = -value
    if value != value.quantize(CENT) and abs(value - value.quantize(CENT)) > Decimal("0.000001"):
        raise ValueError(cell)
    value = value.quantize(CENT)
    if abs(value) >= Decimal(10) ** AMOUNT_MAX_DIGITS:
        raise ValueError(cell)
    return value


def format_amount(amount: Decimal | None) -> str:
    """An amount as the active language writes it (``1.234,56`` in Greek)."""
    return number_format(amount or Decimal(0), 2, force_grouping=True)


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


def read_table(
    data: bytes, spec: Columns
) -> tuple[list[str], list[tuple[int, dict[str, Cell]]], list[RowError]]:
    """A CSV or XLSX file's columns and lines (with their numbers) under a header of ``spec``,
    and the lines with more cells than the header; :class:`ImportRefused` for a file that
    cannot be read at all."""
    if not data:
        raise _refuse(_("The file is empty."))
    if len(data) > conf.IMPORT_MAX_BYTES:
        raise file_too_big(len(data))
    if is_xlsx(data):
        rows, suspicious = _xlsx_rows(data), False
    else:
        rows, suspicious = _csv_rows(data)
    columns = header(rows, suspicious, spec)
    width = max(columns) + 1
    raw: list[tuple[int, dict[str, Cell]]] = []
    errors: list[RowError] = []
    for number, cells in rows:
        if not any(text_of(c) for c in cells):
            continue
        if len(raw) >= MAX_ROWS:
            raise _refuse(
                _("The file has more than %(max)s lines; a budget has far fewer.")
                % {"max": MAX_ROWS}
            )
        if any(text_of(c) for c in cells[width:]):
            errors.append(RowError(number, _("the line has more cells than the header.")))
            continue
        raw.append((number, {column: cells[i] for i, column in columns.items() if i < len(cells)}))
    if not raw:
        raise _refuse(_("The file has a header but no lines."))
    return list(columns.values()), raw, errors


def _read(result: BudgetFile, data: bytes) -> None:
    columns, raw, errors = read_table(data, BUDGET_COLUMNS)
    result.columns = [c for c in COLUMN_NAMES if c in columns]
    checker = _RowChecker(set(columns), decimal_mark((c for _n, c in raw), PHASES))
    checker.errors = errors
    result.rows = [row for number, cells in raw if (row := checker.check(number, cells))]
    if checker.errors:
        checker.errors.sort(key=lambda e: e.line or 0)
        raise ImportRefused(checker.errors)


# --- What an import would change --------------------------------------------------------------


# The phases' names, in a context of their own: "approved" or "paid" alone mean other things
# in other apps' catalogues.
PHASE_LABELS = {
    "approved": pgettext_lazy("budget phase", "approved"),
    "adjusted": pgettext_lazy("budget phase", "adjusted"),
    "committed": pgettext_lazy("budget phase", "committed"),
    "ordered": pgettext_lazy("budget phase", "payment-ordered"),
    "paid": pgettext_lazy("budget phase", "paid"),
    "assessed": pgettext_lazy("budget phase", "assessed"),
    "collected": pgettext_lazy("budget phase", "collected"),
}


def phase_label(phase: str) -> str:
    """A phase's name in the active language (approved, paid, …)."""
    return str(PHASE_LABELS[phase])


@dataclass
class Total:
    """One phase of one direction: its sum in the file and in the previous snapshot."""

    direction: str
    phase: str
    amount: Decimal
    previous: Decimal | None

    @property
    def change(self) -> Decimal | None:
        return None if self.previous is None else self.amount - self.previous

    @property
    def label(self) -> str:
        return phase_label(self.phase)

    @property
    def direction_label(self) -> str:
        return str(Direction(self.direction).label)


@dataclass
class Change:
    """A line whose amounts differ from the previous snapshot."""

    row: Row
    before: dict[str, Decimal | None]

    @property
    def phases(self) -> list[tuple[str, Decimal | None, Decimal | None]]:
        return [
            (phase_label(p), self.before.get(p), v)
            for p, v in self.row.amounts.items()
            if (self.before.get(p) or Decimal(0)) != (v or Decimal(0))
        ]


@dataclass
class Preview:
    """What importing a file as of a date would change, or why it cannot be imported."""

    year: int
    as_of: date
    file: BudgetFile
    errors: list[RowError]
    previous: Snapshot | None = None
    new_lines: list[Row] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0
    missing: list[str] = field(default_factory=list)
    new_services: list[str] = field(default_factory=list)
    totals: list[Total] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def check_snapshot_place(year: int, as_of: date, sha256: str) -> list[RowError]:
    """The file's place in history: new to the site, after the year's last snapshot."""
    errors: list[RowError] = []
    earlier = Snapshot.objects.select_related("year").filter(sha256=sha256).first()
    if earlier is not None:
        errors.append(
            RowError(
                None,
                _(
                    "This file was already imported: snapshot of %(year)s as of %(as_of)s "
                    "(%(file)s, imported %(when)s)."
                )
                % {
                    "year": earlier.year.year,
                    "as_of": _date(earlier.as_of),
                    "file": earlier.file_name,
                    "when": _date(earlier.imported_at),
                },
            )
        )
    if not year - 1 <= as_of.year <= year + 1:
        errors.append(
            RowError(
                None,
                _("The date %(as_of)s is not in or next to the year %(year)s.")
                % {"as_of": _date(as_of), "year": year},
            )
        )
    last = Snapshot.objects.filter(year__year=year).order_by("-as_of").first()
    if last is not None and as_of <= last.as_of:
        errors.append(
            RowError(
                None,
                _(
                    "The year %(year)s already has a snapshot as of %(last)s: a new one must be "
                    "dated after it (history is never rewritten)."
                )
                % {"year": year, "last": _date(last.as_of)},
            )
        )
    return errors


def _date(value: date | datetime) -> str:
    from django.utils.formats import date_format
    from django.utils.timezone import localtime

    if isinstance(value, datetime):
        value = localtime(value).date()
    return date_format(value, "j E Y")


def preview(*, year: int, as_of: date, name: str, data: bytes) -> Preview:
    """Read a file and compare it with the year's last snapshot (reads only)."""
    budget_file = read_budget_file(name, data)
    errors = list(budget_file.errors)
    errors[:0] = check_snapshot_place(year, as_of, budget_file.sha256)
    result = Preview(year=year, as_of=as_of, file=budget_file, errors=errors)
    if budget_file.errors:
        return result
    fiscal_year = FiscalYear.objects.filter(year=year).first()
    result.previous = (
        Snapshot.objects.filter(year=fiscal_year).order_by("-as_of").first()
        if fiscal_year
        else None
    )
    lines: dict[tuple[str, str], int] = {}
    if fiscal_year is not None:
        for service, kae, pk in BudgetLine.objects.filter(year=fiscal_year).values_list(
            "service__code", "kae__code", "pk"
        ):
            lines[(service, kae)] = pk
    before: dict[int, dict[str, Decimal | None]] = {}
    if result.previous is not None:
        for values in LineAmounts.objects.filter(snapshot=result.previous).values("line", *PHASES):
            before[int(values.pop("line"))] = values
    services = set(Service.objects.values_list("code", flat=True))
    totals: dict[tuple[str, str], Decimal] = {}
    seen: set[int] = set()
    new_services: dict[str, None] = {}
    for row in budget_file.rows:
        for phase, value in row.amounts.items():
            totals[(row.direction, phase)] = totals.get((row.direction, phase), Decimal(0)) + (
                value or Decimal(0)
            )
        if row.service_code not in services:
            new_services[row.service_code] = None
        line_pk = lines.get(row.key)
        if line_pk is None:
            result.new_lines.append(row)
            continue
        seen.add(line_pk)
        old = before.get(line_pk)
        if old is None:
            result.changed.append(Change(row, {}))
        elif any((old.get(p) or 0) != (v or 0) for p, v in row.amounts.items()):
            result.changed.append(Change(row, old))
        else:
            result.unchanged += 1
    result.new_services = list(new_services)
    if result.previous is not None:
        result.missing = sorted(
            f"{service}-{kae}"
            for (service, kae), pk in lines.items()
            if pk in before and pk not in seen
        )
    previous_totals = _previous_totals(result.previous)
    for direction, phases in (
        (Direction.EXPENDITURE, EXPENDITURE_PHASES),
        (Direction.REVENUE, REVENUE_PHASES),
    ):
        if not any(r.direction == direction for r in budget_file.rows):
            continue
        for phase in phases:
            if phase in budget_file.columns:
                result.totals.append(
                    Total(
                        direction=direction,
                        phase=phase,
                        amount=totals.get((direction, phase), Decimal(0)),
                        previous=(
                            previous_totals.get((direction, phase), Decimal(0))
                            if result.previous is not None
                            else None
                        ),
                    )
                )
    return result


def _previous_totals(snapshot: Snapshot | None) -> dict[tuple[str, str], Decimal]:
    from django.db.models import Sum

    if snapshot is None:
        return {}
    sums: dict[tuple[str, str], Decimal] = {}
    for values in (
        LineAmounts.objects.filter(snapshot=snapshot)
        .values("line__direction")
        .annotate(**{p: Sum(p) for p in PHASES})
    ):
        direction = values.pop("line__direction")
        for phase, amount in values.items():
            sums[(direction, phase)] = amount or Decimal(0)
    return sums
