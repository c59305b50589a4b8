"""Every URL pattern answers without a server error, for every persona."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from dimos.portal.demo import seed_news

SAMPLE = {
    "int": "1",
    "slug": "online-services-launch",
    "str": "x",
    "path": "x/y",
    "uuid": "00000000-0000-0000-0000-000000000000",
}
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _routes(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            if isinstance(p.pattern, RoutePattern):
                yield from _routes(p.url_patterns, prefix + str(p.pattern))
            elif str(p.pattern) == "^admin/":
                yield prefix + "admin/"
            else:
                # Regex resolvers (Django's admin internals): covered by the admin index.
                continue
        elif isinstance(p, URLPattern) and isinstance(p.pattern, RoutePattern):
            yield prefix + str(p.pattern)


def all_urls():
    urls = set()
    for route in _routes(get_resolver().url_patterns):
        url = "/" + CONVERTER.sub(lambda m: SAMPLE.get(m.group(1) or "str", "x"), route)
        urls.add(url)
    return sorted(urls)


URLS = all_urls()


def test_the_smoke_test_sees_the_apps():
    assert "/" in URLS
    assert "/staff/" in URLS
    assert "/api/v1/news" in URLS
    assert any(u.startswith("/accounts/") for u in URLS)
    assert len(URLS) > 40


@pytest.fixture
def seeded(municipality):
    seed_news()


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "admin"])
def test_no_url_gives_a_server_error(persona, seeded, citizen, admin_user):
    client = Client(raise_request_exception=False)
    if persona == "citizen":
        client.force_login(citizen)
    elif persona == "admin":
        client.force_login(admin_user)
    failures = []
    for url in URLS:
        for method in ("get", "post"):
            if "logout" in url and method == "post":
                continue
            response = getattr(client, method)(url)
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {url} → {response.status_code}")
    assert failures == []
