"""The full-text index over the datasets' folded words (dimos.core.fulltext): PostgreSQL's
tsvector with a GIN index, SQLite's FTS5 kept current by triggers."""

from django.db import migrations

from dimos.opendata.models import SEARCH_INDEX


class Migration(migrations.Migration):
    dependencies = [("opendata", "0001_initial")]

    operations = [SEARCH_INDEX.migration()]
