"""Residents' photos: checked by content, re-encoded without metadata, and who may see them.

An uploaded file is never stored as sent. Its pixel count is checked from its header, then
Pillow decodes it straight to the size kept (``dimos.core.images``; only JPEG, PNG, HEIC and
WebP decoders are tried, whatever the name or content type says), the camera's rotation is applied,
the GPS position is read for the map pin, and a fresh JPEG is written from the pixels alone:
no EXIF (camera, serial numbers, the home the resident walked from), no XMP, no ICC profile.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO, Any

import pillow_heif
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image

from dimos.core import images
from dimos.reports.conf import conf
from dimos.reports.models import Report, ReportPhoto

pillow_heif.register_heif_opener()

FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
MAX_SIDE = 2048
THUMBNAIL_SIDE = 400
QUALITY = 85


class PhotoError(ValueError):
    """A photo that cannot be accepted; the message is shown to the resident."""

    message: Any = _("This photo cannot be accepted.")

    def __init__(self, message: Any = None) -> None:
        self.message = message or self.message
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)


class NotAPhoto(PhotoError):
    message = _("This file is not a photo. Send a JPEG, PNG, HEIC or WebP image.")


class PhotoTooLarge(PhotoError):
    message = _("This photo is too large.")


class TooManyPhotos(PhotoError):
    message = _("Too many photos for one report.")


@dataclass(frozen=True)
class ProcessedPhoto:
    """A photo ready to store: JPEG bytes without metadata, and where it was taken."""

    image: bytes
    thumbnail: bytes
    width: int
    height: int
    gps: tuple[float, float] | None = None


def _degrees(value: Any, ref: Any) -> float:
    d, m, s = (float(part) for part in value)
    result = d + m / 60 + s / 3600
    return -result if str(ref).upper() in ("S", "W") else result


def gps_of(exif: Image.Exif) -> tuple[float, float] | None:
    """(lat, lon) from EXIF GPS tags, or None when absent or nonsense."""
    try:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        lat = _degrees(gps[ExifTags.GPS.GPSLatitude], gps.get(ExifTags.GPS.GPSLatitudeRef, "N"))
        lon = _degrees(gps[ExifTags.GPS.GPSLongitude], gps.get(ExifTags.GPS.GPSLongitudeRef, "E"))
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return lat, lon


def _jpeg(image: Image.Image, side: int) -> tuple[bytes, int, int]:
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    # A new image from the pixels alone: nothing of the original's metadata can ride along.
    data = images.clean_copy(copy, "JPEG", quality=QUALITY, optimize=True)
    return data, copy.width, copy.height


def process_upload(file: IO[bytes]) -> ProcessedPhoto:
    """Check an uploaded file by its content and turn it into a metadata-free JPEG.

    The pixel count is checked from the header before anything is decoded, and the photo is
    decoded straight to at most MAX_SIDE (core.images), so memory stays bounded whatever the
    file declares.
    """
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
    limit = conf.PHOTO_MAX_BYTES
    if size > limit:
        raise PhotoTooLarge(
            _("This photo is larger than %(size)s MB.") % {"size": round(limit / 1024 / 1024, 1)}
        )
    try:
        image = images.load_reduced(file, formats=FORMATS, max_side=MAX_SIDE)
        with image:
            gps = gps_of(image.getexif())
            rgb = images.upright_rgb(image)
    except images.ImageTooLarge as exc:
        raise PhotoTooLarge(
            _("This photo is too large: it has too many pixels. Send a smaller one.")
        ) from exc
    except images.ImageRefused as exc:
        raise NotAPhoto() from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:  # a broken EXIF block
        raise NotAPhoto() from exc
    data, width, height = _jpeg(rgb, MAX_SIDE)
    thumbnail, _w, _h = _jpeg(rgb, THUMBNAIL_SIDE)
    return ProcessedPhoto(image=data, thumbnail=thumbnail, width=width, height=height, gps=gps)


def access_photo(user: Any, pk: int) -> ReportPhoto:
    """A photo the user may see: public ones of public reports; staff also see hidden ones."""
    photo = ReportPhoto.objects.filter(pk=pk).first()
    if photo is None:
        raise Http404
    if not photo.is_hidden and Report.objects.public().filter(pk=photo.report_id).exists():
        return photo
    if user.is_authenticated and Report.objects.for_staff(user).filter(pk=photo.report_id).exists():
        return photo
    raise Http404
