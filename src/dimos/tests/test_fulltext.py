"""The platform's full-text index (dimos.core.fulltext) keeps itself whole: on SQLite a table
that a migration rebuilds loses its triggers, and the check after every migrate makes them
again and refills the index. Tried on the open-data catalogue's datasets."""

from __future__ import annotations

import pytest
from django.db import connection

from dimos.core import fulltext
from dimos.opendata import services
from dimos.opendata.models import SEARCH_INDEX, Dataset, Organization, State

pytestmark = pytest.mark.django_db


def _dataset(name: str, title: str) -> Dataset:
    org, _ = Organization.objects.get_or_create(name="works", defaults={"title_el": "Έργα"})
    return services.create_dataset(
        actor=None,
        values={"name": name, "title_el": title, "organization": org, "license_id": "CC0-1.0"},
        state=State.ACTIVE,
    )


def _found(word: str) -> set[str]:
    return set(
        Dataset.objects.filter(SEARCH_INDEX.filter(fulltext.terms_of(word))).values_list(
            "name", flat=True
        )
    )


def test_the_index_answers_count_and_ranked_keys() -> None:
    lamps = _dataset("lamps", "Φωτιστικά σώματα οδών, φωτιστικά πάρκων")
    _dataset("trees", "Δέντρα και φωτιστικά")
    terms = fulltext.query_terms("ΦΩΤΙΣΤΙΚΆ")
    assert SEARCH_INDEX.count(terms) == 2
    best = SEARCH_INDEX.best(terms, then="name", offset=0, limit=1)
    assert [str(key).replace("-", "") for key in best] == [lamps.pk.hex]
    assert SEARCH_INDEX.count([]) == 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL's column needs no trigger")
def test_after_a_rebuilt_table_the_check_after_migrate_makes_the_triggers_again() -> None:
    _dataset("bins", "Κάδοι ανακύκλωσης")
    with connection.cursor() as cursor:
        # What SQLite's table rebuild leaves: the table's triggers gone, the index stale.
        for name in (
            "opendata_dataset_fts_ai",
            "opendata_dataset_fts_ad",
            "opendata_dataset_fts_au",
        ):
            cursor.execute(f"DROP TRIGGER {name}")
        cursor.execute(
            "INSERT INTO opendata_dataset_fts(opendata_dataset_fts) VALUES ('delete-all')"
        )
    assert _found("κάδοι") == set()
    fulltext.ensure_all(using="default")
    assert _found("κάδοι") == {"bins"}
    _dataset("glass", "Κάδοι για γυαλί")  # the insert trigger is back
    assert _found("καδοι") == {"bins", "glass"}
    assert SEARCH_INDEX.ensure(connection) is False  # whole: nothing to do


def test_words_are_folded_and_query_words_lose_their_endings() -> None:
    assert fulltext.words("Δημοτικό ΣΧΟΛΕΊΟ, Σερρών!") == ["δημοτικο", "σχολειο", "σερρων"]
    assert fulltext.query_terms("προϋπολογισμός budgets") == ["προυπολογισμ", "budget"]
    with pytest.raises(fulltext.QueryTooLong):
        fulltext.query_terms("λέξη " * 100)
    assert str(fulltext.highlight("Το <σχολείο>", ["σχολ"])) == "Το &lt;<mark>σχολείο</mark>&gt;"
