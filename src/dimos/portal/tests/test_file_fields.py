"""File fields render as a visible control under their label (ADR 0011): digigov's
govgr-file-input class is display:none, which hid every upload but report photos."""

from __future__ import annotations

import re

from django import forms
from django.test import Client

from dimos.testing.data import seed


class _Upload(forms.Form):
    document = forms.FileField(label="Your document")
    photos = forms.FileField(label="Photos", required=False, widget=forms.ClearableFileInput())


def test_file_fields_render_visible_under_their_label() -> None:
    html = str(_Upload()["document"].as_field_group())
    assert '<label class="govgr-label" for="id_document">Your document' in html
    assert re.search(r'<input type="file" name="document" class="dimos-file-input"', html)
    assert "govgr-file-input" not in str(_Upload().as_div())


def test_the_verify_pages_file_check_is_a_visible_control(db: None) -> None:
    seed()
    html = Client().get("/verify/").content.decode()
    inputs = re.findall(r"<input[^>]*type=\"file\"[^>]*>", html)
    assert inputs and all("dimos-file-input" in tag for tag in inputs), inputs
