"""The browser kit catches what a person would notice: hidden controls, unreadable labels,
broken images; and it leaves screenshots where the run says."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Page

from dimos.testing import browser as kit
from dimos.testing.data import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORM = """<!DOCTYPE html><html lang="en"><body><form>
  <label for="shown">Shown</label><input id="shown">
  <label for="hidden">Hidden</label><input id="hidden" hidden>
  <label for="no-label-shown" hidden>Invisible label</label><input id="no-label-shown">
  <input id="unlabelled">
  <label for="file">Your document</label><input id="file" type="file">
  <label for="hidden-file" class="btn">Choose a file</label>
  <input id="hidden-file" type="file" style="display:none">
  <button type="button" id="gone" style="display:none">Send</button>
</form></body></html>"""


@pytest.fixture
def form(page: Page) -> Page:
    page.set_content(FORM)
    return page


def test_fill_visible_types_into_a_visible_labelled_field(form: Page) -> None:
    kit.fill_visible(form.locator("#shown"), "yes")
    assert form.locator("#shown").input_value() == "yes"


def test_fill_visible_refuses_a_hidden_field(form: Page) -> None:
    with pytest.raises(AssertionError):
        kit.fill_visible(form.locator("#hidden"), "no")


def test_fill_visible_refuses_a_field_whose_label_is_hidden(form: Page) -> None:
    with pytest.raises(AssertionError, match="not visible"):
        kit.fill_visible(form.locator("#no-label-shown"), "no")


def test_fill_visible_refuses_a_field_without_a_label(form: Page) -> None:
    with pytest.raises(AssertionError, match="has no label"):
        kit.fill_visible(form.locator("#unlabelled"), "no")


def test_click_visible_refuses_a_hidden_button(form: Page) -> None:
    with pytest.raises(AssertionError):
        kit.click_visible(form.locator("#gone"))


def test_upload_visible_goes_through_the_file_chooser(form: Page) -> None:
    kit.upload_visible(
        form,
        form.get_by_label("Your document"),
        {"name": "a.txt", "mimeType": "text/plain", "buffer": b"hello"},
    )
    assert form.locator("#file").evaluate("el => el.files[0].name") == "a.txt"


def test_upload_visible_refuses_a_hidden_file_input(form: Page) -> None:
    with pytest.raises(AssertionError):
        kit.upload_visible(
            form,
            form.locator("#hidden-file"),
            {"name": "a.txt", "mimeType": "text/plain", "buffer": b"x"},
        )


def test_a_broken_image_of_the_site_is_caught(page: Page, live_server: Any) -> None:
    seed()
    page.goto(live_server.url + "/")
    kit.assert_no_broken_images(page)
    with page.expect_response(lambda r: r.url.endswith("/static/img/missing.png")):
        page.evaluate(
            """() => { const img = document.createElement("img");
                       img.src = "/static/img/missing.png"; img.alt = "";
                       document.body.appendChild(img); }"""
        )
    with pytest.raises(AssertionError, match=r"404 .*/static/img/missing\.png"):
        kit.assert_no_broken_images(page)
    kit.image_watch(page).broken.clear()  # caught: the test itself passes


def test_images_from_elsewhere_are_not_the_sites_broken_images(
    page: Page, live_server: Any
) -> None:
    seed()
    page.goto(live_server.url + "/")
    # Map tiles come from the tile server (answered by the test kit here).
    with page.expect_response(lambda r: "tile.openstreetmap.org" in r.url):
        page.evaluate(
            """() => { const img = document.createElement("img");
                       img.src = "https://tile.openstreetmap.org/1/0/0.png"; img.alt = "";
                       document.body.appendChild(img); }"""
        )
    kit.assert_no_broken_images(page)


def test_screenshot_saves_the_page_at_phone_and_desktop_size(page: Page, live_server: Any) -> None:
    seed()
    page.goto(live_server.url + "/")
    before = page.viewport_size
    paths = kit.screenshot(page, "Test kit", "Home page")
    assert [p.name for p in paths] == ["home-page-phone.png", "home-page-desktop.png"]
    assert all(p.parent == kit.SCREENSHOTS / "test-kit" for p in paths)
    widths = [Image.open(io.BytesIO(p.read_bytes())).width for p in paths]
    assert widths == [kit.PHONE["width"], kit.DESKTOP["width"]]
    assert page.viewport_size == before
    assert set(paths) <= set(kit.saved_screenshots)
