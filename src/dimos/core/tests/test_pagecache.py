import re

from django.test import Client


def _nonce(response):
    return re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)


def test_cached_home_page_gets_a_fresh_nonce_every_time(client, municipality):
    first = client.get("/")
    second = client.get("/")
    assert second["X-Dimos-Cache"] == "hit"
    for response in (first, second):
        html = response.content.decode()
        nonce = _nonce(response)
        tags = re.findall(r"<script[^>]*>", html)
        assert tags and all(f'nonce="{nonce}"' in t for t in tags)
        assert "__DIMOS_CSP_NONCE__" not in html
    assert _nonce(first) != _nonce(second)


def test_pages_are_cached_per_language(municipality):
    greek, english = Client(), Client()
    english.cookies["dimos_language"] = "en"
    greek.get("/")
    english.get("/")
    assert '<html lang="el"' in greek.get("/").content.decode()
    assert '<html lang="en"' in english.get("/").content.decode()


def test_logged_in_pages_are_never_served_from_the_cache(client, citizen_client, municipality):
    client.get("/")
    response = citizen_client.get("/")
    assert "X-Dimos-Cache" not in response
    assert "Alice" in response.content.decode() or "/my/" in response.content.decode()


def test_news_changes_show_at_once(client, municipality):
    from dimos.testing.factories import NewsItemFactory

    client.get("/")
    NewsItemFactory.create(title_el="Φρέσκο νέο", slug="fresh")
    assert "Φρέσκο νέο" in client.get("/").content.decode()


def test_display_settings_are_part_of_the_key(client, municipality):
    client.get("/")
    client.cookies["dimos_a11y"] = "dimos-large-text"
    assert 'class="dimos-large-text"' in client.get("/").content.decode()
