"""Loading CSV and XLSX files into typed datastore tables, in constant memory (ADR 0026).

Two passes over the file, both streamed: the first reads every row to infer each column's type
(``int``, ``numeric``, ``timestamp`` or ``text`` — over the whole file, not its first rows; a
value that fits no other type makes the column text, it is never an error) and to find the
rows that cannot be loaded (more or fewer values than the header names), the second writes the
rows in batches in one transaction that also removes the previous table. A file with problems
is refused whole, with each problem in plain words; the table loaded before stays. Size, rows,
columns and time are bounded (``conf``).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import re
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext, ngettext

from dimos.core.text import fold
from dimos.opendata.conf import conf
from dimos.opendata.models import DatastoreRow, DatastoreTable, Resource

BATCH = 1000
MAX_PROBLEMS = 20
TYPES = ("int", "numeric", "timestamp", "text")
TABULAR = ("CSV", "XLSX", "TSV")

_INT = re.compile(r"^[+-]?\d{1,18}$")
_NUM = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?$")
_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?)?$"
)
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
LAT_NAMES = {"lat", "latitude", "γεωγραφικο πλατοσ", "πλατοσ", "y_lat"}
LON_NAMES = {"lon", "lng", "long", "longitude", "γεωγραφικο μηκοσ", "μηκοσ", "x_lon"}


@dataclass(frozen=True)
class Problem:
    """A reason a file was not loaded, kept as a code and numbers and worded when shown."""

    code: str
    row: int = 0
    count: int = 0
    limit: int = 0

    def message(self) -> str:
        if self.code == "too_many_values":
            return gettext(
                "Row %(row)d has %(count)d values, but the header names %(limit)d columns."
            ) % {"row": self.row, "count": self.count, "limit": self.limit}
        if self.code == "too_few_values":
            return gettext(
                "Row %(row)d has only %(count)d values, but the header names %(limit)d columns."
            ) % {"row": self.row, "count": self.count, "limit": self.limit}
        if self.code == "more_problems":
            return ngettext(
                "…and %(count)d more row with a problem.",
                "…and %(count)d more rows with problems.",
                self.count,
            ) % {"count": self.count}
        if self.code == "too_many_rows":
            return gettext(
                "The file has more than %(limit)d rows, the most the catalogue loads."
            ) % {"limit": self.limit}
        if self.code == "too_many_columns":
            return gettext(
                "The file has %(count)d columns; the catalogue loads at most %(limit)d."
            ) % {"count": self.count, "limit": self.limit}
        if self.code == "too_slow":
            return gettext(
                "Loading the file took longer than %(limit)d seconds and was stopped."
            ) % {"limit": self.limit}
        if self.code == "encoding":
            return gettext(
                "The file is not text in UTF-8 or in the Greek Windows encoding (Windows-1253)."
            )
        if self.code == "not_csv":
            return gettext("The file could not be read as CSV at row %(row)d.") % {"row": self.row}
        if self.code == "not_xlsx":
            return gettext("The file could not be read as an Excel workbook (XLSX).")
        if self.code == "empty":
            return gettext("The file has no header row.")
        return gettext("The file could not be loaded.")

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "row": self.row, "count": self.count, "limit": self.limit}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Problem:
        return cls(
            code=str(data.get("code", "")),
            row=int(data.get("row", 0)),
            count=int(data.get("count", 0)),
            limit=int(data.get("limit", 0)),
        )


class Refused(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


@dataclass
class Result:
    ok: bool
    problems: list[Problem] = field(default_factory=list)
    total: int = 0
    fields: list[dict[str, str]] = field(default_factory=list)


# --- Values ------------------------------------------------------------------------------------


def _as_timestamp(text: str) -> str | None:
    m = _ISO.match(text)
    if m:
        try:
            year, month, day = int(m[1]), int(m[2]), int(m[3])
            if m[4] is None:
                return dt.date(year, month, day).isoformat()
            moment = dt.datetime(
                year,
                month,
                day,
                int(m[4]),
                int(m[5]),
                int(m[6] or 0),
                int((m[7] or "0").ljust(6, "0")),
            )
            return moment.isoformat()
        except ValueError:
            return None
    m = _DMY.match(text)
    if m:
        try:
            return dt.date(int(m[3]), int(m[2]), int(m[1])).isoformat()
        except ValueError:
            return None
    return None


def kinds_of(value: Any) -> set[str]:
    """The types a value fits (besides text, which every value fits)."""
    if value is None or value == "":
        return {"int", "numeric", "timestamp"}
    if isinstance(value, bool):
        return set()
    if isinstance(value, int):
        return {"int", "numeric"}
    if isinstance(value, float):
        return {"numeric"} if math.isfinite(value) else set()
    if isinstance(value, (dt.date, dt.datetime)):
        return {"timestamp"}
    text = str(value).strip()
    if _INT.match(text):
        return {"int", "numeric"}
    if _NUM.match(text):
        return {"numeric"} if math.isfinite(float(text)) else set()
    if _as_timestamp(text) is not None:
        return {"timestamp"}
    return set()


def convert(value: Any, kind: str) -> Any:
    """A cell as the column's type stores it (JSON): int, float, ISO text or text."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    if kind == "int":
        return int(value) if not isinstance(value, str) else int(value.strip())
    if kind == "numeric":
        return float(value) if not isinstance(value, str) else float(value.strip())
    if kind == "timestamp":
        if isinstance(value, dt.datetime):
            return value.isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        return _as_timestamp(str(value).strip())
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def header_names(raw: list[Any]) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    for i, cell in enumerate(raw, start=1):
        name = str(cell).strip() if cell is not None else ""
        name = name or f"column_{i}"
        if name.startswith("_"):
            name = name.lstrip("_") or f"column_{i}"
        base, n = name[:100], 2
        while name in seen:
            name = f"{base}_{n}"
            n += 1
        seen.add(name)
        names.append(name)
    return names


# --- Reading ----------------------------------------------------------------------------------

Opener = Callable[[], IO[bytes]]
# The longest cell a CSV may have (the csv module's default limit): longer is a broken quote.
MAX_CELL_CHARS = 131_072


def _sniff_delimiter(sample: str) -> str:
    first = sample.splitlines()[0] if sample else ""
    counts = {d: first.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(opener: Opener, encoding: str) -> Iterator[tuple[int, list[Any]]]:
    with opener() as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
        sample = text.read(65536)
        delimiter = _sniff_delimiter(sample)
        stream = _Chain(sample, text)
        reader = csv.reader(stream, delimiter=delimiter)
        row_no = 0
        try:
            for row in reader:
                row_no += 1
                # The csv module's own limit is process-wide, and libraries raise it (frictionless
                # sets it to sys.maxsize on import): the cell's size is checked here instead.
                if any(len(cell) > MAX_CELL_CHARS for cell in row):
                    raise Refused([Problem("not_csv", row=row_no)])
                yield row_no, row
        except csv.Error as exc:
            raise Refused([Problem("not_csv", row=row_no + 1)]) from exc


class _Chain(io.TextIOBase):
    """The sniffed start of a text stream, then the rest of it, read line by line."""

    def __init__(self, head: str, rest: io.TextIOBase) -> None:
        self._head = io.StringIO(head)
        self._rest = rest
        self._head_done = False

    def readable(self) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:  # type: ignore[override]
        pending = ""
        for line in self._head:
            if line.endswith(("\n", "\r")):
                yield pending + line
                pending = ""
            else:
                pending += line
        for line in self._rest:
            yield pending + line
            pending = ""
        if pending:
            yield pending


def _encoding_of(opener: Opener) -> str:
    """UTF-8 (with or without a BOM) if the whole file decodes so, else Windows-1253."""
    for encoding in ("utf-8-sig", "cp1253"):
        decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        try:
            with opener() as raw:
                while chunk := raw.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise Refused([Problem("encoding")])


def _xlsx_rows(opener: Opener) -> Iterator[tuple[int, list[Any]]]:
    import openpyxl

    limit = conf.MAX_UPLOAD_MB * 1024 * 1024 * 10
    with opener() as raw:
        try:
            with zipfile.ZipFile(raw) as archive:
                if sum(info.file_size for info in archive.infolist()) > limit:
                    raise Refused([Problem("not_xlsx")])
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise Refused([Problem("not_xlsx")]) from exc
    with opener() as raw:
        try:
            book = openpyxl.load_workbook(raw, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on a malformed file
            raise Refused([Problem("not_xlsx")]) from exc
        try:
            sheet = book.worksheets[0]
            for row_no, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                row = list(values)
                while row and (row[-1] is None or row[-1] == ""):
                    row.pop()
                yield row_no, row
        except Refused:
            raise
        except Exception as exc:
            raise Refused([Problem("not_xlsx")]) from exc
        finally:
            book.close()


def rows_of(opener: Opener, fmt: str) -> Iterator[tuple[int, list[Any]]]:
    if fmt.upper() == "XLSX":
        return _xlsx_rows(opener)
    return _csv_rows(opener, _encoding_of(opener))


def _blank(row: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


# --- Loading ------------------------------------------------------------------------------------


class _Clock:
    def __init__(self) -> None:
        self.start = time.monotonic()

    def check(self) -> None:
        if time.monotonic() - self.start > conf.MAX_SECONDS:
            raise Refused([Problem("too_slow", limit=conf.MAX_SECONDS)])


def infer(
    opener: Opener, fmt: str, clock: _Clock | None = None
) -> tuple[list[dict[str, str]], int]:
    """Pass one: the columns and their types, and the number of rows; Refused with the problems."""
    clock = clock or _Clock()
    names: list[str] | None = None
    possible: list[set[str]] = []
    problems: list[Problem] = []
    more = 0
    total = 0
    for row_no, row in rows_of(opener, fmt):
        if names is None:
            if _blank(row):
                continue
            names = header_names(row)
            if len(names) > conf.MAX_COLUMNS:
                raise Refused(
                    [Problem("too_many_columns", count=len(names), limit=conf.MAX_COLUMNS)]
                )
            possible = [{"int", "numeric", "timestamp"} for _ in names]
            continue
        if _blank(row):
            continue
        total += 1
        if total > conf.MAX_ROWS:
            raise Refused([Problem("too_many_rows", limit=conf.MAX_ROWS)])
        if total % 5000 == 0:
            clock.check()
        if len(row) != len(names):
            code = "too_many_values" if len(row) > len(names) else "too_few_values"
            if len(problems) < MAX_PROBLEMS:
                problems.append(Problem(code, row=row_no, count=len(row), limit=len(names)))
            else:
                more += 1
            continue
        for i, value in enumerate(row):
            if possible[i]:
                possible[i] &= kinds_of(value)
    if names is None:
        raise Refused([Problem("empty")])
    if problems:
        if more:
            problems.append(Problem("more_problems", count=more))
        raise Refused(problems)
    fields = []
    for name, kinds in zip(names, possible, strict=True):
        kind = next((k for k in ("int", "numeric", "timestamp") if k in kinds), "text")
        fields.append({"id": name, "type": kind})
    return fields, total


def point_columns(fields: list[dict[str, str]]) -> list[str]:
    numeric = {f["id"] for f in fields if f["type"] in ("int", "numeric")}
    lat = next((f for f in numeric if fold(f) in LAT_NAMES), None)
    lon = next((f for f in numeric if fold(f) in LON_NAMES), None)
    return [lat, lon] if lat and lon else []


def load(resource: Resource, opener: Opener, fmt: str) -> Result:
    """Load a file into the resource's table; the old table stays if anything is wrong."""
    clock = _Clock()
    try:
        fields, _count = infer(opener, fmt, clock)
        with transaction.atomic():
            DatastoreTable.objects.filter(resource=resource).delete()
            table = DatastoreTable.objects.create(
                resource=resource, fields=fields, point=point_columns(fields)
            )
            total = _write(table, opener, fmt, fields, clock)
            table.total = total
            table.save(update_fields=["total"])
            Resource.objects.filter(pk=resource.pk).update(problems=[])
    except Refused as refused:
        Resource.objects.filter(pk=resource.pk).update(
            problems=[p.as_dict() for p in refused.problems]
        )
        return Result(ok=False, problems=refused.problems)
    return Result(ok=True, total=total, fields=fields)


def _write(
    table: DatastoreTable, opener: Opener, fmt: str, fields: list[dict[str, str]], clock: _Clock
) -> int:
    kinds = [f["type"] for f in fields]
    names = [f["id"] for f in fields]
    batch: list[DatastoreRow] = []
    n = 0
    header_seen = False
    for _row_no, row in rows_of(opener, fmt):
        if _blank(row):
            continue
        if not header_seen:
            header_seen = True
            continue
        n += 1
        data = {
            name: convert(value, kind) for name, value, kind in zip(names, row, kinds, strict=True)
        }
        text = fold(" ".join(str(v) for v in data.values() if v is not None))
        batch.append(DatastoreRow(table=table, n=n, data=data, text=text))
        if len(batch) >= BATCH:
            DatastoreRow.objects.bulk_create(batch)
            batch = []
            clock.check()
    if batch:
        DatastoreRow.objects.bulk_create(batch)
    return n


def opener_for(stored: Any) -> Opener:
    """How to open a stored file (a FieldFile) afresh for each pass, as a binary stream."""
    storage, name = stored.storage, stored.name

    def _open() -> IO[bytes]:
        handle = storage.open(name, "rb")
        inner = getattr(handle, "file", None)
        return inner if isinstance(inner, io.IOBase) else handle  # type: ignore[return-value]

    return _open
