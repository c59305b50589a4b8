"""Reading tables out of the files municipal finance systems export: CSV (UTF-8 with or
without BOM, Windows-1253, ISO-8859-7 or UTF-16; ``;``, ``,`` or a tab between cells) or XLSX,
under a header of known columns, with amounts written ``1.234,56`` or ``1234.56``.

Every problem is a :class:`RowError` with its line number, in the active language; a file that
cannot be read at all raises :class:`ImportRefused`. :mod:`dimos.budget.importer` reads budget
files with it, :mod:`dimos.budget.importing.decisions` files of spending decisions.
"""

from __future__ import annotations

import codecs
import csv
import io
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
from django.utils.translation import ngettext

from dimos.budget.conf import conf

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


def plain_key(text: str) -> str:
    """A header as compared: no accents, no case, no dots or spaces (``Κ. Α.`` → ``κα``)."""
    decomposed = unicodedata.normalize("NFD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in plain.casefold() if c.isalnum())


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


Cell = str | Decimal


def _refuse(message: str) -> ImportRefused:
    return ImportRefused([RowError(None, message)])


def file_too_big(size: int) -> ImportRefused:
    """The refusal of a file over ``IMPORT_MAX_BYTES`` (checked before it is even read)."""
    return _refuse(
        _("The file is %(size)s MB, more than the %(limit)s MB allowed.")
        % {
            "size": number_format(Decimal(size) / 1_000_000, 1),
            "limit": conf.IMPORT_MAX_BYTES // 1_000_000,
        }
    )


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
