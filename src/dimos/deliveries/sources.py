"""What the deliveries app knows of the apps whose visits it carries, without importing them.

A source app registers itself in its ``AppConfig.ready()`` through
:func:`dimos.deliveries.services.register_source`: a listener told of every status change, the
page where its courier completes a visit (relief's code form; none for certificates, which are
completed on the day sheet), and whether its recipients' data is private to a permission
(relief's beneficiaries: shown only to its coordinators and to each delivery's courier, every
view audited).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dimos.deliveries.models import Delivery


@dataclass(frozen=True)
class Source:
    key: str
    listener: Callable[[Delivery, Any], None] | None = None
    completion_url: Callable[[Delivery], str] | None = None
    private_to: str = ""


_sources: dict[str, Source] = {}


def register(source: Source) -> None:
    _sources[source.key] = source


def get(key: str) -> Source:
    return _sources.get(key) or Source(key=key)


def completion_url(delivery: Delivery) -> str:
    """The source app's page for completing this visit, or "" (completed on the day sheet)."""
    make = get(delivery.source).completion_url
    return make(delivery) if make is not None else ""


def is_private(delivery: Delivery) -> bool:
    return bool(get(delivery.source).private_to)


def may_see(delivery: Delivery, user: Any) -> bool:
    """Whether ``user`` may see who and where the delivery is for: anyone with the deliveries'
    permission, unless the source keeps its recipients private to a permission — then its
    holders and the delivery's own courier."""
    private_to = get(delivery.source).private_to
    if not private_to:
        return True
    return bool(user.has_perm(private_to) or delivery.assigned_to_id == user.pk)
