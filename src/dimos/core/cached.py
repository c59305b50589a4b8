"""The one way Dimos caches an answer: versioned keys, stale-while-revalidate, refresh in a task.

An answer (a figure set, an encoded API response, a day of free times) is named by a
:class:`CachedAnswer` and the *question* it answers (JSON-able keyword arguments). Its key holds
a **version** of the data it was computed from: a callable (``reports.selectors.data_version``,
the newest change of any report) or a :class:`Version` that writes bump. A new version is a
miss, so a change shows on the next request and nothing has to be deleted.

With ``stale_seconds``, the last good answer to the same question is also kept (the *last*
entry). After a change, a request gets that last answer at once, marked stale, and one refresh
is queued as a task (``dimos.core.tasks.refresh_answer``) that a worker runs; only a question
never asked before is computed while the visitor waits. The compute is bounded: one refresh per
question and version at a time, and after a failure (or a worker that died) the next one only
after ``refresh_seconds``, while visitors keep getting the last good answer. A refresh stores
its answer under the version read *before* computing, so an answer computed from older data
never lands under a newer version, and the last entry only moves forward in time.

:class:`CachedBody` keeps HTTP answers as the bytes sent, plain and gzip-compressed (once per
fill), and answers with the variant the client accepts.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile

# name -> answer, for the refresh task (which imports the answer's module first).
_REGISTRY: dict[str, CachedAnswer] = {}


class Version:
    """A named version of some data, kept in the cache: writes :meth:`bump` it.

    For data without a cheap "newest change" to read (availability, whole pages): every write
    that changes what the answers show calls :meth:`changed`.
    """

    def __init__(self, name: str) -> None:
        self.key = f"dimos:version:{name}"

    def __call__(self) -> str:
        value = cache.get(self.key)
        if value is None:
            cache.add(self.key, secrets.token_hex(4), None)
            value = cache.get(self.key, "")
        return str(value)

    def bump(self) -> None:
        """A new version now: every answer under the old one is a miss from here on."""
        cache.set(self.key, secrets.token_hex(4), None)

    def changed(self) -> None:
        """Bump now, for readers in this process and transaction, and again after the commit,
        so that an answer computed meanwhile from the data before the commit is not kept."""
        self.bump()
        transaction.on_commit(self.bump)


@dataclass(frozen=True)
class Entry:
    """A cached answer and when it was computed; ``state`` is how this request got it."""

    value: Any
    computed_at: datetime
    state: str = "hit"  # "hit", "stale" (the last answer, a refresh is queued) or "miss"

    @property
    def stale(self) -> bool:
        return self.state == "stale"


def digest(value: object) -> str:
    """A short stable name for a question (JSON with sorted keys, hashed)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:40]


class CachedAnswer:
    """One kind of cached answer (see the module's docstring).

    ``compute(**question)`` computes it; it must be a module-level function when
    ``stale_seconds`` is set (a worker calls it). Answers kept only until the version changes
    may instead pass ``compute=`` to :meth:`get` (a closure over the parsed request).
    ``seconds`` bounds how long a fresh answer is kept (a callable is read on each use, for
    settings); ``version`` names the data (None: only ``seconds`` bounds it).
    ``split`` stores an answer as several parts read one at a time (:class:`CachedBody`).
    """

    def __init__(
        self,
        name: str,
        *,
        seconds: int | Callable[[], int],
        compute: Callable[..., Any] | None = None,
        version: Callable[[], str] | None = None,
        stale_seconds: int = 0,
        refresh_seconds: int = 300,
        split: Callable[[Any], Mapping[str, Any]] | None = None,
    ) -> None:
        if stale_seconds and compute is None:
            raise ValueError("a stale-while-revalidate answer needs a module-level compute")
        self.name = name
        self.compute = compute
        self.version = version
        self._seconds = seconds
        self.stale_seconds = stale_seconds
        self.refresh_seconds = refresh_seconds
        self.split = split
        self.module = compute.__module__ if compute is not None else ""
        _REGISTRY[name] = self

    @property
    def seconds(self) -> int:
        return self._seconds() if callable(self._seconds) else self._seconds

    def keys(self, name: str, version: str) -> tuple[str, str]:
        """The entry for this version, and the last good entry whatever the version."""
        prefix = f"dimos:answer:{self.name}:{name}"
        return f"{prefix}:v:{hashlib.sha256(version.encode()).hexdigest()[:16]}", f"{prefix}:last"

    def get(
        self,
        question: Mapping[str, Any] | None = None,
        *,
        shared_by: object = None,
        part: str = "",
        compute: Callable[[], Any] | None = None,
    ) -> Entry:
        """The answer to ``question``: fresh, else the last one (stale, refresh queued), else
        computed now. ``shared_by`` names the answer when several questions share it (the
        dashboard's figures are per scope, not per user); by default the question does."""
        question = dict(question or {})
        name = digest(question if shared_by is None else shared_by)
        version = self.version() if self.version is not None else ""
        fresh, last = self.keys(name, version)
        sub = f":{part}" if part else ""
        hit: Entry | None = cache.get(fresh + sub)
        if hit is not None:
            return hit
        if self.stale_seconds:
            previous: Entry | None = cache.get(last + sub)
            if previous is not None:
                if cache.add(f"{fresh}:refreshing", 1, self.refresh_seconds):
                    self._queue_refresh(question, name)
                return replace(previous, state="stale")
        if compute is None:
            if self.compute is None:
                raise ValueError(f"{self.name}: no compute given")
            entry = self._fill(name, version, lambda: self.compute(**question))  # type: ignore[misc]
        else:
            entry = self._fill(name, version, compute)
        return replace(entry if not part else self._part(entry, part), state="miss")

    def refresh(self, question: Mapping[str, Any], name: str) -> Entry:
        """Compute the answer again and keep it (what the worker runs)."""
        version = self.version() if self.version is not None else ""
        assert self.compute is not None
        return self._fill(name, version, lambda: self.compute(**question))  # type: ignore[misc]

    # --- internals -------------------------------------------------------------------------

    _part_names: tuple[str, ...] = ()

    def _queue_refresh(self, question: dict[str, Any], name: str) -> None:
        from dimos.core.tasks import enqueue_on_commit, refresh_answer

        enqueue_on_commit(refresh_answer, self.module, self.name, question, name)

    def _fill(self, name: str, version: str, compute: Callable[[], Any]) -> Entry:
        started = timezone.now()
        entry = Entry(value=compute(), computed_at=started, state="hit")
        fresh, last = self.keys(name, version)
        entries = self._entries(fresh, entry)
        cache.set_many(entries, self.seconds)
        if self.stale_seconds:
            # A refresh that started earlier but finished later must not replace a newer answer.
            current: Entry | None = cache.get(
                last + (f":{self._part_names[0]}" if self.split else "")
            )
            if current is None or current.computed_at <= started:
                cache.set_many(self._entries(last, entry), self.stale_seconds)
        return entry

    def _entries(self, key: str, entry: Entry) -> dict[str, Entry]:
        if self.split is None:
            return {key: entry}
        return {f"{key}:{p}": replace(entry, value=v) for p, v in self.split(entry.value).items()}

    def _part(self, entry: Entry, part: str) -> Entry:
        assert self.split is not None
        return replace(entry, value=self.split(entry.value)[part])


def answer(name: str) -> CachedAnswer:
    """The registered answer called ``name`` (its module must have been imported)."""
    return _REGISTRY[name]


# --- HTTP answers as the bytes sent ---------------------------------------------------------

ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
# Below this, compressing saves less than it costs.
MIN_GZIP_BYTES = 1024


@dataclass(frozen=True)
class Body:
    """An encoded answer in one variant: what a hit sends."""

    content: bytes
    content_type: str
    gzipped: bool = False


def _body_parts(value: tuple[bytes, str]) -> dict[str, Body]:
    raw, content_type = value
    plain = Body(raw, content_type)
    if len(raw) < MIN_GZIP_BYTES:
        return {"raw": plain, "gz": plain}
    return {"raw": plain, "gz": Body(gzip.compress(raw, compresslevel=6), content_type, True)}


class CachedBody(CachedAnswer):
    """An answer computed as ``(bytes, content_type)`` and kept plain and gzip-compressed, so
    a hit costs one cache read and no encoding; clients that accept gzip get the compressed
    bytes (a tenth of the size for JSON and XML)."""

    _part_names = ("raw", "gz")

    def __init__(self, name: str, **kwargs: Any) -> None:
        super().__init__(name, split=_body_parts, **kwargs)

    def respond(
        self,
        request: HttpRequest,
        question: Mapping[str, Any] | None = None,
        *,
        shared_by: object = None,
        compute: Callable[[], tuple[bytes, str]] | None = None,
    ) -> HttpResponse:
        wants_gzip = bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))
        entry = self.get(
            question, shared_by=shared_by, part="gz" if wants_gzip else "raw", compute=compute
        )
        body: Body = entry.value
        response = HttpResponse(body.content, content_type=body.content_type)
        if body.gzipped:
            response["Content-Encoding"] = "gzip"
        response["X-Dimos-Cache"] = entry.state
        patch_vary_headers(response, ["Accept-Encoding"])
        return response
