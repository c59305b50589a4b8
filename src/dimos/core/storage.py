"""Private files: a second storage, ``STORAGES["private"]``, that never hands out a URL.

Residents' uploaded documents, issued certificate PDFs and the development signing key live
there. By default it is a folder on local disk (``DIMOS_PRIVATE_DIR``, ``<DIMOS_VAR_DIR>/private``);
with an object store configured (``DIMOS_PRIVATE_S3_BUCKET``, or ``S3_BUCKET``) it is a prefix
of a private bucket, so that every app server and worker reads the same files (ADR 0020).
Files are only ever streamed by views that check who may see them: ``url()`` refuses.

Model fields name the storage by the callable :func:`private_storage`, so migrations do not
change with the configuration.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

NO_URL = "Private files have no URL: stream them through a view that checks access."


class NoPrivateURL(NotImplementedError):
    """Asking a private storage for a file's URL: refused by design, never to be implemented
    (private files are streamed only by views that check who is asking)."""

    def __init__(self) -> None:
        super().__init__(NO_URL)


class PrivateFileSystemStorage(FileSystemStorage):
    """Private files on local disk: files 0600 and folders 0700, under ``DIMOS_PRIVATE_DIR``
    unless given a ``location``; read at each use, so tests may change the setting."""

    def __init__(self, location: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(location=location, **kwargs)

    @cached_property
    def base_location(self) -> str:
        location = self._location  # type: ignore[attr-defined]
        return str(self._value_or_setting(location, settings.DIMOS_PRIVATE_DIR))

    def _clear_cached_properties(self, setting: Any, **kwargs: Any) -> None:
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "DIMOS_PRIVATE_DIR":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name: str | None) -> str:
        raise NoPrivateURL


class _PrivateStorage(LazyObject):
    """``storages["private"]``, looked up again after the ``STORAGES`` setting changes."""

    def _setup(self) -> None:
        self._wrapped = storages["private"]


_private = _PrivateStorage()


@receiver(setting_changed)
def _forget_private_storage(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        _private._wrapped = empty  # type: ignore[assignment]


def private_storage() -> Storage:
    """The storage of private files (a callable: model fields and migrations name this)."""
    return _private  # type: ignore[return-value]
