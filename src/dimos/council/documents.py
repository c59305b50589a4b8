"""The secretariat's uploads: which files a council document may be, and how one is stored.

A document is judged by its content, never its name or the type the browser declares: PDF,
office documents (OOXML and OpenDocument, and the older Word/Excel files) and JPEG/PNG images.
Stored, it gets its SHA-512, size and type (OParl's ``sha512Checksum``, ``size``,
``mimeType``), and a PDF its plain text for the search — taken by poppler's ``pdftotext``
when it is installed, in bounded time and size; a PDF it cannot read keeps an empty text.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from dimos.core.images import ImageRefused, load_reduced
from dimos.core.workflow import Refused
from dimos.council.conf import conf
from dimos.council.models import CouncilFile

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

# The plain-text extract of a PDF: at most this long, and given up after this many seconds.
TEXT_MAX_CHARS = 500_000
TEXT_SECONDS = 15

PDF = "application/pdf"
_OOXML = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"),
}
_ODF = {
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.oasis.opendocument.presentation": ".odp",
}


class DocumentRefused(Refused):
    """A file that cannot be attached; the message says why."""


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed the checks: its bytes, type, extension and original name."""

    content: bytes
    mime_type: str
    extension: str
    name: str
    text: str = ""


def _zip_type(content: bytes) -> tuple[str, str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if declared in _ODF:
                    return declared, _ODF[declared]
            if "[Content_Types].xml" in names:
                for prefix, found in _OOXML.items():
                    if any(name.startswith(prefix) for name in names):
                        return found
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return None
    return None


def _type_of(content: bytes) -> tuple[str, str] | None:
    if content.startswith(b"%PDF-"):
        return PDF, ".pdf"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", ".jpg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", ".png"
    if content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        # The older Word and Excel files (OLE2); which one is told by the name alone.
        return "application/msword", ".doc"
    if content.startswith(b"PK\x03\x04"):
        return _zip_type(content)
    return None


def check_upload(file: UploadedFile) -> CheckedUpload:
    """Refuse a file too large, empty, of a type not accepted, or an image that cannot be read."""
    limit = conf.UPLOAD_MAX_BYTES
    too_large = _("The file is larger than %(size)s MB.") % {"size": round(limit / 1024 / 1024, 1)}
    if file.size is not None and file.size > limit:
        raise DocumentRefused(too_large, code="too_large")
    content = file.read(limit + 1)
    if len(content) > limit:
        raise DocumentRefused(too_large, code="too_large")
    if not content:
        raise DocumentRefused(_("The file is empty."), code="empty")
    name = (file.name or "document").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:150]
    found = _type_of(content)
    if found is None:
        raise DocumentRefused(
            _(
                "This file type is not accepted. Attach a PDF, an office document (Word, "
                "Excel, OpenDocument) or a JPEG or PNG image."
            ),
            code="type",
        )
    mime_type, extension = found
    if extension == ".doc" and name.lower().endswith(".xls"):
        mime_type, extension = "application/vnd.ms-excel", ".xls"
    if mime_type.startswith("image/"):
        fmt = "JPEG" if extension == ".jpg" else "PNG"
        try:
            load_reduced(io.BytesIO(content), formats=(fmt,), max_side=8000).close()
        except (ImageRefused, OSError, ValueError) as exc:
            raise DocumentRefused(_("The image could not be read."), code="image") from exc
    # The text is taken here, in the form's check, so no transaction waits for it.
    text = pdf_text(content) if mime_type == PDF else ""
    return CheckedUpload(content, mime_type, extension, name, text)


def pdf_text(content: bytes) -> str:
    """The plain text of a PDF, or "" when it has none or cannot be read in time."""
    tool = shutil.which("pdftotext")
    if tool is None:
        return ""
    try:
        done = subprocess.run(  # noqa: S603 - a fixed tool, the bytes on its standard input
            [tool, "-q", "-enc", "UTF-8", "-", "-"],
            input=content,
            capture_output=True,
            timeout=TEXT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    if done.returncode != 0:
        return ""
    text = done.stdout[: TEXT_MAX_CHARS * 4].decode("utf-8", "ignore")
    return " ".join(text.replace("\x00", "").split(" "))[:TEXT_MAX_CHARS].strip()


def store(
    upload: CheckedUpload, *, name_el: str, name_en: str = "", day: date | None = None
) -> CouncilFile:
    """Keep the checked bytes as a council document (the caller's transaction and audit)."""
    stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in upload.name.rsplit(".", 1)[0])
    council_file = CouncilFile(
        name_el=name_el.strip()[:300] or upload.name,
        name_en=name_en.strip()[:300],
        file_name=upload.name[:200],
        mime_type=upload.mime_type,
        size=len(upload.content),
        sha512=hashlib.sha512(upload.content).hexdigest(),
        text=upload.text,
        date=day,
    )
    council_file.file.save(
        f"{stem[:80] or 'document'}{upload.extension}", ContentFile(upload.content), save=False
    )
    council_file.save()
    return council_file
