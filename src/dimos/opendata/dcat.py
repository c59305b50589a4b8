"""The catalogue in DCAT-AP 3 (rdflib): ``/catalog.{ttl,rdf,jsonld}`` paged with hydra, and
``/dataset/<name>.{ttl,rdf,jsonld}``, as ckanext-dcat publishes them.

Titles and descriptions carry ``@el`` and ``@en``; themes, formats, licences, frequencies and
languages are the EU vocabularies' URIs, each typed with the class the DCAT-AP 3 shapes expect
(``skos:Concept``, ``dct:MediaTypeOrExtent``, ``dct:LicenseDocument``…), so that the output
passes the shapes with RDFS inference on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.urls import reverse
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from dimos.opendata import vocab
from dimos.opendata.ckan.dicts import resource_url
from dimos.opendata.models import Dataset, Organization, Resource

DCATAP = Namespace("http://data.europa.eu/r5r/")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
LANG = Namespace("http://publications.europa.eu/resource/authority/language/")
AVAILABILITY = URIRef(
    "http://publications.europa.eu/resource/authority/planned-availability/STABLE"
)
IANA = "https://www.iana.org/assignments/media-types/"
PAGE_SIZE = 100

FORMATS = {
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
    "rdf": ("xml", "application/rdf+xml; charset=utf-8"),
    "jsonld": ("json-ld", "application/ld+json; charset=utf-8"),
}


def graph() -> Graph:
    g = Graph()
    for prefix, ns in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("skos", SKOS),
        ("vcard", VCARD),
        ("dcatap", DCATAP),
        ("hydra", HYDRA),
        ("spdx", SPDX),
        ("adms", ADMS),
    ):
        g.bind(prefix, ns)
    return g


def site() -> str:
    return settings.SITE_URL


def dataset_uri(dataset: Dataset) -> URIRef:
    return URIRef(f"{site()}/dataset/{dataset.pk}")


def _typed(g: Graph, uri: URIRef, cls: URIRef) -> URIRef:
    g.add((uri, RDF.type, cls))
    return uri


def _both(g: Graph, subject: Any, prop: URIRef, el: str, en: str) -> None:
    if el:
        g.add((subject, prop, Literal(el, lang="el")))
    if en:
        g.add((subject, prop, Literal(en, lang="en")))


def _when(value: dt.datetime | dt.date) -> Literal:
    if isinstance(value, dt.datetime):
        return Literal(
            value.astimezone(dt.UTC).replace(microsecond=0).isoformat(), datatype=XSD.dateTime
        )
    return Literal(value.isoformat(), datatype=XSD.date)


def _agent(g: Graph, org: Organization) -> URIRef:
    uri = URIRef(f"{site()}/organization/{org.pk}")
    _typed(g, uri, FOAF.Agent)
    _both(g, uri, FOAF.name, org.title_el, org.title_en)
    return uri


def add_catalogue(g: Graph, uri: URIRef) -> None:
    from dimos.core.selectors import current_municipality

    town = current_municipality()
    name_el = town.name_el if town else "Δήμος"
    name_en = (town.name_en or name_el) if town else "Municipality"
    _typed(g, uri, DCAT.Catalog)
    _both(g, uri, DCTERMS.title, f"Ανοιχτά δεδομένα — {name_el}", f"Open data — {name_en}")
    _both(
        g,
        uri,
        DCTERMS.description,
        f"Τα σύνολα δεδομένων που δημοσιεύει ο {name_el}.",
        f"The datasets published by {name_en}.",
    )
    publisher = URIRef(f"{site()}/")
    _typed(g, publisher, FOAF.Agent)
    _both(g, publisher, FOAF.name, name_el, name_en)
    g.add((uri, DCTERMS.publisher, publisher))
    g.add(
        (
            uri,
            FOAF.homepage,
            _typed(g, URIRef(f"{site()}{reverse('opendata:index')}"), FOAF.Document),
        )
    )
    for code in ("ELL", "ENG"):
        g.add((uri, DCTERMS.language, _typed(g, LANG[code], DCTERMS.LinguisticSystem)))
    service = URIRef(f"{site()}/api/3/action/")
    _typed(g, service, DCAT.DataService)
    _both(g, service, DCTERMS.title, "CKAN Action API", "CKAN Action API")
    g.add((service, DCAT.endpointURL, URIRef(f"{site()}/api/3/action/")))
    g.add((uri, DCAT.service, service))


def add_dataset(g: Graph, dataset: Dataset, catalogue: URIRef | None = None) -> URIRef:
    uri = dataset_uri(dataset)
    _typed(g, uri, DCAT.Dataset)
    if catalogue is not None:
        g.add((catalogue, DCAT.dataset, uri))
    _both(g, uri, DCTERMS.title, dataset.title_el, dataset.title_en)
    _both(
        g,
        uri,
        DCTERMS.description,
        dataset.notes_el or dataset.title_el,
        dataset.notes_en or (dataset.title_en if not dataset.notes_el else ""),
    )
    g.add((uri, DCTERMS.identifier, Literal(str(dataset.pk))))
    g.add((uri, DCTERMS.issued, _when(dataset.created)))
    g.add((uri, DCTERMS.modified, _when(dataset.modified)))
    landing = URIRef(site() + reverse("opendata:dataset", kwargs={"name": dataset.name}))
    g.add((uri, DCAT.landingPage, _typed(g, landing, FOAF.Document)))
    g.add((uri, DCTERMS.publisher, _agent(g, dataset.organization)))
    if dataset.version:
        g.add((uri, URIRef("http://www.w3.org/2002/07/owl#versionInfo"), Literal(dataset.version)))
    for tag in dataset.tags.all():
        g.add((uri, DCAT.keyword, Literal(tag.name)))
    for group in dataset.groups.all():
        theme = _typed(g, URIRef(vocab.THEME_BASE + group.theme), SKOS.Concept)
        el, en = vocab.THEMES.get(group.theme, (group.title_el, group.title_en))
        _both(g, theme, SKOS.prefLabel, el, en)
        g.add((uri, DCAT.theme, theme))
    frequency = URIRef(vocab.FREQUENCY_BASE + dataset.frequency)
    g.add((uri, DCTERMS.accrualPeriodicity, _typed(g, frequency, DCTERMS.Frequency)))
    for code in ("ELL", "ENG"):
        g.add((uri, DCTERMS.language, _typed(g, LANG[code], DCTERMS.LinguisticSystem)))
    email = dataset.maintainer_email or dataset.organization.email
    if dataset.maintainer or email:
        contact = BNode()
        _typed(g, contact, VCARD.Kind)  # type: ignore[arg-type]
        g.add((contact, VCARD.fn, Literal(dataset.maintainer or dataset.organization.title_el)))
        if email:
            g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{email}")))
        g.add((uri, DCAT.contactPoint, contact))
    if dataset.spatial:
        place = BNode()
        g.add((place, RDF.type, DCTERMS.Location))
        g.add((place, SKOS.prefLabel, Literal(dataset.spatial, lang="el")))
        g.add((uri, DCTERMS.spatial, place))
    if dataset.temporal_start or dataset.temporal_end:
        period = BNode()
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if dataset.temporal_start:
            g.add((period, DCAT.startDate, _when(dataset.temporal_start)))
        if dataset.temporal_end:
            g.add((period, DCAT.endDate, _when(dataset.temporal_end)))
        g.add((uri, DCTERMS.temporal, period))
    lic = vocab.licence(dataset.license_id)
    for resource in dataset.resources.all():
        add_distribution(g, uri, dataset, resource, lic)
    return uri


def add_distribution(
    g: Graph, dataset_node: URIRef, dataset: Dataset, resource: Resource, lic: vocab.Licence | None
) -> None:
    uri = URIRef(f"{site()}/dataset/{dataset.pk}/resource/{resource.pk}")
    _typed(g, uri, DCAT.Distribution)
    g.add((dataset_node, DCAT.distribution, uri))
    resource.dataset = dataset
    url = resource_url(resource) or site() + reverse(
        "opendata:dataset", kwargs={"name": dataset.name}
    )
    g.add((uri, DCAT.accessURL, URIRef(url)))
    if resource.file:
        g.add((uri, DCAT.downloadURL, URIRef(url)))
    _both(g, uri, DCTERMS.title, resource.name_el, resource.name_en)
    if resource.description_el or resource.description_en:
        _both(g, uri, DCTERMS.description, resource.description_el, resource.description_en)
    if resource.format:
        code, media = vocab.format_info(resource.format)
        g.add(
            (
                uri,
                DCTERMS["format"],
                _typed(g, URIRef(vocab.FILE_TYPE_BASE + code), DCTERMS.MediaTypeOrExtent),
            )
        )
        g.add((uri, DCAT.mediaType, _typed(g, URIRef(IANA + media), DCTERMS.MediaType)))
    if lic is not None:
        g.add((uri, DCTERMS.license, _typed(g, URIRef(lic.uri), DCTERMS.LicenseDocument)))
    if resource.size is not None:
        g.add((uri, DCAT.byteSize, Literal(resource.size, datatype=XSD.nonNegativeInteger)))
    if resource.hash.startswith("sha256:"):
        checksum = BNode()
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add(
            (
                checksum,
                SPDX.algorithm,
                _typed(g, SPDX.checksumAlgorithm_sha256, SPDX.ChecksumAlgorithm),
            )
        )
        g.add((checksum, SPDX.checksumValue, Literal(resource.hash[7:], datatype=XSD.hexBinary)))
        g.add((uri, SPDX.checksum, checksum))
    if resource.last_modified:
        g.add((uri, DCTERMS.modified, _when(resource.last_modified)))
    _both(g, _typed(g, AVAILABILITY, SKOS.Concept), SKOS.prefLabel, "σταθερή", "stable")
    g.add((uri, DCATAP.availability, AVAILABILITY))


def catalogue_graph(
    datasets: list[Dataset], *, page: int, total: int, base: str, query: str = ""
) -> Graph:
    g = graph()
    uri = URIRef(f"{site()}/catalog/")
    add_catalogue(g, uri)
    for dataset in datasets:
        add_dataset(g, dataset, uri)
    last = max(1, -(-total // PAGE_SIZE))
    paging = URIRef(f"{base}?{query}page={page}")
    g.add((paging, RDF.type, HYDRA.PagedCollection))
    g.add((paging, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
    g.add((paging, HYDRA.itemsPerPage, Literal(PAGE_SIZE, datatype=XSD.integer)))
    g.add((paging, HYDRA.firstPage, Literal(f"{base}?{query}page=1")))
    g.add((paging, HYDRA.lastPage, Literal(f"{base}?{query}page={last}")))
    if page < last:
        g.add((paging, HYDRA.nextPage, Literal(f"{base}?{query}page={page + 1}")))
    if page > 1:
        g.add((paging, HYDRA.previousPage, Literal(f"{base}?{query}page={page - 1}")))
    return g


def dataset_graph(dataset: Dataset) -> Graph:
    g = graph()
    add_dataset(g, dataset)
    return g


def serialize(g: Graph, fmt: str) -> bytes:
    name, _media = FORMATS[fmt]
    if name == "json-ld":
        context = {prefix: str(ns) for prefix, ns in g.namespaces() if prefix}
        return g.serialize(format="json-ld", context=context, auto_compact=True).encode()
    return g.serialize(format=name, encoding="utf-8")
