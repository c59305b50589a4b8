"""The datasets the platform publishes about itself, refreshed by scheduled tasks.

Each app declares its datasets on its manifest (``open_data=(OpenDataset(…),)``); this module
turns each into a catalogue dataset (``source="platform"``, ``platform_key`` its key) with one
resource per declared file, written to storage and — for tables — loaded into the datastore.
The catalogue never names an app: it reads the registry. A refresh that produces the same
bytes changes nothing; one that fails leaves the previous files and table in place.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import logging
import tempfile
from collections.abc import Iterable
from typing import IO, Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation

from dimos.core.registry import OpenDataFile, OpenDataset, Table, open_datasets
from dimos.core.tasks import enqueue_on_commit
from dimos.opendata import datastore, vocab
from dimos.opendata.models import (
    Dataset,
    Group,
    Organization,
    PlatformRefresh,
    Resource,
    State,
    Tag,
)
from dimos.opendata.slugs import transliterate

logger = logging.getLogger(__name__)

MUNICIPALITY_ORG = "dimos"


def both(text: Any) -> tuple[str, str]:
    """A translatable text in Greek and in English."""
    with translation.override("el"):
        el = str(text)
    with translation.override("en"):
        en = str(text)
    return el, en


def municipality_org() -> Organization:
    from dimos.core.selectors import current_municipality

    org = Organization.objects.filter(name=MUNICIPALITY_ORG).first()
    if org is not None:
        return org
    town = current_municipality()
    title_el = town.name_el if town is not None else "Δήμος"
    title_en = (town.name_en or "") if town is not None else "Municipality"
    org, _ = Organization.objects.get_or_create(
        name=MUNICIPALITY_ORG,
        defaults={
            "title_el": title_el,
            "title_en": title_en,
            "description_el": "Τα δεδομένα που δημοσιεύει η ίδια η πλατφόρμα του δήμου.",
            "description_en": "The data the municipality's platform publishes itself.",
        },
    )
    return org


def theme_group(code: str) -> Group | None:
    if code not in vocab.THEMES:
        return None
    el, en = vocab.THEMES[code]
    group, _ = Group.objects.get_or_create(
        theme=code,
        defaults={
            "name": transliterate(en).replace(" ", "-").replace(",", "")[:90] or code.lower(),
            "title_el": el,
            "title_en": en,
        },
    )
    return group


def tags_for(words: Iterable[str]) -> list[Tag]:
    found = []
    for word in words:
        name = word.strip()[:100]
        if name:
            found.append(Tag.objects.get_or_create(name=name)[0])
    return found


def _write_table(table: Table, out: IO[bytes]) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow(
            [
                "" if v is None else v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v
                for v in row
            ]
        )
    text.flush()
    text.detach()


def _produce(spec: OpenDataFile, out: IO[bytes]) -> str:
    """Write the file into ``out``; answers its format."""
    made = spec.produce()
    if isinstance(made, Table):
        _write_table(made, out)
        return "CSV"
    out.write(made if isinstance(made, bytes) else str(made).encode())
    return spec.format


def _sha256(handle: IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    handle.seek(0)
    while chunk := handle.read(1 << 20):
        digest.update(chunk)
        size += len(chunk)
    handle.seek(0)
    return digest.hexdigest(), size


EXT = {"CSV": "csv", "GeoJSON": "geojson", "JSON": "json", "XLSX": "xlsx"}


def _dataset_for(spec: OpenDataset) -> Dataset:
    title_el, title_en = both(spec.title)
    notes_el, notes_en = both(spec.description)
    words = [w for kw in spec.keywords for w in both(kw)]
    with transaction.atomic():
        dataset = Dataset.objects.select_for_update().filter(platform_key=spec.key).first()
        values = {
            "title_el": title_el,
            "title_en": title_en,
            "notes_el": notes_el,
            "notes_en": notes_en,
            "license_id": spec.license,
            "frequency": spec.frequency if spec.frequency in {c for c, _ in _freqs()} else "IRREG",
        }
        if dataset is None:
            taken = Dataset.objects.filter(name=spec.key).exists()
            dataset = Dataset(
                platform_key=spec.key,
                name=spec.key if not taken else f"{spec.key}-dimos",
                organization=municipality_org(),
                source=Dataset.Source.PLATFORM,
                state=State.ACTIVE,
                **values,
            )
            dataset.search_text = dataset.folded_words(tags=list(dict.fromkeys(words)))
            dataset.save()
        else:
            for name, value in values.items():
                setattr(dataset, name, value)
        tags = tags_for(dict.fromkeys(words))
        dataset.tags.set(tags)
        group = theme_group(spec.theme)
        if group is not None:
            dataset.groups.set([group])
        dataset.search_text = dataset.folded_words(tags=[t.name for t in tags])
        dataset.save()
    return dataset


def _freqs() -> list[tuple[str, str]]:
    from dimos.opendata.models import Frequency

    return [(str(code), str(label)) for code, label in Frequency.choices]


def _refresh_file(dataset: Dataset, spec: OpenDataFile, position: int) -> bool:
    """Produce one file; store it and load its table if its bytes changed (answers whether)."""
    with tempfile.TemporaryFile() as handle:
        fmt = _produce(spec, handle)
        digest, size = _sha256(handle)
        name_el, name_en = both(spec.name)
        desc_el, desc_en = both(spec.description) if spec.description else ("", "")
        resource = Resource.objects.filter(dataset=dataset, platform_key=spec.key).first()
        if resource is None:
            resource = Resource(dataset=dataset, platform_key=spec.key)
        resource.name_el, resource.name_en = name_el, name_en
        resource.description_el, resource.description_en = desc_el, desc_en
        resource.position = position
        resource.format = fmt
        resource.mimetype = vocab.format_info(fmt)[1]
        if resource.pk and resource.hash == f"sha256:{digest}" and resource.file:
            resource.save()
            return False
        old = resource.file.name if resource.file else ""
        filename = f"{dataset.name}-{spec.key}.{EXT.get(fmt, 'dat')}"
        resource.filename = filename
        resource.file.save(filename, File(handle, name=filename), save=False)
        resource.size = size
        resource.hash = f"sha256:{digest}"
        now = timezone.now()
        resource.last_modified = now
        resource.modified = now
        resource.save()
        if old and old != resource.file.name:
            resource.file.storage.delete(old)
        if fmt in datastore.TABULAR:
            result = datastore.load(resource, datastore.opener_for(resource.file), fmt)
            if not result.ok:
                logger.warning(
                    "open data %s/%s not loaded: %s", dataset.name, spec.key, result.problems
                )
        return True


def refresh(spec: OpenDataset) -> Dataset | None:
    """Refresh one registered dataset now. Answers the dataset (None if nothing to publish)."""
    if not spec.available():
        return None
    dataset = _dataset_for(spec)
    changed = False
    for position, file_spec in enumerate(spec.files):
        changed |= _refresh_file(dataset, file_spec, position)
    keep = {f.key for f in spec.files}
    for stale in dataset.resources.filter(platform_key__gt="").exclude(platform_key__in=keep):
        if stale.file:
            stale.file.storage.delete(stale.file.name)
        stale.delete()
        changed = True
    if changed:
        Dataset.objects.filter(pk=dataset.pk).update(modified=timezone.now())
    from dimos.opendata.selectors import catalogue_changed

    catalogue_changed()
    return dataset


def refresh_key(key: str, planned: str = "") -> str:
    """The scheduled task's work: refresh one dataset, then plan its next refresh."""
    spec = next((s for s in open_datasets() if s.key == key), None)
    if spec is None:
        return "unknown"
    with transaction.atomic():
        mark, _ = PlatformRefresh.objects.select_for_update().get_or_create(key=key)
        if planned and mark.planned_for is not None and mark.planned_for.isoformat() != planned:
            return "superseded"
    error = ""
    try:
        refresh(spec)
    except Exception as exc:  # one app's failing producer must not stop the others
        logger.exception("refreshing open dataset %s failed", key)
        error = f"{type(exc).__name__}: {exc}"[:1000]
    plan(spec, error=error)
    return "failed" if error else "done"


def plan(spec: OpenDataset, *, error: str = "") -> None:
    from dimos.opendata.tasks import refresh_dataset

    when = timezone.now() + dt.timedelta(hours=spec.refresh_hours)
    when = when.replace(microsecond=0)
    with transaction.atomic():
        mark, _ = PlatformRefresh.objects.select_for_update().get_or_create(key=spec.key)
        mark.last_run = timezone.now()
        mark.planned_for = when
        mark.last_error = error
        mark.save()
        enqueue_on_commit(refresh_dataset, spec.key, when.isoformat(), run_after=when)


def refresh_all() -> list[str]:
    """Refresh every registered dataset now (the demo, the command, the staff button)."""
    return [f"{spec.key}: {refresh_key(spec.key)}" for spec in open_datasets()]
