"""CKAN's own client, ``ckanapi``, against a live server: the command line's
``action package_search`` and ``dump datasets --all`` with the resources downloaded, its
Python API's error classes, and a harvester's crawl (``sort=id asc``, an ``fq`` on
``metadata_modified``, pages until an empty one)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import ckanapi
import pytest

from dimos.opendata import services
from dimos.opendata.models import Resource, State
from dimos.opendata.tests.catalogue import make_catalogue

pytestmark = pytest.mark.django_db(transaction=True)

CKANAPI = str(Path(sys.executable).parent / "ckanapi")


def _run(*args: str, cwd: Path) -> str:
    # `dump` starts its workers as `ckanapi` from the PATH: the test's own environment's first.
    path = f"{Path(CKANAPI).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    done = subprocess.run(
        [CKANAPI, *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={**os.environ, "PATH": path},
    )
    assert done.returncode == 0, done.stderr + done.stdout
    return done.stdout


def test_the_command_line_searches_and_dumps_every_dataset_with_its_files(
    live_server: Any, tmp_path: Path, settings: Any
) -> None:
    settings.SITE_URL = live_server.url  # the resources' addresses, which the dump downloads
    catalogue = make_catalogue()
    site = live_server.url
    # The linked resource points elsewhere; this machine has no internet: a local address.
    Resource.objects.filter(link__startswith="https://example.org").update(
        link=f"{site}/catalog.ttl"
    )
    found = json.loads(
        _run("action", "package_search", "q=αέρα", "rows:5", "-r", site, cwd=tmp_path)
    )
    assert [p["name"] for p in found["results"]] == ["air-quality"]
    _run(
        "dump",
        "datasets",
        "--all",
        "-p",
        "1",
        "-D",
        str(tmp_path / "dump"),
        "-r",
        site,
        cwd=tmp_path,
    )
    folders = sorted(p.name for p in (tmp_path / "dump").iterdir())
    assert folders == ["air-quality", "disabled-parking", "old-budget"]
    # Each dataset as a data package, with its files downloaded beside it.
    package = json.loads((tmp_path / "dump" / "air-quality" / "datapackage.json").read_text())
    assert package["name"] == "air-quality"
    csv_file = tmp_path / "dump" / "air-quality" / "data" / "metreseis.csv"
    assert csv_file.read_bytes().startswith(b"station,date")
    assert package["title"] == catalogue.air.title_el
    lines = _run("dump", "datasets", "--all", "-p", "1", "-r", site, cwd=tmp_path).splitlines()
    assert len(lines) == 3


def test_the_python_client_maps_ckans_errors(live_server: Any) -> None:
    make_catalogue()
    with ckanapi.RemoteCKAN(live_server.url) as ckan:
        assert ckan.action.status_show()["ckan_version"].startswith("2.10")
        assert ckan.action.package_show(id="air-quality")["num_resources"] == 1
        with pytest.raises(ckanapi.NotFound):
            ckan.action.package_show(id="nothing-here")
        with pytest.raises(ckanapi.NotAuthorized):
            ckan.action.package_show(id="private-one")
        with pytest.raises(ckanapi.ValidationError):
            ckan.action.package_search(rows=5000)
        with pytest.raises(ckanapi.SearchQueryError):
            ckan.action.package_search(fq="organization:(")
        with pytest.raises(ckanapi.NotAuthorized):
            ckan.action.package_create(name="x", title="x", owner_org="environment")
        rows = ckan.action.datastore_search(
            resource_id=ckan.action.package_show(id="air-quality")["resources"][0]["id"],
            filters={"station": "kalamaria"},
        )
        assert rows["total"] == 2


def test_a_harvester_crawls_by_id_with_a_modified_since_filter(live_server: Any) -> None:
    catalogue = make_catalogue()
    for i in range(12):
        services.create_dataset(
            actor=None,
            values={
                "name": f"crawl-{i:02d}",
                "title_el": f"Σύνολο {i}",
                "organization": catalogue.env,
            },
            state=State.ACTIVE,
        )
    seen: list[str] = []
    previous: list[str] | None = None
    with ckanapi.RemoteCKAN(live_server.url) as ckan:
        start = 0
        while True:
            page = ckan.action.package_search(
                fq="metadata_modified:[2020-05-01T10:00:00.123456Z TO *]",
                sort="id asc",
                rows=5,
                start=start,
            )["results"]
            ids = [p["id"] for p in page]
            if not ids:
                break
            assert ids != previous, "two identical pages stop the CKAN harvester"
            previous = ids
            seen += ids
            start += 5
    assert len(seen) == len(set(seen)) == 15 and seen == sorted(seen)
