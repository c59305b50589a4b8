"""Where an approved volunteer finds tasks: each service with tasks for volunteers (relief's
"tasks near me") registers its page here when it starts, and the volunteer's page links to
every one of them. This app never imports those services."""

from __future__ import annotations

from dataclasses import dataclass

from dimos.core.registry import Text


@dataclass(frozen=True)
class TaskPage:
    key: str
    title: Text
    url_name: str
    description: Text = ""


_pages: dict[str, TaskPage] = {}


def register(page: TaskPage) -> None:
    """Called from the other service's ``AppConfig.ready()``; registering again replaces."""
    _pages[page.key] = page


def pages() -> list[TaskPage]:
    return list(_pages.values())
