"""The open budget in the open-data catalogue: the latest published year's Fiscal Data Package
(its data.csv as a table, and its datapackage.json pointing at the budget's own data.csv)."""

from __future__ import annotations

import json

from django.conf import settings
from django.urls import reverse

from dimos.budget import fdp
from dimos.budget.models import Snapshot
from dimos.core.registry import Table


def latest() -> Snapshot | None:
    return (
        Snapshot.objects.filter(year__published=True)
        .select_related("year")
        .order_by("-year__year", "-as_of")
        .first()
    )


def available() -> bool:
    return latest() is not None


def table() -> Table:
    snapshot = latest()
    if snapshot is None:
        return Table(columns=tuple(fdp.COLUMNS), rows=())
    return Table(columns=tuple(fdp.COLUMNS), rows=fdp.rows(snapshot))


def datapackage() -> bytes:
    snapshot = latest()
    if snapshot is None:
        return b"{}"
    year = snapshot.year.year
    homepage = settings.SITE_URL + reverse("budget:index")
    package = fdp.descriptor(snapshot, homepage=homepage, latest=True)
    for resource in package.get("resources", []):
        resource["path"] = settings.SITE_URL + reverse(
            "budget:data_csv", kwargs={"year": str(year)}
        )
    return json.dumps(package, ensure_ascii=False, indent=1).encode()
