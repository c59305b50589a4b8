"""The search index kept a closed session's report and decision text until now: index those
items again by their number and name only (ADR 0025). A new database has nothing to redo."""

from typing import Any

from django.db import migrations


def forward(apps: Any, schema_editor: Any) -> None:
    # The index is written by the search module's own code (the FTS5 table on SQLite sits
    # beside the model): run it as it is at this migration. A fresh database has no items.
    if not apps.get_model("council", "AgendaItem").objects.filter(public=False).exists():
        return
    from dimos.council import search

    search.reindex_closed_sessions()


class Migration(migrations.Migration):
    dependencies = [("council", "0003_search_index")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
