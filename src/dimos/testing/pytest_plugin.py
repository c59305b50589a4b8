"""The browser fixtures, loaded by the root conftest (``pytest_plugins``).

``browser`` is Debian's headless Chromium (skipped where it is missing, required in CI);
``new_context(**options)`` opens a browser context on the live server that answers map tiles
itself (there is no internet here), watches every image the site serves and fails the test on a
broken one; ``page`` and ``no_js_page`` are pages of such contexts. At the end of the run the
folder of the screenshots taken (``dimos.testing.browser.screenshot``) is printed.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from dimos.testing import browser as kit

CHROMIUM = os.environ.get("DIMOS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def _blank_tile() -> bytes:
    """A light grey tile, answered for every map tile: maps render without the internet."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (256, 256), (232, 232, 232)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI but was not found at {CHROMIUM}")
        pytest.skip(f"Browser tests need Debian's chromium ({CHROMIUM} not found)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


def _tile_pattern() -> str:
    from django.conf import settings

    tiles = urlparse(settings.DIMOS_TILE_URL.replace("{s}", "*"))
    return f"{tiles.scheme}://{tiles.netloc}/**"


@pytest.fixture
def new_context(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """Open browser contexts on the live server; fail the test if one showed a broken image."""
    opened: list[tuple[Any, kit.ImageWatch]] = []
    tile = _blank_tile()

    def open_context(*, site: str | None = None, **options: Any) -> Any:
        """A browser context with Playwright's ``options``, watching images of ``site`` (the
        live server unless told)."""
        options = {"viewport": kit.DESKTOP, "locale": "el-GR", **options}
        context = browser.new_context(**options)
        if options.get("java_script_enabled") is False:
            kit.mark_without_javascript(context)
        context.set_default_timeout(15_000)
        context.route(
            _tile_pattern(),
            lambda route: route.fulfill(status=200, content_type="image/png", body=tile),
        )
        opened.append((context, kit.watch_images(context, site or live_server.url)))
        return context

    yield open_context
    reports = [watch.report() for _, watch in opened if watch.report()]
    for context, _ in opened:
        context.close()
    if reports:
        pytest.fail("\n".join(reports), pytrace=False)


@pytest.fixture
def page(new_context: Callable[..., Any]) -> Any:
    return new_context().new_page()


@pytest.fixture
def no_js_page(new_context: Callable[..., Any]) -> Any:
    return new_context(java_script_enabled=False).new_page()


# --- Static files as production serves them --------------------------------------------------

MANIFEST_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


@pytest.fixture(scope="session")
def manifest_static_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``collectstatic`` with hashed names (``vendor/leaflet/images/marker-icon.<hash>.png``),
    as a production deploy runs it."""
    from django.conf import settings
    from django.core.management import call_command
    from django.test import override_settings

    root = tmp_path_factory.mktemp("static")
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}
    with override_settings(STORAGES=storages, STATIC_ROOT=root):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def production_static_site(manifest_static_root: Path, transactional_db: Any) -> Iterator[str]:
    """A live server whose pages link hashed static names and whose static files WhiteNoise
    serves from STATIC_ROOT, as in production (pytest-django's ``live_server`` serves the
    unhashed files straight from the apps, which hides a wrong guess at a static name)."""
    from django.conf import settings
    from django.db import connections
    from django.test import override_settings
    from django.test.testcases import LiveServerThread

    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}
    with override_settings(STORAGES=storages, STATIC_ROOT=manifest_static_root):
        shared = {
            conn.alias: conn
            for conn in connections.all()
            if conn.vendor == "sqlite" and conn.is_in_memory_db()  # type: ignore[attr-defined]
        }
        for conn in shared.values():
            conn.inc_thread_sharing()
        # No static handler in front of the app: WhiteNoise's middleware answers /static/.
        thread = LiveServerThread(
            "localhost",
            lambda app: app,  # type: ignore[arg-type]
            connections_override=shared,
        )
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        try:
            yield f"http://localhost:{thread.port}"
        finally:
            thread.terminate()
            for conn in shared.values():
                conn.dec_thread_sharing()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if kit.saved_screenshots:
        terminalreporter.write_sep("-", "screenshots")
        terminalreporter.write_line(
            f"{len(kit.saved_screenshots)} screenshots of the journeys (phone and desktop) in "
            f"{kit.SCREENSHOTS}"
        )
