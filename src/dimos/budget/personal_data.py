"""The open budget holds no one's personal data: budget lines, snapshots and spending decisions
are public finance. Staff who imported a snapshot or linked a decision are kept as the authors
of their work (the manifest's ``keeps``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dimos.accounts.models import User


def export_for(user: User) -> dict[str, Any] | None:
    return None


def erase_for(user: User) -> None:
    return None
