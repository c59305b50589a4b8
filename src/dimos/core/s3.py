"""The private storage in an S3-compatible bucket (imported only when one is configured)."""

from __future__ import annotations

from typing import Any

from storages.backends.s3 import S3Storage

from dimos.core.storage import NoPrivateURL


class PrivateS3Storage(S3Storage):
    """Private files under a prefix of a private bucket: no public or signed URL, ever."""

    def url(
        self, name: str, parameters: Any = None, expire: Any = None, http_method: Any = None
    ) -> str:
        raise NoPrivateURL
