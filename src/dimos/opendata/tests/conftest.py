"""Fixtures of the catalogue's tests: files kept in a temporary folder, a small catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dimos.opendata.tests.catalogue import Catalogue, make_catalogue


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def catalogue(db: Any) -> Catalogue:
    return make_catalogue()
