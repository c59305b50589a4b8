"""The catalogue holds no one's personal data: datasets are public and their history names
staff as the authors of their work (kept, pointing at an erased account's stub)."""

from __future__ import annotations

from typing import Any


def export_for(user: Any) -> dict[str, Any]:
    from dimos.opendata.models import DatasetChange

    return {
        "dataset_changes": [
            {"dataset": c.dataset.name, "at": c.at.isoformat(), "summary": c.summary}
            for c in DatasetChange.objects.filter(actor=user).select_related("dataset")
        ]
    }


def erase_for(user: Any) -> None:
    return None
