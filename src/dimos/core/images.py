"""Opening images that people upload, in bounded memory.

A small file can declare a huge canvas (a PNG of 230 KB declaring 7700×7700 pixels took about
1 GB to decode and convert). So an upload is opened lazily — Pillow reads only the header —,
refused when it declares more than ``DIMOS_IMAGE_MAX_PIXELS`` pixels, and otherwise decoded
straight to the size that is kept: JPEG at a reduced scale (libjpeg's DCT scaling through
``draft``), other formats decoded once and reduced in place before any copy is made. Pillow's
own ``Image.MAX_IMAGE_PIXELS`` is set to the same limit, so any other code that opens an image
refuses the same bombs.

Only the decoders named by the caller are tried, whatever the file's name or content type.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

Image.MAX_IMAGE_PIXELS = settings.DIMOS_IMAGE_MAX_PIXELS

# What a broken or hostile file makes Pillow raise while reading it.
_UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)


class ImageRefused(ValueError):
    """An image that cannot be accepted; the message is shown to the person."""

    message: Any = _("This image cannot be accepted.")

    def __init__(self, message: Any = None) -> None:
        self.message = message or self.message
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)


class NotAnImage(ImageRefused):
    message = _("This file is not an image of an accepted kind.")


class ImageTooLarge(ImageRefused):
    message = _("This image is too large: it has too many pixels. Send a smaller one.")


def max_pixels() -> int:
    return int(settings.DIMOS_IMAGE_MAX_PIXELS)


@contextmanager
def _bombs_refused() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageTooLarge() from exc


def check_header(file: IO[bytes], *, formats: tuple[str, ...]) -> tuple[str, int, int]:
    """(format, width, height) from the header alone, after checking the whole file's structure.

    Raises :class:`ImageTooLarge` for more than ``DIMOS_IMAGE_MAX_PIXELS`` pixels and
    :class:`NotAnImage` for anything the named decoders do not read.
    """
    try:
        with _bombs_refused():
            file.seek(0)
            with Image.open(file, formats=formats) as probe:
                found = (str(probe.format), probe.width, probe.height)
                if probe.width * probe.height > max_pixels():
                    raise ImageTooLarge()
                # Checks chunks and checksums without decoding the pixels.
                probe.verify()
    except ImageRefused:
        raise
    except _UNREADABLE as exc:
        raise NotAnImage() from exc
    return found


def load_reduced(file: IO[bytes], *, formats: tuple[str, ...], max_side: int) -> Image.Image:
    """The image decoded to at most ``max_side`` on its longer side, in bounded memory.

    The header is checked first (:func:`check_header`). The image still carries the file's
    metadata (``getexif()``) for the caller to read; write it out with :func:`clean_copy`.
    """
    check_header(file, formats=formats)
    try:
        with _bombs_refused():
            file.seek(0)
            image = Image.open(file, formats=formats)
            # JPEG decodes at 1/2, 1/4 or 1/8 scale, as small as still covers max_side (DCT
            # scaling); the other formats decode once and are reduced in place, no copy made.
            image.draft(None, (max_side, max_side))
            image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            image.getexif()  # read now, while the file is at hand
    except ImageRefused:
        raise
    except _UNREADABLE as exc:
        raise NotAnImage() from exc
    return image


def upright_rgb(image: Image.Image) -> Image.Image:
    """The camera's rotation applied, transparency on white, as RGB."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P", "PA"):
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, "white")
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")


def clean_copy(image: Image.Image, fmt: str, **options: Any) -> bytes:
    """Encode a new image made from the pixels alone: no EXIF, XMP, ICC profile or comment."""
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, fmt, **options)
    return out.getvalue()


# --- Files people upload, served back -----------------------------------------------------

LOGO_FORMATS = ("PNG", "JPEG", "WEBP")
LOGO_SIDE = 1024
CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
# Sent with every uploaded file served back: never run as a page, never sniffed as another type.
SANDBOX_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def sanitised_logo(file: IO[bytes]) -> bytes:
    """A logo checked by content (PNG, JPEG or WebP; no SVG, which can carry scripts), at most
    LOGO_SIDE pixels on its longer side, re-encoded as PNG from the pixels alone."""
    image = load_reduced(file, formats=LOGO_FORMATS, max_side=LOGO_SIDE)
    with image:
        upright = ImageOps.exif_transpose(image)
        mode = "RGBA" if "A" in upright.getbands() or "transparency" in upright.info else "RGB"
        pixels = upright.convert(mode)
    return clean_copy(pixels, "PNG", optimize=True)


def served_type(file: IO[bytes]) -> str | None:
    """The content type of a stored image by its content, or None when it is not one of the
    accepted image formats (a file stored before uploads were checked)."""
    try:
        fmt, _width, _height = check_header(file, formats=LOGO_FORMATS)
    except ImageRefused:
        return None
    return CONTENT_TYPES.get(fmt)
