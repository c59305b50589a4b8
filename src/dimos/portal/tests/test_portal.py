from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dimos.core import notifications
from dimos.core.registry import CatalogueEntry, registry
from dimos.core.selectors import current_municipality
from dimos.portal.models import NewsItem
from dimos.testing.factories import NewsItemFactory


def test_home_lists_every_registered_service(client, municipality):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for entry in registry.catalogue.values():
        assert reverse(entry.url_name) in html


def test_home_shows_a_service_registered_by_any_app(client, municipality, monkeypatch):
    entry = CatalogueEntry(
        key="test-entry",
        topic="city",
        name="A brand-new service",
        summary="Registered by a test app.",
        audience="Everyone",
        url_name="portal:terms",
    )
    monkeypatch.setitem(registry.catalogue, entry.key, entry)
    cache.clear()
    html = client.get("/").content.decode()
    assert "A brand-new service" in html


def test_home_shows_the_emergency_banner(client, municipality):
    municipality.emergency_message_el = "Κλειστά τα σχολεία αύριο"
    municipality.save()
    assert "Κλειστά τα σχολεία αύριο" in client.get("/").content.decode()


def test_municipality_cache_is_cleared_on_save(municipality):
    assert current_municipality().name_el == municipality.name_el
    municipality.name_el = "Δήμος Δοκιμής"
    municipality.save()
    assert current_municipality().name_el == "Δήμος Δοκιμής"


def test_greek_is_the_default_language(client, municipality):
    response = client.get("/")
    assert '<html lang="el"' in response.content.decode()


def test_language_switch_to_english(client, municipality):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="en"' in client.get("/").content.decode()


def test_unpublished_and_future_news_are_hidden(client, db):
    from datetime import timedelta

    from django.utils import timezone

    NewsItemFactory.create(slug="draft", is_published=False)
    NewsItemFactory.create(slug="future", published_at=timezone.now() + timedelta(days=1))
    NewsItemFactory.create(slug="live")
    assert client.get("/news/draft/").status_code == 404
    assert client.get("/news/future/").status_code == 404
    assert client.get("/news/live/").status_code == 200


def test_news_markdown_is_sanitised(client, db):
    NewsItemFactory.create(
        slug="xss",
        body_el=(
            "**bold** <script>alert(1)</script> [x](javascript:alert(1)) "
            "<img src=x onerror=alert(1)>"
        ),
    )
    html = client.get("/news/xss/").content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script>alert" not in html
    assert "javascript:" not in html
    assert "onerror" not in html


def test_news_feed_is_atom(client, db):
    NewsItemFactory.create(slug="feed-item", title_el="Στο feed")
    response = client.get("/news/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Στο feed" in response.content.decode()


def test_search_ignores_accents_and_case(client, municipality):
    NewsItemFactory.create(slug="water", title_el="Διακοπή νερού", body_el="Εργασίες")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/search/", {"q": "ACCOUNT"}).content.decode()
    assert reverse("account_signup") in html
    html = client.get("/search/", {"q": "νερού"}).content.decode()
    assert "/news/water/" in html


def test_search_survives_huge_queries(client, db):
    assert client.get("/search/", {"q": "α" * 100_000}).status_code in (200, 400)


def test_my_account_shows_every_registered_panel(citizen_client):
    html = citizen_client.get("/my/").content.decode()
    for panel in registry.panels.values():
        assert f'id="panel-{panel.key}"' in html


def test_my_account_needs_login(client, db):
    response = client.get("/my/")
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_inbox_lists_only_own_notifications(citizen_client, citizen, other_citizen):
    notifications.notify(kind="accounts.welcome", recipient=citizen)
    notifications.notify(kind="accounts.roles_changed", recipient=other_citizen)
    html = citizen_client.get("/my/notifications/").content.decode()
    assert html.count('<li class="dimos-inbox__item') == 1


def test_inbox_mark_all_read(citizen_client, citizen):
    n = notifications.notify(kind="accounts.welcome", recipient=citizen)
    assert citizen_client.post("/my/notifications/read/").status_code == 302
    n.refresh_from_db()
    assert n.read_at is not None


def test_inbox_mark_read_with_htmx_returns_the_fragment(citizen_client, citizen):
    notifications.notify(kind="accounts.welcome", recipient=citizen)
    response = citizen_client.post("/my/notifications/read/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="inbox-list"' in html and "<html" not in html


def test_staff_home_lists_queues_the_user_may_see(admin_client_, clerk_client):
    admin_html = admin_client_.get("/staff/").content.decode()
    assert reverse("core:deliveries") in admin_html
    assert reverse("accounts:staff_list") in admin_html
    clerk_html = clerk_client.get("/staff/").content.decode()
    assert reverse("core:deliveries") not in clerk_html


def test_accessibility_settings_are_kept_in_a_cookie(client, municipality):
    response = client.post(
        "/accessibility/settings/",
        {"option": ["dimos-large-text", 'evil" onload=x'], "next": "/news/"},
    )
    assert response.status_code == 302 and response.url == "/news/"
    html = client.get("/").content.decode()
    assert 'class="dimos-large-text"' in html
    assert "evil" not in html


def test_accessibility_settings_refuse_offsite_redirects(client, db):
    response = client.post("/accessibility/settings/", {"next": "https://evil.example/"})
    assert response.url == "/"


def test_friendly_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "govgr-heading-xl" in response.content.decode()


def test_home_page_query_count_is_small(client, municipality):
    NewsItemFactory.create_batch(5)
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/")
    assert len(ctx.captured_queries) <= 3


def test_news_list_query_count_does_not_grow_with_items(client, db):
    NewsItemFactory.create_batch(3)
    client.get("/news/")  # warm the municipality cache
    with CaptureQueriesContext(connection) as few:
        client.get("/news/")
    NewsItemFactory.create_batch(7)
    with CaptureQueriesContext(connection) as many:
        client.get("/news/")
    assert len(many.captured_queries) == len(few.captured_queries)
    assert NewsItem.objects.count() == 10


def test_fold_strips_greek_accents():
    from dimos.core.text import fold

    assert fold("Βεβαίωση ΜΌΝΙΜΗΣ κατοικίας") == fold("βεβαιωση μονιμης κατοικιας")


def test_admin_edits_are_audit_logged(admin_client_, admin_user, municipality):
    from dimos.core.models import AuditEntry

    response = admin_client_.post(
        "/admin/portal/newsitem/add/",
        {
            "kind": "news",
            "slug": "from-admin",
            "is_published": "on",
            "published_at_0": "2026-01-01",
            "published_at_1": "10:00:00",
            "title_el": "Από τον διαχειριστή",
            "body_el": "Κείμενο",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="admin.added", target_type="portal.newsitem")
    assert entry.actor == admin_user
    assert "title_el" in entry.details["fields"]


def test_language_link_sets_the_cookie_and_returns(client, municipality):
    response = client.get("/language/en/", {"next": "/news/"})
    assert response.status_code == 302 and response.url == "/news/"
    assert response.cookies["dimos_language"].value == "en"
    assert client.get("/language/xx/").status_code == 404
    assert client.get("/language/en/", {"next": "https://evil.example/"}).url == "/"


def test_anonymous_pages_carry_no_csrf_token(client, municipality):
    # Nothing on a public page posts for an anonymous visitor, so no token is rendered.
    html = client.get("/").content.decode()
    assert "csrfmiddlewaretoken" not in html


def test_accessibility_settings_page_shows_the_current_choice(client, db):
    client.cookies["dimos_a11y"] = "dimos-high-contrast"
    html = client.get("/accessibility/settings/", {"next": "/news/"}).content.decode()
    assert 'value="dimos-high-contrast" checked' in html
    assert 'name="next" value="/news/"' in html


def test_a_body_no_parser_can_read_answers_the_sites_400_page(municipality):
    # A multipart upload cut short or without its boundary: the person gets the site's page
    # in their language, with the way home, never Django's bare "Bad Request".
    from django.test import Client

    client = Client(raise_request_exception=False)
    response = client.generic(
        "POST", "/accessibility/settings/", b"--x\r\nbroken", content_type="multipart/form-data"
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Αυτό που στάλθηκε δεν ήταν δυνατό να διαβαστεί" in page
    assert reverse("portal:home") in page
