"""The council's decisions in the open-data catalogue: one row per decision of a meeting held
in public, with its body, number, date, title, result and Diavgeia ADA."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dimos.core.diavgeia import decision_url
from dimos.core.registry import Table
from dimos.council.models import Decision, MeetingState

COLUMNS = (
    "body",
    "body_name",
    "year",
    "number",
    "meeting_date",
    "item",
    "title",
    "title_en",
    "result",
    "ada",
    "diavgeia_url",
)


def _rows() -> Iterator[list[Any]]:
    decisions = (
        Decision.objects.filter(
            deleted=False,
            agenda_item__public=True,
            agenda_item__meeting__state=MeetingState.HELD,
            agenda_item__meeting__deleted=False,
        )
        .select_related("organization", "agenda_item", "agenda_item__meeting")
        .order_by("agenda_item__meeting__start", "organization__slug", "number")
    )
    for d in decisions.iterator(chunk_size=1000):
        item = d.agenda_item
        yield [
            d.organization.slug,
            d.organization.name_el,
            d.year,
            d.number,
            item.meeting.start.date(),
            item.number,
            item.title_el,
            item.title_en,
            d.result,
            d.ada,
            decision_url(d.ada),
        ]


def table() -> Table:
    return Table(columns=COLUMNS, rows=_rows())
