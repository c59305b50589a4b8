"""Browser helpers that act as a person would, and check what a person would notice.

A person sees a control before using it, reads its label, clicks the button that opens the
file chooser, and notices a broken picture. These helpers assert exactly that, so a test that
passes here cannot pass over a hidden input, an unlabelled field or a missing image:

- ``fill_visible``, ``click_visible``, ``check_visible``, ``select_visible``: the control (and,
  for a form field, its label) is visible before it is used;
- ``upload_visible``: a file goes through the visible control and the browser's file chooser,
  never ``set_input_files`` on a hidden input;
- ``watch_images``: every image the site serves to the page answers 200 (checked by
  ``assert_no_violations``, ``look`` and at the end of every test that used the fixtures);
- ``screenshot`` / ``look``: full-page screenshots at phone and desktop size under
  ``test-artifacts/screenshots/<journey>/<step>-<size>.png``, listed at the end of the run;
- ``assert_no_violations``: axe-core's WCAG 2.1 A/AA rules.
"""

from __future__ import annotations

import os
import re
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from playwright.sync_api import (
    BrowserContext,
    Locator,
    Page,
    Request,
    Response,
    ViewportSize,
    expect,
)

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1366, "height": 900}
SIZES = {"phone": PHONE, "desktop": DESKTOP}
# The factories' password (dimos.testing.factories.UserFactory).
FACTORY_PASSWORD = "correct-horse-battery-9"

# Where screenshots go: DIMOS_TEST_ARTIFACTS, or test-artifacts/ in the folder pytest runs in.
ARTIFACTS = Path(os.environ.get("DIMOS_TEST_ARTIFACTS", "test-artifacts")).resolve()
SCREENSHOTS = ARTIFACTS / "screenshots"
# Screenshots saved by this test run (the pytest plugin prints the folder when there are any).
saved_screenshots: list[Path] = []


# --- Language and session ---------------------------------------------------------------------


def _url(site: Any) -> str:
    """The address of a site: pytest-django's ``live_server`` or a URL."""
    return str(getattr(site, "url", site))


def use_language(context: BrowserContext, site: Any, code: str) -> None:
    """Choose the language as the language button would: with Django's language cookie."""
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": code, "url": _url(site)}])


def log_in_as(context: BrowserContext, site: Any, user: Any) -> None:
    """Give the browser a session of ``user`` (a staff user's TOTP is enrolled, not asked)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": _url(site)}]
    )


# --- Acting on visible controls ---------------------------------------------------------------


def _assert_label_visible(field: Locator) -> None:
    """A form field has a label a person can read: <label for>, a wrapping <label>, or the
    element that aria-labelledby names."""
    described = field.evaluate(
        """el => {
            const seen = node => !!node && node.getClientRects().length > 0
                && getComputedStyle(node).visibility !== "hidden";
            const labels = Array.from(el.labels || []);
            const by = (el.getAttribute("aria-labelledby") || "").split(/\\s+/)
                .filter(Boolean).map(id => document.getElementById(id));
            const all = labels.concat(by).filter(Boolean);
            return {count: all.length, visible: all.some(seen),
                    text: all.map(node => node.textContent.trim()).join(" | ")};
        }"""
    )
    assert described["count"], f"{field} has no label"
    assert described["visible"], f"the label of {field} ({described['text']!r}) is not visible"


def fill_visible(field: Locator, value: str) -> None:
    """Type into a field a person can see, whose label they can read."""
    expect(field).to_be_visible()
    expect(field).to_be_editable()
    _assert_label_visible(field)
    field.fill(value)


def select_visible(field: Locator, **option: Any) -> None:
    """Choose an option of a visible, labelled <select> (``value=`` or ``label=``)."""
    expect(field).to_be_visible()
    _assert_label_visible(field)
    field.select_option(**option)


def check_visible(box: Locator) -> None:
    """Tick a visible, labelled checkbox or radio button."""
    expect(box).to_be_visible()
    _assert_label_visible(box)
    box.check()


def click_visible(control: Locator) -> None:
    """Click a button or link a person can see and use."""
    expect(control).to_be_visible()
    expect(control).to_be_enabled()
    control.click()


def upload_visible(page: Page, control: Locator, files: Any) -> None:
    """Attach files as a person does: click the visible control, answer the file chooser.

    ``control`` is what a person clicks (the file field found by its label, or the button that
    opens the chooser); ``files`` is what Playwright's ``FileChooser.set_files`` takes.
    """
    expect(control).to_be_visible()
    expect(control).to_be_enabled()
    if control.evaluate("el => el.matches('input')"):
        _assert_label_visible(control)
    with page.expect_file_chooser() as chooser:
        control.click()
    chooser.value.set_files(files)


# --- Images -----------------------------------------------------------------------------------


class ImageWatch:
    """Every image that a page of the site asks the site for, answered other than 200.

    Images from elsewhere (map tiles) are the tile server's business and are not counted; a
    request the browser itself cancelled by leaving the page (net::ERR_ABORTED) is not broken.
    """

    def __init__(self, origin: str) -> None:
        self.origin = origin.rstrip("/") + "/"
        self.broken: list[str] = []

    def attach(self, context: BrowserContext) -> None:
        context.on("response", self._response)
        context.on("requestfailed", self._failed)

    def _ours(self, request: Request) -> bool:
        return request.resource_type == "image" and request.url.startswith(self.origin)

    @staticmethod
    def _where(request: Request) -> str:
        try:
            return request.frame.url
        except Exception:  # a request of a worker has no frame
            return "?"

    def _response(self, response: Response) -> None:
        # 304: the browser revalidated a copy it had already received with 200.
        if self._ours(response.request) and response.status not in (200, 304):
            where = self._where(response.request)
            self.broken.append(f"{response.status} {response.url} (on {where})")

    def _failed(self, request: Request) -> None:
        failure = request.failure or ""
        if self._ours(request) and "ERR_ABORTED" not in failure:
            self.broken.append(f"{failure} {request.url} (on {self._where(request)})")

    def report(self) -> str:
        return "broken images:\n  " + "\n  ".join(self.broken) if self.broken else ""


_watches: dict[int, ImageWatch] = {}


def watch_images(context: BrowserContext, origin: str) -> ImageWatch:
    """Record every broken image of the site in this browser context."""
    watch = ImageWatch(origin)
    watch.attach(context)
    _watches[id(context)] = watch

    def forget(_: BrowserContext) -> None:
        _watches.pop(id(context), None)

    context.on("close", forget)
    return watch


def image_watch(page: Page) -> ImageWatch:
    """The broken-image record of the page's browser context (opened by ``new_context``)."""
    watch = _watches.get(id(page.context))
    assert watch is not None, "the page's context does not watch its images (use new_context)"
    return watch


def assert_no_broken_images(page: Page) -> None:
    """No image of the site failed to load in this page's browser context so far."""
    report = image_watch(page).report()
    assert not report, report


# --- Accessibility ----------------------------------------------------------------------------

_axe: Any = None


def axe_report(page: Page) -> str:
    """axe-core's WCAG 2.1 A/AA violations on the page, one line per element; "" if none."""
    global _axe
    if _axe is None:
        from axe_playwright_python.sync_playwright import Axe

        _axe = Axe()
    results = _axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    lines = []
    for violation in results.response["violations"]:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            lines.append("      " + node["failureSummary"].replace("\n", " "))
    return f"{page.url}\n" + "\n".join(lines) if lines else ""


def assert_no_violations(page: Page) -> None:
    """axe-core finds nothing, and no image of the site is broken."""
    report = axe_report(page)
    assert not report, report
    if id(page.context) in _watches:
        assert_no_broken_images(page)


def assert_pages_accessible(page: Page, site: Any, paths: Sequence[str], language: str) -> None:
    """Scan every path and fail with all the violations found, not only the first page's."""
    reports = []
    for path in paths:
        page.goto(_url(site) + path)
        # Each page is scanned as itself (not a redirect to the login page), in the language.
        expect(page).to_have_url(_url(site) + path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        reports.append(axe_report(page))
    failures = [report for report in reports if report]
    assert not failures, "\n\n".join(failures)
    if id(page.context) in _watches:
        assert_no_broken_images(page)


def assert_fits_the_screen(page: Page) -> None:
    """Nothing makes the page scroll sideways (WCAG 1.4.10, reflow)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


# --- Screenshots ------------------------------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "page"


# Contexts opened with JavaScript off (``no_js_page``): their pages run no script at all, not
# even the callbacks a tester's own script would wait for, so nothing here waits on one.
_without_javascript: weakref.WeakSet[BrowserContext] = weakref.WeakSet()


def mark_without_javascript(context: BrowserContext) -> None:
    """Say that ``context`` was opened with ``java_script_enabled=False``."""
    _without_javascript.add(context)


def runs_javascript(page: Page) -> bool:
    return page.context not in _without_javascript


def screenshot(page: Page, journey: str, step: str) -> list[Path]:
    """Full-page screenshots of the page at phone and desktop size, for a person to look at.

    Saved as ``test-artifacts/screenshots/<journey>/<step>-<size>.png``; the viewport is put
    back as it was.
    """
    original = page.viewport_size
    folder = SCREENSHOTS / _slug(journey)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for size_name, size in SIZES.items():
        page.set_viewport_size(size)
        if runs_javascript(page):
            # Let scripts that watch the size (maps) lay out again before the picture.
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => r(null)))")
        path = folder / f"{_slug(step)}-{size_name}.png"
        page.screenshot(path=str(path), full_page=True)
        paths.append(path)
    if original:
        page.set_viewport_size(original)
    saved_screenshots.extend(paths)
    return paths


def look(page: Page, journey: str, step: str) -> None:
    """What a careful tester does on each page: screenshots, axe-core, no broken image, and
    nothing wider than a phone's screen. With JavaScript off, axe-core (a script) cannot run:
    the same pages are scanned in the walks with it on."""
    screenshot(page, journey, step)
    if runs_javascript(page):
        assert_no_violations(page)
    elif id(page.context) in _watches:
        assert_no_broken_images(page)
    original = page.viewport_size
    page.set_viewport_size(PHONE)
    assert_fits_the_screen(page)
    if original:
        page.set_viewport_size(original)


# --- Page parts -------------------------------------------------------------------------------


def header_button(page: Page, name: str) -> Locator:
    return page.get_by_role("banner").get_by_role("button", name=name)


def header_link(page: Page, name: str) -> Locator:
    return page.get_by_role("banner").get_by_role("link", name=name)
