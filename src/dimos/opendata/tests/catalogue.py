"""A small catalogue for the tests: two publishers, themes, three public datasets (one with a
CSV loaded as a table), a draft and a private one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dimos.opendata import platform, services
from dimos.opendata.models import Dataset, Organization, Resource, State

AIR_CSV = (
    "station,date,pm10,no2,note\n"
    "egnatia,2026-11-01,31.5,40,\n"
    "egnatia,2026-11-02,28,38,windy\n"
    "kalamaria,2026-11-01,22.25,31,\n"
    "kalamaria,2026-11-02,εκτός λειτουργίας,29,\n"
    "agia-sofia,2026-11-01,45,52,\n"
).encode()


@dataclass
class Catalogue:
    env: Organization
    transport: Organization
    air: Dataset
    parking: Dataset
    budget: Dataset
    draft: Dataset
    private: Dataset
    air_csv: Resource


def _dataset(
    org: Organization,
    name: str,
    title_el: str,
    title_en: str,
    theme: str,
    tags: list[str],
    **extra: object,
) -> Dataset:
    state = extra.pop("state", State.ACTIVE)
    return services.create_dataset(
        actor=None,
        values={
            "name": name,
            "title_el": title_el,
            "title_en": title_en,
            "notes_el": f"Περιγραφή: {title_el}.",
            "notes_en": f"About: {title_en}.",
            "organization": org,
            "license_id": extra.pop("license_id", "CC-BY-4.0"),
            "maintainer": org.title_el,
            "maintainer_email": "data@thessaloniki.gr",
            **extra,
        },
        tags=tags,
        groups=[platform.theme_group(theme)],  # type: ignore[list-item]
        state=str(state),
    )


def upload(
    dataset: Dataset, name: str, filename: str, content: bytes, resource: Resource | None = None
) -> Resource:
    """A file uploaded, and loaded as the task would (tests hold the transaction open)."""
    made = services.add_resource(
        dataset=dataset,
        actor=None,
        name_el=name,
        name_en=name,
        upload=SimpleUploadedFile(filename, content),
        resource=resource,
    )
    services.load_datastore(resource_id=str(made.pk))
    made.refresh_from_db()
    return made


def make_catalogue() -> Catalogue:
    env = Organization.objects.create(
        name="environment",
        title_el="Διεύθυνση Περιβάλλοντος",
        title_en="Directorate of the Environment",
    )
    transport = Organization.objects.create(
        name="transport", title_el="Διεύθυνση Κινητικότητας", title_en="Directorate of Mobility"
    )
    air = _dataset(
        env,
        "air-quality",
        "Ποιότητα αέρα",
        "Air quality",
        "ENVI",
        ["περιβάλλον", "air"],
        temporal_start=dt.date(2026, 11, 1),
        temporal_end=dt.date(2026, 11, 30),
        spatial="Θεσσαλονίκη",
    )
    air_csv = upload(air, "Μετρήσεις", "air.csv", AIR_CSV)
    parking = _dataset(
        transport,
        "disabled-parking",
        "Θέσεις στάθμευσης ΑμεΑ",
        "Disabled parking",
        "TRAN",
        ["στάθμευση"],
    )
    services.add_resource(
        dataset=parking, actor=None, name_el="Χάρτης", link="https://example.org/parking.geojson"
    )
    budget = _dataset(
        transport,
        "old-budget",
        "Προϋπολογισμός 2019",
        "Budget 2019",
        "ECON",
        ["budget"],
        license_id="CC0-1.0",
    )
    Dataset.objects.filter(pk=budget.pk).update(modified=timezone.now() - dt.timedelta(days=400))
    draft = _dataset(
        env, "noise-draft", "Θόρυβος", "Noise", "ENVI", ["περιβάλλον"], state=State.DRAFT
    )
    private = _dataset(env, "private-one", "Εσωτερικό", "Internal", "GOVE", [], private=True)
    for d in (air, parking, budget, draft, private):
        d.refresh_from_db()
    air_csv.refresh_from_db()
    return Catalogue(env, transport, air, parking, budget, draft, private, air_csv)
