"""Reading a datastore table: filters, words, sort and pages, for the API and the preview."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.db.models.fields.json import KT

from dimos.core.text import fold
from dimos.opendata.datastore import convert, kinds_of
from dimos.opendata.models import DatastoreRow, DatastoreTable


class TableQueryError(Exception):
    """A parameter the table cannot use: ``field`` names it, ``message`` says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class Query:
    filters: dict[str, list[Any]]
    words: str = ""
    sort: list[tuple[str, bool]] | None = None  # (column, descending)
    fields: list[str] | None = None


def typed(table: DatastoreTable, column: str, value: Any) -> Any:
    """A filter's value as the column stores it; a value that does not fit matches nothing."""
    kind = table.types()[column]
    if kind == "text":
        return str(value)
    if kind not in kinds_of(value) and value not in (None, ""):
        raise ValueError(value)
    return convert(value, kind)


def parse_sort(table: DatastoreTable, sort: str) -> list[tuple[str, bool]]:
    names = set(table.column_ids()) | {"_id"}
    out = []
    for part in (sort or "").split(","):
        words = part.strip().rsplit(" ", 1)
        if not words[0]:
            continue
        column = words[0].strip().strip('"')
        desc = len(words) == 2 and words[1].lower() == "desc"
        if len(words) == 2 and words[1].lower() not in ("asc", "desc"):
            column, desc = part.strip().strip('"'), False
        if column not in names:
            raise TableQueryError("sort", f'field "{column}" not in fields')
        out.append((column, desc))
    return out


def rows(table: DatastoreTable, query: Query) -> QuerySet[DatastoreRow]:
    qs = DatastoreRow.objects.filter(table=table)
    names = set(table.column_ids())
    for column, values in query.filters.items():
        if column == "_id":
            try:
                qs = qs.filter(n__in=[int(v) for v in values])
            except (TypeError, ValueError):
                qs = qs.none()
            continue
        if column not in names:
            raise TableQueryError("filters", f'field "{column}" not in fields')
        try:
            wanted = [typed(table, column, v) for v in values]
        except (TypeError, ValueError, OverflowError):
            return qs.none()
        match = Q(pk__in=[])
        for value in wanted:
            match |= Q(**{f"data__{column}": value})
        qs = qs.filter(match)
    for word in fold(query.words).split()[:10]:
        qs = qs.filter(text__contains=word)
    order: list[Any] = []
    for column, desc in query.sort or []:
        if column == "_id":
            expr: Any = F("n")
        elif table.types()[column] in ("text", "timestamp"):
            expr = KT(f"data__{column}")
        else:
            expr = F(f"data__{column}")
        order.append(expr.desc(nulls_last=True) if desc else expr.asc(nulls_last=True))
    order.append(F("n").asc())
    return qs.order_by(*order)


def record(table: DatastoreTable, row: DatastoreRow, columns: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column in columns:
        out[column] = row.n if column == "_id" else row.data.get(column)
    return out


def columns_of(table: DatastoreTable, fields: list[str] | None) -> list[str]:
    every = ["_id", *table.column_ids()]
    if not fields:
        return every
    unknown = [f for f in fields if f not in every]
    if unknown:
        raise TableQueryError("fields", f'field "{unknown[0]}" not in fields')
    return fields


def stream(table: DatastoreTable, query: Query, columns: list[str]) -> Iterator[dict[str, Any]]:
    """Every row found, in order, read in chunks (for downloads)."""
    for row in rows(table, query).iterator(chunk_size=2000):
        yield record(table, row, columns)
