"""The council's full-text search: Greek without accents or capitals, English, prefixes, the
index kept current on save and delete, bulk rebuilds, and bad queries."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dimos.council import search
from dimos.council.models import AgendaItem, Consultation, Decision, Paper, SearchDocument
from dimos.council.tests import visitor_data
from dimos.council.tests.visitor_data import Council

pytestmark = pytest.mark.django_db


@pytest.fixture
def searched_council(municipality: Any) -> Council:
    return visitor_data.council()


def _titles(query: str) -> list[str]:
    results = search.search(query)
    return [hit.document.title_el for hit in results[0 : results.count()]]


def test_fold_drops_accents_capitals_and_final_sigma() -> None:
    assert search.fold("Δημοτικό ΣΧΟΛΕΊΟ Σερρών ΐ") == "δημοτικο σχολειο σερρων ι"


@pytest.mark.parametrize("query", ["δημοτικο", "ΔΗΜΟΤΙΚΌ", "Δημοτικού σχολ", "σχολείο σερρών"])
def test_greek_finds_the_item_whatever_the_accents_and_capitals(
    searched_council: Council, query: str
) -> None:
    assert "2. Συντήρηση του Δημοτικού Σχολείου Σερρών" in _titles(query)


def test_english_finds_items_and_decisions(searched_council: Council) -> None:
    titles = _titles("budget")
    assert "1. Έγκριση προϋπολογισμού του Δήμου" in titles
    assert any(t.startswith("17/") for t in titles)  # the decision
    assert any(t.startswith("ΕΙΣ-2026-1") for t in titles)  # the paper


def test_every_word_must_match(searched_council: Council) -> None:
    assert _titles("σχολειο προϋπολογισμος") == []


def test_an_edited_item_is_found_by_its_new_title_only(searched_council: Council) -> None:
    item = searched_council.school
    item.title_el = "Ανακαίνιση παιδικής χαράς"
    item.save()
    assert _titles("σχολειο") == []
    assert _titles("παιδικη χαρα") == ["2. Ανακαίνιση παιδικής χαράς"]


def test_deleted_things_leave_the_index(searched_council: Council) -> None:
    searched_council.decision.soft_delete()
    assert not any(t.startswith("17/") for t in _titles("budget"))
    searched_council.budget.soft_delete()
    assert _titles("προϋπολογισμου") == ["ΕΙΣ-2026-1 Σχέδιο προϋπολογισμού"]
    Paper.objects.get(reference="ΕΙΣ-2026-1").delete()
    assert _titles("προϋπολογισμου") == []


def test_an_item_moved_to_closed_session_is_found_by_its_name_only(
    searched_council: Council,
) -> None:
    item = searched_council.budget
    assert "1. Έγκριση προϋπολογισμού του Δήμου" in _titles("εισηγηση")  # its report
    item.public = False
    item.save()
    assert _titles("εισηγηση") == []  # neither its report…
    assert _titles("εγκρινει") == []  # …nor its decision's text
    assert "1. Έγκριση προϋπολογισμού του Δήμου" in _titles("εγκριση προϋπολογισμου")


def test_reindexing_closed_sessions_drops_what_an_older_index_kept(
    searched_council: Council,
) -> None:
    item = searched_council.budget
    AgendaItem.objects.filter(pk=item.pk).update(public=False)  # no signal: the index is old
    assert _titles("εγκρινει")  # the decision's text is still found
    assert search.reindex_closed_sessions() == 1
    assert _titles("εισηγηση") == [] and _titles("εγκρινει") == []
    assert "1. Έγκριση προϋπολογισμού του Δήμου" in _titles("εγκριση")


def test_a_deleted_meeting_takes_its_items_out(searched_council: Council) -> None:
    searched_council.held.soft_delete()
    assert _titles("σχολειο") == []


def test_rebuild_indexes_what_bulk_create_skipped(searched_council: Council) -> None:
    meeting = searched_council.upcoming
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(meeting=meeting, order=5 + n, number=f"9.{n}", title_el=f"Οδοποιία {n}")
            for n in range(3)
        ]
    )
    assert _titles("οδοποιια") == []
    count = search.rebuild()
    assert count == SearchDocument.objects.count()
    assert len(_titles("οδοποιια")) == 3
    assert "2. Συντήρηση του Δημοτικού Σχολείου Σερρών" in _titles("σχολειο")


def test_rebuild_indexes_a_thousand_papers_each_on_its_own_item(
    searched_council: Council,
) -> None:
    # SQLite refuses the papers' prefetch for more than about 800 at once: they go in smaller
    # batches.
    items = AgendaItem.objects.bulk_create(
        AgendaItem(meeting=searched_council.held, order=10 + n, number=str(10 + n), title_el="Θέμα")
        for n in range(1100)
    )
    papers = Paper.objects.bulk_create(
        Paper(reference=f"Π-{n}/2026", name_el=f"Πρόταση {n}", date=date(2026, 1, 1))
        for n in range(1100)
    )
    Consultation.objects.bulk_create(
        Consultation(paper=paper, agenda_item=item) for paper, item in zip(papers, items)
    )
    assert search.rebuild() >= 2200
    assert _titles("προταση 1099") == ["Π-1099/2026 Πρόταση 1099"]


def test_snippet_marks_the_words_found_and_escapes_the_rest(searched_council: Council) -> None:
    item = searched_council.school
    item.report_el = "Το <b>κτίριο</b> του σχολείου χρειάζεται νέα στέγη. " * 20
    item.save()
    hit = search.search("σχολειο")[0:1][0]
    assert "<mark>σχολείου</mark>" in hit.snippet
    assert "&lt;b&gt;" in hit.snippet
    assert len(hit.snippet) < 600
    assert "<mark>Σχολείου</mark>" in hit.title


def test_search_page_paginates_and_highlights(client: Client, searched_council: Council) -> None:
    for n in range(25):
        visitor_data.item(searched_council.upcoming, 10 + n, f"Σχολική στέγη {n}", number=f"5.{n}")
    page = client.get("/council/search/?q=ΣΧΟΛ")
    html = page.content.decode()
    assert page.status_code == 200
    assert "26 αποτελέσματα" in html
    assert "<mark>" in html
    assert "Σελίδα 1 από 2" in html
    assert client.get("/council/search/?q=ΣΧΟΛ&page=2").status_code == 200


def test_search_page_query_count_is_fixed(client: Client, searched_council: Council) -> None:
    client.get("/council/search/?q=budget")
    with CaptureQueriesContext(connection) as queries:
        client.get("/council/search/?q=budget")
    assert len(queries) <= 4


@pytest.mark.parametrize("query", ["", "   ", "!!! ??", "a" * 201])
def test_bad_queries_get_a_message_not_an_error(
    client: Client, searched_council: Council, query: str
) -> None:
    page = client.get("/council/search/", {"q": query})
    assert page.status_code == 400
    assert "govgr-error-summary" in page.content.decode()


def test_the_search_page_without_a_query_shows_the_form(client: Client) -> None:
    page = client.get("/council/search/")
    assert page.status_code == 200
    assert 'name="q"' in page.content.decode()


def test_quotes_and_operators_in_a_query_are_only_words(searched_council: Council) -> None:
    for query in ['"σχολείο', "σχολ* OR 1=1", "σχολ & !", "NEAR(a b)", "-σχολείο"]:
        assert isinstance(search.search(query).count(), int)


def test_a_decision_follows_its_items_title(searched_council: Council) -> None:
    item = searched_council.budget
    item.title_el = "Τροποποίηση τεχνικού προγράμματος"
    item.save()
    assert any(t.startswith("17/") for t in _titles("τεχνικου προγραμματος"))
    assert Decision.objects.count() == 1
