"""DCAT-AP 3: the catalogue and each dataset as Turtle, RDF/XML and JSON-LD, with zero
violations of the DCAT-AP 3.0.0 SHACL shapes (RDFS inference on), hydra paging, Greek and
English literals, the EU vocabularies."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from django.test import Client
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from dimos.opendata import services
from dimos.opendata.dcat import HYDRA
from dimos.opendata.models import State
from dimos.opendata.tests.catalogue import Catalogue

pytestmark = pytest.mark.django_db

SHAPES = Path(__file__).parent / "data" / "dcat-ap-3.0.0-shacl.ttl"
PARSERS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}


@lru_cache(maxsize=1)
def shapes() -> Graph:
    return Graph().parse(SHAPES)


def graph_of(client: Client, path: str) -> Graph:
    response = client.get(path)
    assert response.status_code == 200, path
    fmt = path.rsplit(".", 1)[-1].split("?")[0]
    return Graph().parse(data=response.content, format=PARSERS[fmt])


def assert_conforms(data: Graph) -> None:
    conforms, _graph, text = validate(
        data, shacl_graph=shapes(), inference="rdfs", allow_warnings=True
    )
    assert conforms, text


@pytest.mark.parametrize("fmt", ["ttl", "rdf", "jsonld"])
def test_the_catalogue_passes_the_dcat_ap_3_shapes(
    catalogue: Catalogue, client: Client, fmt: str
) -> None:
    data = graph_of(client, f"/catalog.{fmt}")
    assert_conforms(data)
    datasets = set(data.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 3  # public only: no draft, no private dataset


def test_a_dataset_alone_passes_the_shapes_with_its_distributions(
    catalogue: Catalogue, client: Client
) -> None:
    data = graph_of(client, "/dataset/air-quality.ttl")
    assert_conforms(data)
    node = URIRef(f"http://testserver/dataset/{catalogue.air.pk}")
    titles = set(data.objects(node, DCTERMS.title))
    assert (
        Literal("Ποιότητα αέρα", lang="el") in titles
        and Literal("Air quality", lang="en") in titles
    )
    themes = set(data.objects(node, DCAT.theme))
    assert URIRef("http://publications.europa.eu/resource/authority/data-theme/ENVI") in themes
    distribution = next(data.objects(node, DCAT.distribution))
    assert next(data.objects(distribution, DCTERMS["format"])) == URIRef(
        "http://publications.europa.eu/resource/authority/file-type/CSV"
    )
    assert next(data.objects(distribution, DCTERMS.license)) == URIRef(
        "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"
    )
    assert next(data.objects(distribution, DCAT.accessURL)).startswith(
        "http://testserver/data/air-quality/"
    )
    assert_conforms(graph_of(client, "/dataset/disabled-parking.jsonld"))
    assert client.get("/dataset/noise-draft.ttl").status_code == 404
    assert client.get("/dataset/nothing.rdf").status_code == 404


def test_the_catalogue_pages_with_hydra(catalogue: Catalogue, client: Client) -> None:
    for i in range(101):
        services.create_dataset(
            actor=None,
            values={
                "name": f"more-{i:03d}",
                "title_el": f"Σύνολο {i}",
                "organization": catalogue.env,
            },
            state=State.ACTIVE,
        )
    first = graph_of(client, "/catalog.ttl")
    assert len(set(first.subjects(RDF.type, DCAT.Dataset))) == 100
    paging = next(first.subjects(RDF.type, HYDRA.PagedCollection))
    assert first.value(paging, HYDRA.totalItems).toPython() == 104
    assert str(first.value(paging, HYDRA.nextPage)).endswith("/catalog.ttl?page=2")
    assert str(first.value(paging, HYDRA.lastPage)).endswith("/catalog.ttl?page=2")
    second = graph_of(client, "/catalog.ttl?page=2")
    assert len(set(second.subjects(RDF.type, DCAT.Dataset))) == 4
    paging = next(second.subjects(RDF.type, HYDRA.PagedCollection))
    assert str(second.value(paging, HYDRA.previousPage)).endswith("page=1")
    recent = graph_of(client, "/catalog.ttl?modified_since=2026-01-01T00:00:00Z")
    assert len(set(recent.subjects(RDF.type, DCAT.Dataset))) >= 100
    assert client.get("/catalog.ttl?page=x").status_code == 400
    assert client.get("/catalog.ttl?modified_since=yesterday").status_code == 400


def test_the_pages_link_their_dcat_alternates(catalogue: Catalogue, client: Client) -> None:
    page = client.get("/data/air-quality/").content.decode()
    assert '<link rel="alternate" type="text/turtle" href="/dataset/air-quality.ttl"' in page
    assert 'type="application/ld+json" href="/dataset/air-quality.jsonld"' in page
    assert (
        '<link rel="alternate" type="text/turtle" href="/catalog.ttl"'
        in client.get("/data/").content.decode()
    )


def test_a_datasets_uri_leads_to_its_page(catalogue: Catalogue, client: Client) -> None:
    response = client.get(f"/dataset/{catalogue.air.pk}")
    assert response.status_code == 302 and response["Location"] == "/data/air-quality/"
    assert client.get(f"/dataset/{catalogue.draft.pk}").status_code == 404
