"""Dataset search without Solr: ``q`` as words, and the ``fq`` forms CKAN harvesters send.

``fq`` is parsed as the small part of Solr's syntax that CKAN clients use — ``field:value``,
``field:"quoted value"``, ``-field:value`` (and ``NOT``), ``+field:value``, ``AND``/``OR``
(``AND`` binds first; two clauses side by side are both required), parentheses, a list
``field:(a OR b)`` and ranges ``field:[from TO to]`` on dates (``*``, ISO times, ``NOW``,
``NOW-7DAYS``). Anything else is a :class:`SearchQueryError`, answered as CKAN's
``Search Query Error``. Words of ``q`` are folded (lower case, no accents) and each must be
found in the dataset's words, through the platform's full-text index
(:mod:`dimos.core.fulltext`: PostgreSQL ``tsvector``, SQLite FTS5), which also ranks them for
``sort=score``.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from dimos.core.fulltext import terms_of
from dimos.opendata.models import SEARCH_INDEX, Dataset, Resource

MAX_QUERY = 2000


class SearchQueryError(Exception):
    """A query the catalogue cannot read; its message says where."""


_TOKEN = re.compile(
    r'\s*(?:(?P<lp>\()|(?P<rp>\))|(?P<range>[\[{][^\]}]*[\]}])|(?P<quoted>"(?:[^"\\]|\\.)*")'
    r"|(?P<word>[^\s()\"\[{]+))"
)


@dataclass
class Token:
    kind: str
    text: str


def tokens(text: str) -> list[Token]:
    found: list[Token] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            if text[pos:].strip() == "":
                break
            raise SearchQueryError(f"Cannot parse '{text[pos : pos + 40]}'")
        pos = m.end()
        kind = m.lastgroup or ""
        found.append(Token(kind, m.group(kind)))
    return found


def _unquote(text: str) -> str:
    return (
        re.sub(r"\\(.)", r"\1", text[1:-1])
        if text.startswith('"')
        else re.sub(r"\\(.)", r"\1", text)
    )


_NOW = re.compile(
    r"^NOW(?:([+-])(\d{1,4})(DAY|DAYS|HOUR|HOURS|MINUTE|MINUTES|MONTH|MONTHS|YEAR|YEARS))?(?:/DAY)?$"
)


def moment(text: str) -> dt.datetime | None:
    """A range bound: ``*`` (None), an ISO time (``Z`` or not; UTC), ``NOW``, ``NOW-1DAY``."""
    text = text.strip().strip('"')
    if text == "*":
        return None
    m = _NOW.match(text.upper())
    if m:
        now = timezone.now()
        if m.group(1):
            amount = int(m.group(2)) * (1 if m.group(1) == "+" else -1)
            unit = m.group(3).rstrip("S")
            days = {"DAY": 1, "MONTH": 30, "YEAR": 365}.get(unit)
            delta = (
                dt.timedelta(days=amount * days)
                if days
                else dt.timedelta(hours=amount)
                if unit == "HOUR"
                else dt.timedelta(minutes=amount)
            )
            now += delta
        return now
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise SearchQueryError(f"Invalid date '{text}'") from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def _through(field: str, **lookup: object) -> Q:
    through = getattr(Dataset, field).through
    return Q(pk__in=through.objects.filter(**lookup).values("dataset_id"))


def _text(value: str) -> Q:
    """Datasets whose words hold every word of ``value`` (each also as a word's start)."""
    return SEARCH_INDEX.filter(terms_of(value))


def field_q(field: str, value: str) -> Q:
    """One ``field:value`` clause."""
    raw = value
    value = _unquote(value)
    if value == "*" and not raw.startswith('"'):
        return Q()
    if field in ("organization", "owner_org"):
        try:
            return Q(organization__id=uuid.UUID(value)) | Q(organization__name=value)
        except ValueError:
            return Q(organization__name=value)
    if field == "groups":
        return _through("groups", group__name=value)
    if field == "tags":
        return _through("tags", tag__name=value)
    if field == "res_format":
        return Q(pk__in=Resource.objects.filter(format__iexact=value).values("dataset_id"))
    if field == "license_id":
        return Q(license_id=value)
    if field == "name":
        return Q(name=value)
    if field == "id":
        try:
            return Q(pk=uuid.UUID(value))
        except ValueError:
            return Q(pk__in=[])
    if field in ("dataset_type", "type"):
        return Q() if value == "dataset" else Q(pk__in=[])
    if field == "capacity":
        return Q(private=(value == "private"))
    if field == "state":
        return Q(state=value)
    if field == "site_id":
        return Q()
    if field in ("text", "title", "notes", "title_string"):
        return _text(value)
    if field in ("metadata_modified", "metadata_created"):
        return _date_exact(field, value)
    raise SearchQueryError(f"undefined field {field}")


def _date_column(field: str) -> str:
    return "modified" if field == "metadata_modified" else "created"


def _date_exact(field: str, value: str) -> Q:
    when = moment(value)
    return Q() if when is None else Q(**{_date_column(field): when})


def range_q(field: str, text: str) -> Q:
    if field not in ("metadata_modified", "metadata_created"):
        raise SearchQueryError(f"Range queries are not supported on {field}")
    inclusive_low, inclusive_high = text[0] == "[", text[-1] == "]"
    inner = text[1:-1].strip()
    parts = re.split(r"\s+TO\s+", inner)
    if len(parts) != 2:
        raise SearchQueryError(f"Cannot parse range '{text}'")
    low, high = moment(parts[0]), moment(parts[1])
    column = _date_column(field)
    q = Q()
    if low is not None:
        q &= Q(**{f"{column}__{'gte' if inclusive_low else 'gt'}": low})
    if high is not None:
        q &= Q(**{f"{column}__{'lte' if inclusive_high else 'lt'}": high})
    return q


class _Parser:
    def __init__(self, text: str) -> None:
        if len(text) > MAX_QUERY:
            raise SearchQueryError("The query is too long")
        self.tokens = tokens(text)
        self.pos = 0

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise SearchQueryError("The query ends too soon")
        self.pos += 1
        return token

    def parse(self) -> Q:
        if not self.tokens:
            return Q()
        q = self.expr()
        if self.peek() is not None:
            raise SearchQueryError(f"Cannot parse at '{self.peek().text}'")  # type: ignore[union-attr]
        return q

    def _is_op(self, token: Token | None, *ops: str) -> bool:
        return token is not None and token.kind == "word" and token.text in ops

    def expr(self) -> Q:
        q = self.conj()
        while self._is_op(self.peek(), "OR", "||"):
            self.take()
            q = q | self.conj()
        return q

    def conj(self) -> Q:
        q = self.unary()
        while True:
            token = self.peek()
            if token is None or token.kind == "rp" or self._is_op(token, "OR", "||"):
                return q
            if self._is_op(token, "AND", "&&"):
                self.take()
            q = q & self.unary()

    def unary(self) -> Q:
        token = self.take()
        negate = False
        if self._is_op(token, "NOT", "!"):
            return ~self.unary()
        if token.kind == "word" and token.text.startswith(("-", "+")) and len(token.text) > 1:
            negate = token.text[0] == "-"
            token = Token("word", token.text[1:])
        elif token.kind == "word" and token.text in ("-", "+"):
            negate = token.text == "-"
            token = self.take()
        q = self.atom(token)
        return ~q if negate else q

    def atom(self, token: Token) -> Q:
        if token.kind == "lp":
            q = self.expr()
            if self.take().kind != "rp":
                raise SearchQueryError("A parenthesis is not closed")
            return q
        if token.kind == "quoted":
            return _text(_unquote(token.text))
        if token.kind != "word":
            raise SearchQueryError(f"Cannot parse at '{token.text}'")
        if ":" not in token.text:
            return _text(token.text)
        field, _, value = token.text.partition(":")
        if value:
            return field_q(field, value)
        nxt = self.take()
        if nxt.kind == "quoted":
            return field_q(field, nxt.text)
        if nxt.kind == "range":
            return range_q(field, nxt.text)
        if nxt.kind == "lp":
            return self.value_list(field)
        raise SearchQueryError(f"Cannot parse '{token.text}'")

    def value_list(self, field: str) -> Q:
        q: Q | None = None
        op = "OR"
        while True:
            token = self.take()
            if token.kind == "rp":
                return q if q is not None else Q()
            if self._is_op(token, "OR", "AND", "||", "&&"):
                op = "AND" if token.text in ("AND", "&&") else "OR"
                continue
            if token.kind == "range":
                part = range_q(field, token.text)
            elif token.kind in ("word", "quoted"):
                part = field_q(field, token.text)
            else:
                raise SearchQueryError(f"Cannot parse at '{token.text}'")
            q = part if q is None else (q | part if op == "OR" else q & part)


def parse(text: str) -> Q:
    return _Parser(text).parse()


def _fielded(text: str) -> bool:
    return re.search(r"(^|[\s(+-])[a-z_]+:", text) is not None


def q_filter(q: str) -> Q:
    """``q``: ``*:*`` or nothing finds everything; Solr syntax with fields is parsed as ``fq``;
    other text is words that must all be found."""
    text = (q or "").strip()
    if text in ("", "*:*", "*"):
        return Q()
    if _fielded(text):
        return parse(text)
    return _text(text)


def ranking_terms(q: str) -> list[str]:
    """The words of a plain-text ``q`` that rank the datasets found (none for ``*:*`` or
    Solr syntax, which find without ranking)."""
    text = (q or "").strip()
    if text in ("", "*:*", "*") or _fielded(text):
        return []
    return terms_of(text)


# "score" is the full-text rank when ``q`` has words to rank by, else the newest first.
SCORE = "score"
SORTS = {
    "score": SCORE,
    "metadata_modified": "modified",
    "metadata_created": "created",
    "name": "name",
    "title_string": "title_el",
    "id": "id",
    "views_recent": "modified",
}


def order_by(sort: str, *, ranked: bool = False) -> list[str]:
    """``"score desc, metadata_modified desc"`` → the model's ordering; ties by id. ``ranked``:
    the datasets carry ``score`` (their full-text rank), else ``score`` means the newest."""
    order: list[str] = []
    for part in (sort or "score desc, metadata_modified desc").split(","):
        words = part.split()
        if not words:
            continue
        if len(words) > 2 or (len(words) == 2 and words[1].lower() not in ("asc", "desc")):
            raise SearchQueryError(
                f"Can't determine a Sort Order (asc or desc) in sort spec '{part.strip()}'"
            )
        column = SORTS.get(words[0])
        if column is None:
            raise SearchQueryError(f"can not sort on undefined field: {words[0]}")
        if column == SCORE and not ranked:
            column = "modified"
        desc = len(words) == 2 and words[1].lower() == "desc"
        item = f"-{column}" if desc else column
        if item not in order and item.lstrip("-") not in {o.lstrip("-") for o in order}:
            order.append(item)
    if "id" not in {o.lstrip("-") for o in order}:
        order.append("id")
    return order
