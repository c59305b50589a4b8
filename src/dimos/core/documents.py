"""Documents people upload (a PDF, or a photo of a paper), judged by their content.

A file is accepted by its first bytes, never by its name or declared type; a photo is read
through :mod:`dimos.core.images` (size and decompression bombs refused) and re-encoded from its
pixels alone, so no EXIF (where and when a phone's photo was taken) is kept. Apps store what
this answers in private storage (:mod:`dimos.core.storage`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext_lazy as _

from dimos.core.images import ImageRefused, clean_copy, load_reduced, upright_rgb
from dimos.core.workflow import Refused

# What a document may be, by its first bytes.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)
# Photos of documents are kept readable but not larger than this on their longer side.
DOCUMENT_SIDE = 2400


class DocumentRefused(Refused):
    """The file is not a document we accept; the message says why."""


@dataclass(frozen=True)
class CheckedDocument:
    content: bytes
    content_type: str
    extension: str
    name: str


def check_document(
    file: IO[bytes] | Any, *, max_bytes: int, error: type[Refused] = DocumentRefused
) -> CheckedDocument:
    """A PDF, JPEG or PNG of at most ``max_bytes``, judged by its content; a photo re-encoded
    without its metadata. Refuses with ``error`` (the app's own :class:`Refused`)."""
    too_large = _("The file is larger than %(size)s MB.") % {
        "size": round(max_bytes / 1024 / 1024, 1)
    }
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes:
        raise error(too_large)
    content = file.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise error(too_large)
    if not content:
        raise error(_("The file is empty."))
    name = (getattr(file, "name", "") or "document").rsplit("/", 1)[-1][:150]
    for magic, content_type, extension in SIGNATURES:
        if not content.startswith(magic):
            continue
        if content_type == "application/pdf":
            return CheckedDocument(content, content_type, extension, name)
        fmt = "JPEG" if extension == ".jpg" else "PNG"
        try:
            image = load_reduced(io.BytesIO(content), formats=(fmt,), max_side=DOCUMENT_SIDE)
        except ImageRefused as exc:
            raise error(_("The image could not be read.")) from exc
        with image:
            pixels = upright_rgb(image)
        clean = clean_copy(pixels, fmt, **({"quality": 88} if fmt == "JPEG" else {}))
        return CheckedDocument(clean, content_type, extension, name)
    raise error(_("This file type is not accepted. Send a PDF, JPEG or PNG file."))
