"""The benchmarks' floor page exists only when DIMOS_BENCH_FLOOR is on."""

import importlib

import pytest
from django.test import override_settings
from django.urls import Resolver404, clear_url_caches, resolve

from dimos.core import urls as core_urls
from dimos.core import views


def _reload_core_urls() -> None:
    # The setting is read when the URL module is imported.
    importlib.reload(core_urls)
    clear_url_caches()


@pytest.fixture(autouse=True)
def _restore_core_urls():
    yield
    _reload_core_urls()  # back to the URLs of the test settings


@override_settings(DIMOS_BENCH_FLOOR=False)
def test_floor_is_not_mounted_when_the_setting_is_off():
    _reload_core_urls()
    with pytest.raises(Resolver404):
        resolve("/_bench/floor", urlconf=core_urls)


@override_settings(DIMOS_BENCH_FLOOR=True)
def test_floor_is_mounted_when_the_setting_is_on():
    _reload_core_urls()
    assert resolve("/_bench/floor", urlconf=core_urls).func is views.floor


@override_settings(DIMOS_BENCH_FLOOR=True)
def test_floor_answers_a_tiny_page_through_the_middleware(client, db):
    _reload_core_urls()
    with override_settings(ROOT_URLCONF="dimos.core.urls"):
        response = client.get("/_bench/floor")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "Content-Security-Policy" in response.headers  # the whole stack ran
