"""The logo is checked by content and re-encoded; uploaded files are never served as pages
(issue 9, item 14)."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from PIL import Image, PngImagePlugin

from dimos.core import views
from dimos.core.admin import MunicipalityForm
from dimos.core.models import Municipality
from dimos.testing.hostile_images import png_declaring

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _form(municipality, name, content, content_type="image/png"):
    data = model_to_dict(municipality, exclude=["id", "logo"])
    data["boundary"] = json.dumps(data["boundary"])
    files = {"logo": SimpleUploadedFile(name, content, content_type=content_type)}
    return MunicipalityForm(data, files, instance=municipality)


def _png_with_metadata(size=(1600, 800)) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Secret Designer")
    out = io.BytesIO()
    Image.new("RGBA", size, (10, 80, 160, 200)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def test_the_admin_uses_the_checking_form():
    assert isinstance(admin.site._registry[Municipality].form(), MunicipalityForm)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("logo.html", HTML, "text/html"),
        ("logo.png", HTML, "image/png"),
        ("logo.svg", SVG, "image/svg+xml"),
    ],
)
def test_a_logo_that_is_not_a_png_jpeg_or_webp_is_refused(
    municipality, name, content, content_type
):
    form = _form(municipality, name, content, content_type)
    assert not form.is_valid()
    assert "logo" in form.errors
    municipality.refresh_from_db()
    assert not municipality.logo


def test_a_huge_canvas_is_refused_as_too_large(municipality):
    form = _form(municipality, "logo.png", png_declaring(7700, 7700))
    assert not form.is_valid()
    assert "logo" in form.errors


def test_a_logo_is_stored_re_encoded_smaller_and_without_metadata(municipality):
    original = _png_with_metadata()
    assert b"Secret Designer" in original
    form = _form(municipality, "my logo.webp", original, "image/webp")
    assert form.is_valid(), form.errors
    form.save()
    municipality.refresh_from_db()
    assert municipality.logo.name.endswith(".png")
    with municipality.logo.open("rb") as handle:
        stored = handle.read()
    assert b"Secret Designer" not in stored
    image = Image.open(io.BytesIO(stored))
    assert image.format == "PNG" and image.size == (1024, 512) and image.mode == "RGBA"


def test_the_logo_is_served_as_an_image_in_a_sandbox(client, municipality):
    municipality.logo.save("logo.png", ContentFile(_png_with_metadata((20, 10))))
    response = client.get("/municipality/logo/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_page_stored_as_logo_before_the_checks_is_not_served(client, municipality):
    municipality.logo.save("logo.html", ContentFile(HTML))
    Municipality.objects.filter(pk=municipality.pk).update(logo=municipality.logo.name)
    from django.core.cache import cache

    cache.clear()  # the profile is cached
    response = client.get("/municipality/logo/")
    assert response.status_code == 404
    assert b"<script>" not in response.content


def test_media_in_development_never_renders_a_page(rf, tmp_path):
    (tmp_path / "page.html").write_bytes(HTML)
    (tmp_path / "photo.png").write_bytes(_png_with_metadata((4, 4)))
    page = views.media(rf.get("/media/page.html"), "page.html")
    assert page["Content-Type"] == "application/octet-stream"
    assert page["Content-Disposition"] == "attachment"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in page["Content-Security-Policy"]
    photo = views.media(rf.get("/media/photo.png"), "photo.png")
    assert photo["Content-Type"] == "image/png"
    assert not photo.get("Content-Disposition", "").startswith("attachment")
