"""Images people attach to ideas and app entries: checked by content and re-encoded from the
pixels alone (``dimos.core.images``), so no EXIF — camera, serial number, the GPS position of
the home it was taken from — is ever stored. Used for ideas' images and apps' screenshots."""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from typing import IO, Any

import pillow_heif
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image

from dimos.core import images
from dimos.ideas.conf import conf

pillow_heif.register_heif_opener()

FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
MAX_SIDE = 1600
THUMBNAIL_SIDE = 480
QUALITY = 85


class ImageError(ValueError):
    """An image that cannot be accepted; the message is shown to the person."""

    def __init__(self, message: Any) -> None:
        self.message = message
        super().__init__(str(message))

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class CleanImage:
    image: bytes
    thumbnail: bytes
    width: int
    height: int

    def files(self) -> tuple[ContentFile[bytes], ContentFile[bytes]]:
        """The image and its thumbnail as files with random names (a file's own name can
        carry personal data)."""
        name = secrets.token_hex(12)
        return (
            ContentFile(self.image, name=f"{name}.jpg"),
            ContentFile(self.thumbnail, name=f"{name}-thumb.jpg"),
        )


def _jpeg(image: Image.Image, side: int) -> tuple[bytes, int, int]:
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    return images.clean_copy(copy, "JPEG", quality=QUALITY, optimize=True), copy.width, copy.height


def clean(file: IO[bytes]) -> CleanImage:
    """An uploaded file as a metadata-free JPEG and thumbnail, or :class:`ImageError`."""
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
    limit = conf.IMAGE_MAX_BYTES
    if size > limit:
        raise ImageError(
            _("This image is larger than %(size)s MB. Send a smaller one.")
            % {"size": round(limit / 1024 / 1024, 1)}
        )
    try:
        image = images.load_reduced(file, formats=FORMATS, max_side=MAX_SIDE)
        with image:
            rgb = images.upright_rgb(image)
    except images.ImageTooLarge as exc:
        raise ImageError(
            _("This image is too large: it has too many pixels. Send a smaller one.")
        ) from exc
    except images.ImageRefused as exc:
        raise ImageError(
            _("This file is not an image. Send a JPEG, PNG, HEIC or WebP image.")
        ) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:  # a broken EXIF block
        raise ImageError(
            _("This file is not an image. Send a JPEG, PNG, HEIC or WebP image.")
        ) from exc
    data, width, height = _jpeg(rgb, MAX_SIDE)
    thumbnail, _w, _h = _jpeg(rgb, THUMBNAIL_SIDE)
    return CleanImage(image=data, thumbnail=thumbnail, width=width, height=height)
