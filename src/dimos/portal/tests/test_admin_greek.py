"""The admin in Greek has no English left where a person reads: app and model names, column
headings, field labels, statuses and the admin's own controls (docs/glossary.md)."""

from __future__ import annotations

import contextlib
import re
from html.parser import HTMLParser
from typing import Any

from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse

# What the Greek admin showed in English before (issue 10 item 6).
KNOWN_ENGLISH = [
    "Tasks Database Backend",
    "Authenticators",
    "Created at",
    "Last used at",
    "MFA",
    "Ready",
    "Successful",
    "Start typing to filter",
    "Select all objects on this page",
    "Select this object for an action",
]


class _Readable(HTMLParser):
    """The text a person reads or hears: text, titles, placeholders, labels for screen readers."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        self.parts += [v for k, v in attrs if k in ("title", "placeholder", "aria-label") and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(" ".join(data.split()))


def _admin_pages() -> list[str]:
    urls = {reverse("admin:index")}
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.add(reverse("admin:app_list", args=[info[0]]))
        for view in ("changelist", "add"):
            with contextlib.suppress(NoReverseMatch):
                urls.add(reverse("admin:{}_{}_{}".format(*info, view)))
    return sorted(urls)


def test_the_greek_admin_shows_no_english_it_used_to(admin_client_: Client, municipality: Any):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    # A task result, so that its status shows in the list.
    DBTaskResult.objects.create(
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="dimos.core.tasks.deliver",
        backend_name="default",
        run_after=timezone.now(),
        status="SUCCESSFUL",
    )
    admin_client_.cookies["dimos_language"] = "el"
    found = []
    for url in _admin_pages():
        response = admin_client_.get(url)
        if response.status_code != 200:
            continue
        reader = _Readable()
        reader.feed(response.content.decode())
        for text in reader.parts:
            if any(re.search(rf"(?<![A-Za-z]){re.escape(bad)}\b", text) for bad in KNOWN_ENGLISH):
                found.append(f"{url}: {text[:80]!r}")
    assert not found, "\n".join(sorted(set(found)))
