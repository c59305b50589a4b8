"""Full-text search in Greek and English without a search server: PostgreSQL's ``tsvector``
with a GIN index, SQLite's FTS5.

An app keeps the words of each searchable row folded (:func:`dimos.core.text.fold`: lowercase,
no accents or diaeresis, «ς» as «σ») in a text column of its own table, and declares a
:class:`FullTextIndex` over that column. Folding is done in Python, for the index and for the
query alike: neither SQLite's ``remove_diacritics`` (it leaves the Greek tonos) nor PostgreSQL's
``unaccent`` (an extension not every server has) is relied on.

The index keeps itself current, whatever writes the rows (``save``, ``bulk_create``,
``update``, raw SQL):

- PostgreSQL: a generated ``tsvector`` column ('simple' configuration, the text being folded
  already) with a GIN index;
- SQLite: an external-content FTS5 table over the column, with triggers on insert, update and
  delete. A later migration that rebuilds the table (SQLite's way to alter one) drops its
  triggers: after every ``migrate`` the registered indexes are checked and, where a trigger is
  missing, made again and refilled (:func:`ensure_all`).

Every word of the query must match; a word of :data:`PREFIX_FROM` letters or more also matches
as the start of a word («σχολ» finds «σχολείο»), and a query word loses its ending first
(«προϋπολογισμός» looks for «προυπολογισμ…» and finds «προϋπολογισμού»).
"""

# The SQL here is built from the names an app declares for its own table and columns, never
# from input; the query's words are always parameters.
# ruff: noqa: S608, S611

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import connection as default_connection
from django.db.models import FloatField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dimos.core.text import fold

# A query longer than this is refused (with a message), and only its first words are used.
MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
# Words this long or longer also match as a prefix.
PREFIX_FROM = 3
SNIPPET_CHARS = 240

_WORD = re.compile(r"[^\W_]+")


# --- Words -----------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    """The folded words of a text, as the index and the query see them."""
    return _WORD.findall(fold(text))


def folded_document(*texts: str | None) -> str:
    """The texts' folded words, one space apart: what an index column holds."""
    return " ".join(word for text in texts if text for word in words(text))


class QueryTooLong(ValueError):
    """The query is longer than :data:`MAX_QUERY_LENGTH`."""


# Greek and English inflections a query word loses, longest first, so that «προϋπολογισμός»
# finds «προϋπολογισμού» and "budgets" finds "budget": a light stemming of the query only
# (the index keeps whole words, matched by their start).
_ENDINGS = (
    "ουσ", "εων", "εισ", "ησ", "οσ", "ασ", "εσ", "ων", "ου", "οι", "αι", "ει",
    "ο", "α", "η", "ι", "ε", "υ", "ω", "σ", "es", "s",
)  # fmt: skip
STEM_FROM = 5


def stem(term: str) -> str:
    """A query word without its ending, when it is long enough to keep its meaning."""
    if len(term) < STEM_FROM:
        return term
    for ending in _ENDINGS:
        if term.endswith(ending) and len(term) - len(ending) >= STEM_FROM - 1:
            return term[: -len(ending)]
    return term


def terms_of(text: str) -> list[str]:
    """The words to look for in ``text``: folded, stemmed, the first :data:`MAX_TERMS`."""
    return [stem(word) for word in words(text)][:MAX_TERMS]


def query_terms(query: str) -> list[str]:
    """The terms of a query typed by a person (raises :class:`QueryTooLong`)."""
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryTooLong(query)
    return terms_of(query)


def _prefix(term: str) -> bool:
    return len(term) >= PREFIX_FROM


# --- The index -------------------------------------------------------------------------------

_INDEXES: list[FullTextIndex] = []


@dataclass(frozen=True)
class FullTextIndex:
    """The full-text index over ``table.column`` (folded words), answering ``key`` (the
    primary key's column; ``rowid_key``: it is an integer primary key, which SQLite keeps as
    the rowid). Declared once, at module level, by the app that owns the table; its migration
    runs :meth:`migration`."""

    table: str
    column: str = "folded"
    key: str = "id"
    rowid_key: bool = True
    # PostgreSQL: the generated column and its GIN index.
    vector: str = "search_vector"

    def __post_init__(self) -> None:
        if self not in _INDEXES:
            _INDEXES.append(self)

    @property
    def fts(self) -> str:
        """SQLite: the FTS5 table."""
        return f"{self.table}_fts"

    # --- Creating it (migrations) ------------------------------------------------------------

    def _postgres(self) -> list[str]:
        return [
            f"ALTER TABLE {self.table} ADD COLUMN IF NOT EXISTS {self.vector} tsvector "
            f"GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, {self.column})) STORED",
            f"CREATE INDEX IF NOT EXISTS {self.table}_{self.vector} ON {self.table} "
            f"USING gin ({self.vector})",
        ]

    def _postgres_back(self) -> list[str]:
        return [
            f"DROP INDEX IF EXISTS {self.table}_{self.vector}",
            f"ALTER TABLE {self.table} DROP COLUMN IF EXISTS {self.vector}",
        ]

    def _triggers(self) -> dict[str, str]:
        t, c, f = self.table, self.column, self.fts
        delete = f"INSERT INTO {f}({f}, rowid, {c}) VALUES ('delete', old.rowid, old.{c});"
        insert = f"INSERT INTO {f}(rowid, {c}) VALUES (new.rowid, new.{c});"
        return {
            f"{f}_ai": f"AFTER INSERT ON {t} BEGIN {insert} END",
            f"{f}_ad": f"AFTER DELETE ON {t} BEGIN {delete} END",
            f"{f}_au": f"AFTER UPDATE OF {c} ON {t} BEGIN {delete} {insert} END",
        }

    def _sqlite(self) -> list[str]:
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.fts} USING fts5({self.column}, "
            f"content='{self.table}', content_rowid='rowid', "
            "tokenize='unicode61 remove_diacritics 2')",
            *(
                f"CREATE TRIGGER IF NOT EXISTS {name} {body}"
                for name, body in self._triggers().items()
            ),
            f"INSERT INTO {self.fts}({self.fts}) VALUES ('rebuild')",
        ]

    def _sqlite_back(self) -> list[str]:
        return [
            *(f"DROP TRIGGER IF EXISTS {name}" for name in self._triggers()),
            f"DROP TABLE IF EXISTS {self.fts}",
        ]

    def create(self, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        for sql in {"postgresql": self._postgres(), "sqlite": self._sqlite()}.get(vendor, []):
            schema_editor.execute(sql)

    def drop(self, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        for sql in {"postgresql": self._postgres_back(), "sqlite": self._sqlite_back()}.get(
            vendor, []
        ):
            schema_editor.execute(sql)

    def migration(self) -> Any:
        """The operation a migration lists to create the index (and drop it going back)."""
        from django.db import migrations

        return migrations.RunPython(
            lambda apps, schema_editor: self.create(schema_editor),
            lambda apps, schema_editor: self.drop(schema_editor),
        )

    def ensure(self, connection: Any = default_connection) -> bool:
        """SQLite: make again what a table rebuild dropped (the triggers) and refill the index;
        answers whether anything was missing. Nothing to do elsewhere."""
        if connection.vendor != "sqlite":
            return False
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE name IN (%s, %s, %s, %s)",
                [self.fts, *self._triggers()],
            )
            present = {row[0] for row in cursor.fetchall()}
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [self.table]
            )
            if cursor.fetchone() is None or len(present) == 4:
                return False
            for sql in self._sqlite():
                cursor.execute(sql)
        return True

    # --- Searching ---------------------------------------------------------------------------

    def _match(self, terms: list[str], vendor: str) -> str:
        if vendor == "sqlite":
            return " ".join(f'"{t}"*' if _prefix(t) else f'"{t}"' for t in terms)
        return " & ".join(f"{t}:*" if _prefix(t) else t for t in terms)

    def _matching_sql(self, vendor: str) -> str:
        if vendor == "sqlite":
            inner = f"SELECT rowid FROM {self.fts} WHERE {self.fts} MATCH %s"
            if self.rowid_key:
                return inner
            return f"SELECT {self.key} FROM {self.table} WHERE rowid IN ({inner})"
        return (
            f"SELECT {self.key} FROM {self.table} WHERE {self.vector} @@ to_tsquery('simple', %s)"
        )

    def filter(self, terms: list[str], field: str = "pk") -> Q:
        """The rows whose folded words match every term (every row when there is no term)."""
        if not terms:
            return Q()
        vendor = default_connection.vendor
        return Q(
            **{f"{field}__in": RawSQL(self._matching_sql(vendor), [self._match(terms, vendor)])}
        )

    def ranked(self, queryset: QuerySet[Any], terms: list[str]) -> QuerySet[Any]:
        """``queryset`` (of the table's model) with ``score``: how well each row matches every
        term, higher is better, for ``order_by("-score")``; only the matching rows are kept.
        SQLite reads the rank by joining the FTS5 table (a rank asked row by row would run
        the whole match again for each)."""
        if not terms:
            return queryset.annotate(score=Value(0.0, output_field=FloatField()))
        vendor = default_connection.vendor
        match = self._match(terms, vendor)
        if vendor == "sqlite":
            return queryset.extra(  # noqa: S610 - the names are the app's, the words a parameter
                select={"score": f"-{self.fts}.rank"},
                tables=[self.fts],
                where=[f"{self.fts}.rowid = {self.table}.rowid", f"{self.fts} MATCH %s"],
                params=[match],
            )
        return queryset.filter(self.filter(terms)).annotate(
            score=RawSQL(
                f"ts_rank({self.table}.{self.vector}, to_tsquery('simple', %s))",
                [match],
                output_field=FloatField(),
            )
        )

    def count(self, terms: list[str]) -> int:
        """How many rows match every term."""
        if not terms:
            return 0
        vendor = default_connection.vendor
        with default_connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM ({self._matching_sql(vendor)}) matched",
                [self._match(terms, vendor)],
            )
            return int(cursor.fetchone()[0])

    def best(self, terms: list[str], *, then: str, offset: int, limit: int) -> list[Any]:
        """The keys of the rows matching every term, best first, then by ``then`` (SQL over the
        table's columns, e.g. ``"date DESC, id DESC"``), a page of them."""
        if not terms:
            return []
        vendor = default_connection.vendor
        match = self._match(terms, vendor)
        with default_connection.cursor() as cursor:
            if vendor == "sqlite":
                cursor.execute(
                    f"SELECT t.{self.key} FROM {self.fts} f JOIN {self.table} t "
                    f"ON t.rowid = f.rowid WHERE {self.fts} MATCH %s "
                    f"ORDER BY f.rank, {_qualified(then, 't')} LIMIT %s OFFSET %s",
                    [match, limit, offset],
                )
            else:
                cursor.execute(
                    f"SELECT {self.key} FROM {self.table} "
                    f"WHERE {self.vector} @@ to_tsquery('simple', %s) "
                    f"ORDER BY ts_rank({self.vector}, to_tsquery('simple', %s)) DESC, {then} "
                    "LIMIT %s OFFSET %s",
                    [match, match, limit, offset],
                )
            return [row[0] for row in cursor.fetchall()]


def _qualified(order: str, alias: str) -> str:
    """``"date DESC, id DESC"`` → ``"t.date DESC, t.id DESC"``."""
    return ", ".join(f"{alias}.{part.strip()}" for part in order.split(","))


def ensure_all(**kwargs: Any) -> None:
    """After ``migrate`` (a ``post_migrate`` receiver): every declared index is whole."""
    using = kwargs.get("using")
    from django.db import connections

    connection = connections[using] if using else default_connection
    for index in _INDEXES:
        index.ensure(connection)


# --- Showing a match -------------------------------------------------------------------------


def matches(word: str, terms: list[str]) -> bool:
    """Whether a word of a text is one the terms look for."""
    folded = fold(word)
    return any(folded.startswith(t) if _prefix(t) else folded == t for t in terms)


def excerpt(text: str, terms: list[str], size: int = SNIPPET_CHARS) -> str:
    """About ``size`` characters of ``text`` around its first match (its start if none)."""
    text = " ".join(text.split())
    if len(text) <= size:
        return text
    first = next((m.start() for m in _WORD.finditer(text) if matches(m.group(), terms)), 0)
    start = max(0, first - size // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + size)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def highlight(text: str, terms: list[str]) -> SafeString:
    """The text escaped, with every word that matches a term in ``<mark>``."""
    out: list[str] = []
    last = 0
    for match in _WORD.finditer(text):
        if matches(match.group(), terms):
            out.append(str(escape(text[last : match.start()])))
            out.append(f"<mark>{escape(match.group())}</mark>")
            last = match.end()
    out.append(str(escape(text[last:])))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above
