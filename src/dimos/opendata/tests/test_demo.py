"""The demo catalogue: Thessaloniki's datasets with their tables, a draft, the platform's own
datasets, a publisher account; a second run adds nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dimos.accounts.services import sync_roles
from dimos.opendata.demo import seed
from dimos.opendata.models import Dataset, DatastoreTable, State

pytestmark = pytest.mark.django_db


def test_the_demo_catalogue(municipality: Any, client: Client) -> None:
    sync_roles()
    seed()
    seed()
    public = Dataset.objects.public()
    names = set(public.values_list("name", flat=True))
    assert {"disabled-parking", "air-quality", "municipal-libraries", "cycle-lanes"} <= names
    assert {"issue-reports", "certificates-issued", "appointment-volumes"} <= names
    assert Dataset.objects.get(name="wifi-hotspots").state == State.DRAFT
    assert Dataset.objects.filter(name="air-quality").count() == 1
    air = DatastoreTable.objects.get(resource__dataset__name="air-quality")
    assert air.total == 360 and {f["id"]: f["type"] for f in air.fields}["pm10"] == "text"
    libraries = DatastoreTable.objects.get(resource__dataset__name="municipal-libraries")
    assert libraries.point == ["latitude", "longitude"]
    assert client.get("/data/").status_code == 200
    parking = DatastoreTable.objects.get(resource__dataset__name="disabled-parking")
    page = client.get(f"/data/disabled-parking/resource/{parking.resource_id}/")
    assert page.status_code == 200 and b"opendata-map" in page.content
