"""'Is this page useful?' on every public page, without JavaScript and without breaking the
anonymous page cache."""

from __future__ import annotations

from django.core.cache import cache
from django.test import Client

from dimos.feedback.models import PageFeedback


def test_every_public_page_asks_and_stays_cacheable(municipality):
    cache.clear()
    client = Client()
    first = client.get("/services/")
    html = first.content.decode()
    assert 'action="/feedback/page/"' in html
    assert 'name="path" value="/services/"' in html
    assert "csrfmiddlewaretoken" not in html
    assert not first.cookies  # no CSRF cookie: the page is kept
    again = client.get("/performance/")
    assert again.status_code == 200
    assert client.get("/performance/")["X-Dimos-Cache"] == "hit"


def test_staff_pages_do_not_ask(officer_client):
    html = officer_client.get("/staff/feedback/").content.decode()
    assert "/feedback/page/" not in html


def test_no_then_what_went_wrong_with_csrf(municipality):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/feedback/page/", {"path": "/services/", "useful": "no"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "csrfmiddlewaretoken" in html
    assert "Τι πήγε στραβά" in html
    # Without the token the POST is refused.
    assert client.post("/feedback/page/", {"path": "/services/", "useful": "no"}).status_code == 403
    token = client.cookies["csrftoken"].value
    done = client.post(
        "/feedback/page/",
        {
            "path": "/services/",
            "useful": "no",
            "what_wrong": "Δεν βρήκα το πιστοποιητικό",
            "email": "me@example.org",
            "csrfmiddlewaretoken": token,
        },
    )
    assert done.status_code == 302 and done["Location"] == "/services/"
    item = PageFeedback.objects.get()
    assert (item.useful, item.what_wrong, item.email) == (
        False,
        "Δεν βρήκα το πιστοποιητικό",
        "me@example.org",
    )


def test_bad_input_is_refused_without_error(municipality):
    client = Client()
    assert client.post("/feedback/page/", {"path": "/x/"}).status_code == 400
    assert client.post(
        "/feedback/page/", {"path": "//evil.example", "useful": "yes"}
    ).status_code in (
        302,
        400,
    )
    assert client.get("/feedback/page/", {"path": "https://evil.example/"}).status_code == 200
    assert not PageFeedback.objects.exclude(path__startswith="/").exists()
    assert not PageFeedback.objects.filter(path__startswith="//").exists()


def test_answers_are_rate_limited(municipality, settings):
    from dimos.feedback.conf import conf

    cache.clear()
    client = Client()
    statuses = [
        client.post("/feedback/page/", {"path": "/", "useful": "yes"}).status_code
        for _ in range(int(conf.PAGE_RATE.split("/")[0]) + 2)
    ]
    assert statuses[0] == 302
    assert statuses[-1] == 429
    cache.clear()
