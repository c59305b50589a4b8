"""The council's search index becomes the platform's (dimos.core.fulltext): on SQLite an FTS5
table over the documents that triggers keep current (instead of one the search module wrote
beside them), filled from the documents; on PostgreSQL the same generated column and GIN
index, the index renamed to the platform's name."""

from typing import Any

from django.db import migrations

from dimos.council.models import SEARCH_INDEX


def forward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS council_search_fts")
        SEARCH_INDEX.create(schema_editor)
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER INDEX IF EXISTS council_search_vector RENAME TO council_searchdocument_vector"
        )


def backward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        SEARCH_INDEX.drop(schema_editor)
        schema_editor.execute(
            "CREATE VIRTUAL TABLE council_search_fts USING fts5("
            "folded, tokenize='unicode61 remove_diacritics 2')"
        )
        schema_editor.execute(
            "INSERT INTO council_search_fts(rowid, folded) SELECT id, folded "
            "FROM council_searchdocument"
        )
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER INDEX IF EXISTS council_searchdocument_vector RENAME TO council_search_vector"
        )


class Migration(migrations.Migration):
    dependencies = [("council", "0004_closed_sessions_out_of_the_search")]

    operations = [migrations.RunPython(forward, backward)]
