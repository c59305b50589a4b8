"""Full-text search over the council's agenda items, decisions and papers, in Greek and English.

Each searchable thing has one :class:`SearchDocument`: its titles and texts as shown, and
``folded`` — the same words lowercased, without accents or diaeresis and with «ς» as «σ» — so
«δημοτικο» finds «Δημοτικό» and «ΣΧΟΛΕΙΟ» finds «σχολείο». The index over ``folded`` is the
platform's (:mod:`dimos.core.fulltext`: PostgreSQL ``tsvector`` with GIN, SQLite FTS5; it
follows the table's rows by itself), and so are the rules of a query: every word must match,
a word of three letters or more also as the start of a word, a query word loses its ending.

The documents follow their objects: saving or deleting an item, a decision, a paper (or the
consultation that links a paper to an item, or a meeting) reindexes what changed
(:func:`connect`). After a bulk load that sends no signals, call :func:`rebuild`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.safestring import SafeString

from dimos.core.fulltext import (
    QueryTooLong,
    excerpt,
    folded_document,
    highlight,
    query_terms,
    words,
)
from dimos.core.text import fold
from dimos.council.models import (
    SEARCH_INDEX,
    AgendaItem,
    Consultation,
    Decision,
    Meeting,
    Paper,
    SearchDocument,
    SearchKind,
)

__all__ = ["QueryTooLong", "fold", "search", "words"]

BATCH = 1000
# Papers are read with their consultations' items and meetings prefetched: SQLite refuses
# that prefetch for more than about 800 papers at once ("Expression tree is too large").
PAPER_BATCH = 500


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


def _forget(ids: list[int]) -> None:
    """Remove documents (their index rows go with them)."""
    if ids:
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
    return len(SearchDocument.objects.bulk_create(batch))


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


class Results:
    """The documents matching a query, best first, for a :class:`~django.core.paginator.Paginator`
    (``count()`` and slicing run one indexed query each)."""

    def __init__(self, terms: list[str]) -> None:
        self.terms = terms

    def count(self) -> int:
        return SEARCH_INDEX.count(self.terms)

    def __getitem__(self, window: slice) -> list[Hit]:
        if not self.terms:
            return []
        start = window.start or 0
        ids = SEARCH_INDEX.best(
            self.terms,
            then="date DESC, id DESC",
            offset=start,
            limit=(window.stop or start + 20) - start,
        )
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
