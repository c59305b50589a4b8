"""The home page's content is cached per language and cleared when what it shows changes."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dimos.testing.factories import NewsItemFactory


def test_anonymous_home_makes_no_query_once_cached(client, municipality):
    NewsItemFactory.create_batch(3)
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    assert ctx.captured_queries == []


def test_published_news_shows_on_home_at_once(client, municipality):
    client.get("/")
    NewsItemFactory.create(title_el="Νέα παιδική χαρά")
    assert "Νέα παιδική χαρά" in client.get("/").content.decode()


def test_deleted_news_leaves_home_at_once(client, municipality):
    item = NewsItemFactory.create(title_el="Λάθος ανακοίνωση")
    client.get("/")
    item.delete()
    assert "Λάθος ανακοίνωση" not in client.get("/").content.decode()


def test_renamed_municipality_shows_on_home_at_once(client, municipality):
    client.get("/")
    municipality.name_el = "Δήμος Δοκιμής"
    municipality.save()
    assert "Δήμος Δοκιμής" in client.get("/").content.decode()


def test_home_content_is_cached_per_language(client, municipality):
    NewsItemFactory.create(title_el="Ελληνικός τίτλος", title_en="English title")
    assert "Ελληνικός τίτλος" in client.get("/").content.decode()
    assert "English title" in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
