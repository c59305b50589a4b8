"""The full-text index beside the search documents: on PostgreSQL a generated ``tsvector``
column (the 'simple' configuration: the text is already folded, lowercase and without accents)
with a GIN index; on SQLite an FTS5 table whose rowid is the document's id."""

from typing import Any

from django.db import migrations

POSTGRES = [
    "ALTER TABLE council_searchdocument ADD COLUMN vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, folded)) STORED",
    "CREATE INDEX council_search_vector ON council_searchdocument USING gin (vector)",
]
POSTGRES_BACK = [
    "DROP INDEX IF EXISTS council_search_vector",
    "ALTER TABLE council_searchdocument DROP COLUMN IF EXISTS vector",
]
SQLITE = [
    "CREATE VIRTUAL TABLE council_search_fts USING fts5("
    "folded, tokenize='unicode61 remove_diacritics 2')",
]
SQLITE_BACK = ["DROP TABLE IF EXISTS council_search_fts"]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("council", "0002_search_document")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_BACK, "sqlite": SQLITE_BACK}),
        ),
    ]
