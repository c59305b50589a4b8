"""Full-text search over the council's agenda items, decisions and papers, in Greek and English.

Each searchable thing has one :class:`SearchDocument`: its titles and texts as shown, and
``folded`` — the same words lowercased, without accents or diaeresis and with «ς» as «σ» — so
«δημοτικο» finds «Δημοτικό» and «ΣΧΟΛΕΙΟ» finds «σχολείο». Folding is done here, in Python,
for the index and for the query alike: neither SQLite's ``remove_diacritics`` (it leaves the
Greek tonos) nor PostgreSQL's ``unaccent`` (an extension not every server has) is relied on.

The index beside the documents (migration ``0003_search_index``): on PostgreSQL a generated
``tsvector`` column ('simple' configuration) with a GIN index, on SQLite an FTS5 table. Every
word of the query must match; a word of three letters or more also matches as the start of a
word, so «σχολ» finds «σχολείο» and «σχολικός»; a query word loses its ending first
(«προϋπολογισμός» looks for «προυπολογισμ…», and finds «προϋπολογισμού»).

The documents follow their objects: saving or deleting an item, a decision, a paper (or the
consultation that links a paper to an item, or a meeting) reindexes what changed
(:func:`connect`). After a bulk load that sends no signals, call :func:`rebuild`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dimos.council.models import (
    AgendaItem,
    Consultation,
    Decision,
    Meeting,
    Paper,
    SearchDocument,
    SearchKind,
)

# A query longer than this is refused (with a message), and only its first words are used.
MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
# Words this long or longer also match as a prefix.
PREFIX_FROM = 3
SNIPPET_CHARS = 240
BATCH = 1000
# Papers are read with their consultations' items and meetings prefetched: SQLite refuses
# that prefetch for more than about 800 papers at once ("Expression tree is too large").
PAPER_BATCH = 500

_WORD = re.compile(r"[^\W_]+")


# --- Folding ---------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    return base.lower().replace("ς", "σ")


def fold(text: str) -> str:
    """``"Δημοτικό ΣΧΟΛΕΊΟ"`` → ``"δημοτικο σχολειο"``: lowercase, no accents, «ς» as «σ»."""
    return "".join(_fold_char(char) for char in unicodedata.normalize("NFC", text))


def words(text: str) -> list[str]:
    """The folded words of a text, as the index and the query see them."""
    return _WORD.findall(fold(text))


def folded_document(*texts: str) -> str:
    return " ".join(word for text in texts if text for word in words(text))


# --- The documents ---------------------------------------------------------------------------


def _meeting_date(meeting: Meeting) -> Any:
    return timezone.localtime(meeting.start).date()


def _item_url(item: AgendaItem) -> str:
    return f"{item.meeting.get_absolute_url()}#item-{item.pk}"


def item_document(item: AgendaItem) -> SearchDocument | None:
    """The document of an agenda item (None once it or its meeting is deleted). An item
    discussed in closed session is found by its number and name only (ADR 0025)."""
    if item.deleted or item.meeting.deleted:
        return None
    report_el, report_en = (item.report_el, item.report_en) if item.public else ("", "")
    return SearchDocument(
        kind=SearchKind.ITEM,
        object_id=item.pk,
        meeting_id=item.meeting_id,
        title_el=f"{item.number}. {item.title_el}",
        title_en=f"{item.number}. {item.title_en}" if item.title_en else "",
        text_el=report_el,
        text_en=report_en,
        url=_item_url(item),
        date=_meeting_date(item.meeting),
        folded=folded_document(item.title_el, item.title_en, report_el, report_en),
    )


def decision_document(decision: Decision) -> SearchDocument | None:
    """The document of a decision (None once it, its item or its meeting is deleted, and for
    an item discussed in closed session)."""
    item = decision.agenda_item
    if decision.deleted or item.deleted or item.meeting.deleted or not item.public:
        return None
    return SearchDocument(
        kind=SearchKind.DECISION,
        object_id=decision.pk,
        meeting_id=item.meeting_id,
        title_el=f"{decision.reference} {item.title_el}",
        title_en=f"{decision.reference} {item.title_en}" if item.title_en else "",
        text_el=decision.text_el,
        text_en=decision.text_en,
        url=_item_url(item),
        date=_meeting_date(item.meeting),
        folded=folded_document(
            decision.reference,
            decision.ada,
            item.title_el,
            item.title_en,
            decision.text_el,
            decision.text_en,
        ),
    )


def _paper_url(paper: Paper) -> str:
    consultations = [
        c
        for c in paper.consultations.all()
        if not c.deleted and not c.agenda_item.deleted and not c.agenda_item.meeting.deleted
    ]
    if consultations:
        return _item_url(consultations[0].agenda_item)
    main = paper.main_file
    if main is not None and not main.deleted:
        return main.file.url if main.file else main.external_service_url
    return ""


def paper_document(paper: Paper) -> SearchDocument | None:
    """The document of a paper (None once it is deleted); it links to the first item that
    discusses it, else to its main document."""
    if paper.deleted:
        return None
    text = paper.main_file.text if paper.main_file is not None else ""
    return SearchDocument(
        kind=SearchKind.PAPER,
        object_id=paper.pk,
        title_el=f"{paper.reference} {paper.name_el}",
        title_en=f"{paper.reference} {paper.name_en}" if paper.name_en else "",
        text_el=text,
        url=_paper_url(paper),
        date=paper.date,
        folded=folded_document(paper.reference, paper.name_el, paper.name_en, text),
    )


def _items() -> Any:
    return AgendaItem.objects.select_related("meeting")


def _decisions() -> Any:
    return Decision.objects.select_related("agenda_item__meeting")


def _papers() -> Any:
    return Paper.objects.select_related("main_file").prefetch_related(
        "consultations__agenda_item__meeting"
    )


# --- Writing the index -----------------------------------------------------------------------


def _sqlite() -> bool:
    return connection.vendor == "sqlite"


def _forget(ids: list[int]) -> None:
    if not ids:
        return
    if _sqlite():
        with connection.cursor() as cursor:
            for start in range(0, len(ids), BATCH):
                chunk = ids[start : start + BATCH]
                marks = ",".join("%s" for _ in chunk)
                cursor.execute(f"DELETE FROM council_search_fts WHERE rowid IN ({marks})", chunk)  # noqa: S608 - placeholders only
    SearchDocument.objects.filter(pk__in=ids).delete()


def _store(documents: Iterable[SearchDocument | None]) -> int:
    """Add the documents (replacing any of the same object) and their index rows."""
    count = 0
    batch: list[SearchDocument] = []
    for document in documents:
        if document is None:
            continue
        batch.append(document)
        if len(batch) >= BATCH:
            count += _store_batch(batch)
            batch = []
    if batch:
        count += _store_batch(batch)
    return count


def _store_batch(batch: list[SearchDocument]) -> int:
    keys = {(d.kind, d.object_id) for d in batch}
    by_kind: dict[str, list[int]] = {}
    for kind, object_id in keys:
        by_kind.setdefault(kind, []).append(object_id)
    old = [
        pk
        for kind, ids in by_kind.items()
        for pk in SearchDocument.objects.filter(kind=kind, object_id__in=ids).values_list(
            "pk", flat=True
        )
    ]
    _forget(old)
    created = SearchDocument.objects.bulk_create(batch)
    if _sqlite():
        pks = [d.pk for d in created]
        if None in pks:  # an old SQLite without RETURNING: read the ids back
            pks = [
                pk
                for kind, ids in by_kind.items()
                for pk in SearchDocument.objects.filter(kind=kind, object_id__in=ids).values_list(
                    "pk", flat=True
                )
            ]
        rows = SearchDocument.objects.filter(pk__in=pks).values_list("pk", "folded")
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO council_search_fts(rowid, folded) VALUES (%s, %s)", list(rows)
            )
    return len(created)


def _remove(kind: str, object_ids: Iterable[int]) -> None:
    _forget(
        list(
            SearchDocument.objects.filter(kind=kind, object_id__in=list(object_ids)).values_list(
                "pk", flat=True
            )
        )
    )


def index_item(item: AgendaItem) -> None:
    document = item_document(item)
    if document is None:
        _remove(SearchKind.ITEM, [item.pk])
    else:
        _store([document])


def index_decision(decision: Decision) -> None:
    document = decision_document(decision)
    if document is None:
        _remove(SearchKind.DECISION, [decision.pk])
    else:
        _store([document])


def index_paper(paper: Paper) -> None:
    paper = _papers().get(pk=paper.pk)
    document = paper_document(paper)
    if document is None:
        _remove(SearchKind.PAPER, [paper.pk])
    else:
        _store([document])


def index_meeting(meeting: Meeting) -> None:
    """Reindex a meeting's items and decisions (its date or its deletion changes them)."""
    items = list(_items().filter(meeting=meeting))
    decisions = list(_decisions().filter(agenda_item__meeting=meeting))
    _remove(SearchKind.ITEM, [item.pk for item in items])
    _remove(SearchKind.DECISION, [decision.pk for decision in decisions])
    _store([*map(item_document, items), *map(decision_document, decisions)])


def reindex_closed_sessions() -> int:
    """Index again the items discussed in closed session and their decisions: what an index
    made before a closed session's report and decision were kept out of it still holds.
    Answers how many items."""
    items = list(_items().filter(public=False))
    decisions = list(_decisions().filter(agenda_item__public=False))
    _remove(SearchKind.ITEM, [item.pk for item in items])
    _remove(SearchKind.DECISION, [decision.pk for decision in decisions])
    _store(map(item_document, items))
    return len(items)


@transaction.atomic
def rebuild() -> int:
    """Index every agenda item, decision and paper again; answers how many documents.

    For bulk loads (``bulk_create`` sends no signals) and after restoring a backup.
    """
    if _sqlite():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM council_search_fts")
    SearchDocument.objects.all().delete()

    def everything() -> Iterator[SearchDocument | None]:
        yield from map(item_document, _items().iterator(chunk_size=BATCH))
        yield from map(decision_document, _decisions().iterator(chunk_size=BATCH))
        yield from map(paper_document, _papers().iterator(chunk_size=PAPER_BATCH))

    return _store(everything())


# --- Keeping it current ----------------------------------------------------------------------


def _on_item(sender: Any, instance: AgendaItem, **kwargs: Any) -> None:
    index_item(instance)
    # The decision's document carries the item's title, and goes with a deleted item.
    for decision in _decisions().filter(agenda_item=instance):
        index_decision(decision)


def _on_item_deleted(sender: Any, instance: AgendaItem, **kwargs: Any) -> None:
    _remove(SearchKind.ITEM, [instance.pk])


def _on_decision(sender: Any, instance: Decision, **kwargs: Any) -> None:
    index_decision(instance)


def _on_decision_deleted(sender: Any, instance: Decision, **kwargs: Any) -> None:
    _remove(SearchKind.DECISION, [instance.pk])


def _on_paper(sender: Any, instance: Paper, **kwargs: Any) -> None:
    index_paper(instance)


def _on_paper_deleted(sender: Any, instance: Paper, **kwargs: Any) -> None:
    _remove(SearchKind.PAPER, [instance.pk])


def _on_consultation(sender: Any, instance: Consultation, **kwargs: Any) -> None:
    if Paper.objects.filter(pk=instance.paper_id).exists():
        index_paper(Paper(pk=instance.paper_id))


def _on_meeting(sender: Any, instance: Meeting, created: bool = False, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if created or (update_fields is not None and not {"start", "deleted"} & set(update_fields)):
        return  # nothing of its items' documents changed
    index_meeting(instance)


def connect() -> None:
    """Connect the receivers that keep the index current (the app's ``ready()``)."""
    uid = "dimos.council.search"
    post_save.connect(_on_item, sender=AgendaItem, dispatch_uid=f"{uid}.item")
    post_delete.connect(_on_item_deleted, sender=AgendaItem, dispatch_uid=f"{uid}.item-")
    post_save.connect(_on_decision, sender=Decision, dispatch_uid=f"{uid}.decision")
    post_delete.connect(_on_decision_deleted, sender=Decision, dispatch_uid=f"{uid}.decision-")
    post_save.connect(_on_paper, sender=Paper, dispatch_uid=f"{uid}.paper")
    post_delete.connect(_on_paper_deleted, sender=Paper, dispatch_uid=f"{uid}.paper-")
    post_save.connect(_on_consultation, sender=Consultation, dispatch_uid=f"{uid}.consultation")
    post_delete.connect(_on_consultation, sender=Consultation, dispatch_uid=f"{uid}.consultation-")
    post_save.connect(_on_meeting, sender=Meeting, dispatch_uid=f"{uid}.meeting")


# --- Searching -------------------------------------------------------------------------------


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
    """The terms of a query (raises :class:`QueryTooLong`)."""
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryTooLong(query)
    return terms_of(query)


def _prefix(term: str) -> bool:
    return len(term) >= PREFIX_FROM


class Results:
    """The documents matching a query, best first, for a :class:`~django.core.paginator.Paginator`
    (``count()`` and slicing run one indexed query each)."""

    def __init__(self, terms: list[str]) -> None:
        self.terms = terms
        if _sqlite():
            self._match = " ".join(f'"{t}"*' if _prefix(t) else f'"{t}"' for t in terms)
        else:
            self._match = " & ".join(f"{t}:*" if _prefix(t) else t for t in terms)

    def count(self) -> int:
        if not self.terms:
            return 0
        with connection.cursor() as cursor:
            if _sqlite():
                cursor.execute(
                    "SELECT count(*) FROM council_search_fts f "
                    "JOIN council_searchdocument d ON d.id = f.rowid "
                    "WHERE council_search_fts MATCH %s",
                    [self._match],
                )
            else:
                cursor.execute(
                    "SELECT count(*) FROM council_searchdocument "
                    "WHERE vector @@ to_tsquery('simple', %s)",
                    [self._match],
                )
            return int(cursor.fetchone()[0])

    def _ids(self, offset: int, limit: int) -> list[int]:
        with connection.cursor() as cursor:
            if _sqlite():
                cursor.execute(
                    "SELECT d.id FROM council_search_fts f "
                    "JOIN council_searchdocument d ON d.id = f.rowid "
                    "WHERE council_search_fts MATCH %s "
                    "ORDER BY f.rank, d.date DESC, d.id DESC LIMIT %s OFFSET %s",
                    [self._match, limit, offset],
                )
            else:
                cursor.execute(
                    "SELECT id FROM council_searchdocument "
                    "WHERE vector @@ to_tsquery('simple', %s) "
                    "ORDER BY ts_rank(vector, to_tsquery('simple', %s)) DESC, "
                    "date DESC NULLS LAST, id DESC LIMIT %s OFFSET %s",
                    [self._match, self._match, limit, offset],
                )
            return [row[0] for row in cursor.fetchall()]

    def __getitem__(self, window: slice) -> list[Hit]:
        if not self.terms:
            return []
        start = window.start or 0
        ids = self._ids(start, (window.stop or start + 20) - start)
        documents = SearchDocument.objects.in_bulk(ids)
        return [Hit(documents[pk], self.terms) for pk in ids if pk in documents]

    def __len__(self) -> int:
        return self.count()


def search(query: str) -> Results:
    """The documents matching every word of ``query`` (raises :class:`QueryTooLong`)."""
    return Results(query_terms(query))


# --- Showing a hit ---------------------------------------------------------------------------


@dataclass
class Hit:
    """A document found, with its title and a snippet of its text, the matches marked."""

    document: SearchDocument
    terms: list[str]

    @property
    def title(self) -> SafeString:
        return highlight(str(self.document.title), self.terms)

    @property
    def snippet(self) -> SafeString:
        return highlight(excerpt(str(self.document.text), self.terms), self.terms)


def _matches(word: str, terms: list[str]) -> bool:
    folded = fold(word)
    return any(folded.startswith(t) if _prefix(t) else folded == t for t in terms)


def excerpt(text: str, terms: list[str], size: int = SNIPPET_CHARS) -> str:
    """About ``size`` characters of ``text`` around its first match (its start if none)."""
    text = " ".join(text.split())
    if len(text) <= size:
        return text
    first = next((m.start() for m in _WORD.finditer(text) if _matches(m.group(), terms)), 0)
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
        if _matches(match.group(), terms):
            out.append(str(escape(text[last : match.start()])))
            out.append(f"<mark>{escape(match.group())}</mark>")
            last = match.end()
    out.append(str(escape(text[last:])))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above
