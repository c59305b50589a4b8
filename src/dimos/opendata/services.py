"""Writes of the catalogue: datasets, resources, their history and audit (one transaction each;
files are written before, tables loaded in a task after)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from dimos.core import audit
from dimos.core.tasks import enqueue_on_commit
from dimos.opendata import datastore, vocab
from dimos.opendata.models import Dataset, DatasetChange, Group, Resource, State, Tag
from dimos.opendata.selectors import catalogue_changed

DATASET_FIELDS = (
    "name",
    "title_el",
    "title_en",
    "notes_el",
    "notes_en",
    "organization",
    "license_id",
    "version",
    "url",
    "author",
    "author_email",
    "maintainer",
    "maintainer_email",
    "frequency",
    "temporal_start",
    "temporal_end",
    "spatial",
    "private",
)


def _snapshot(dataset: Dataset) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in DATASET_FIELDS:
        value = getattr(dataset, "organization_id" if name == "organization" else name)
        out[name] = (
            value.isoformat()
            if hasattr(value, "isoformat")
            else str(value)
            if name == "organization"
            else value
        )
    out["state"] = dataset.state
    out["tags"] = sorted(t.name for t in dataset.tags.all())
    out["groups"] = sorted(g.name for g in dataset.groups.all())
    return out


def _log(dataset: Dataset, actor: Any, summary: str, fields: list[str]) -> None:
    DatasetChange.objects.create(
        dataset=dataset,
        actor=actor if actor is not None and actor.pk else None,
        summary=summary,
        fields=fields,
        snapshot=_snapshot(dataset),
    )


def _set_words(dataset: Dataset, tags: list[str] | None, groups: list[Group] | None) -> None:
    if tags is not None:
        dataset.tags.set(
            [Tag.objects.get_or_create(name=t.strip()[:100])[0] for t in tags if t.strip()]
        )
    if groups is not None:
        dataset.groups.set(groups)
    dataset.search_text = dataset.folded_words()
    dataset.save(update_fields=["search_text"])


@transaction.atomic
def create_dataset(
    *,
    actor: Any,
    values: dict[str, Any],
    tags: list[str] | None = None,
    groups: list[Group] | None = None,
    state: str = State.DRAFT,
    request: HttpRequest | None = None,
) -> Dataset:
    dataset = Dataset(**{k: v for k, v in values.items() if k in DATASET_FIELDS}, state=state)
    dataset.save()
    _set_words(dataset, tags or [], groups or [])
    _log(dataset, actor, "created", sorted(values))
    audit.record(
        action="opendata.dataset_created",
        actor=actor,
        target=dataset,
        request=request,
        details={"name": dataset.name},
    )
    catalogue_changed()
    return dataset


@transaction.atomic
def update_dataset(
    *,
    dataset: Dataset,
    actor: Any,
    values: dict[str, Any],
    tags: list[str] | None = None,
    groups: list[Group] | None = None,
    request: HttpRequest | None = None,
) -> Dataset:
    dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
    before = _snapshot(dataset)
    for name, value in values.items():
        if name in DATASET_FIELDS:
            setattr(dataset, name, value)
    dataset.modified = timezone.now()
    dataset.save()
    _set_words(dataset, tags, groups)
    after = _snapshot(dataset)
    changed = sorted(k for k in after if before.get(k) != after.get(k))
    if changed:
        _log(dataset, actor, "changed", changed)
        audit.record(
            action="opendata.dataset_changed",
            actor=actor,
            target=dataset,
            request=request,
            details={"name": dataset.name, "fields": ", ".join(changed)},
        )
    catalogue_changed()
    return dataset


@transaction.atomic
def set_state(
    *, dataset: Dataset, actor: Any, state: str, request: HttpRequest | None = None
) -> Dataset:
    dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
    if dataset.state == state:
        return dataset
    dataset.state = state
    dataset.modified = timezone.now()
    dataset.save(update_fields=["state", "modified"])
    action = {
        State.ACTIVE: "opendata.dataset_published",
        State.DRAFT: "opendata.dataset_unpublished",
        State.DELETED: "opendata.dataset_withdrawn",
    }[State(state)]
    _log(dataset, actor, str(state), ["state"])
    audit.record(
        action=action, actor=actor, target=dataset, request=request, details={"name": dataset.name}
    )
    catalogue_changed()
    return dataset


def _digest(upload: Any) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    upload.seek(0)
    for chunk in (
        upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(1 << 20), b"")
    ):
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return f"sha256:{digest.hexdigest()}", size


def format_of(name: str, given: str = "") -> str:
    if given:
        upper = given.strip().upper().lstrip(".")
        return "GeoJSON" if upper == "GEOJSON" else upper[:20]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return vocab.EXTENSIONS.get(ext, ext.upper()[:20])


def add_resource(
    *,
    dataset: Dataset,
    actor: Any,
    name_el: str,
    name_en: str = "",
    description_el: str = "",
    description_en: str = "",
    fmt: str = "",
    upload: UploadedFile | None = None,
    link: str = "",
    resource: Resource | None = None,
    request: HttpRequest | None = None,
) -> Resource:
    """A new resource (or a new file for ``resource``): an upload or a link. A CSV or XLSX
    upload waits as ``pending`` until a task has loaded it; the file before stays till then."""
    new = resource is None
    resource = resource or Resource(dataset=dataset, position=dataset.resources.count())
    resource.name_el, resource.name_en = name_el, name_en
    resource.description_el, resource.description_en = description_el, description_en
    now = timezone.now()
    tabular = False
    if upload is not None:
        filename = (upload.name or "data").rsplit("/", 1)[-1][:150]
        resource.format = format_of(filename, fmt)
        resource.mimetype = vocab.format_info(resource.format)[1]
        tabular = resource.format in datastore.TABULAR
        hash_, size = _digest(upload)
        if tabular:
            resource.pending.save(filename, upload, save=False)
            resource.pending_name = filename
        else:
            old = resource.file.name if resource.file else ""
            resource.file.save(filename, upload, save=False)
            resource.filename = filename
            resource.size, resource.hash = size, hash_
            resource.last_modified = now
            if old:
                resource.file.storage.delete(old)
        resource.link = ""
    elif link:
        resource.link = link
        resource.format = format_of(link.split("?")[0], fmt)
        resource.mimetype = vocab.format_info(resource.format)[1]
        resource.last_modified = now
    elif fmt:
        resource.format = format_of("", fmt)
    resource.modified = now
    with transaction.atomic():
        resource.save()
        Dataset.objects.filter(pk=dataset.pk).update(modified=now)
        _log(dataset, actor, "resource added" if new else "resource changed", ["resources"])
        audit.record(
            action="opendata.resource_added" if new else "opendata.resource_changed",
            actor=actor,
            target=dataset,
            request=request,
            details={"name": dataset.name, "resource": resource.name_el},
        )
        if tabular:
            from dimos.opendata.tasks import load_resource

            enqueue_on_commit(load_resource, str(resource.pk))
        catalogue_changed()
    return resource


def load_datastore(*, resource_id: str) -> bool:
    """Load a resource's waiting upload into its table. On success the upload becomes the
    resource's file; on failure it is dropped and the file and table before stay (the
    problems kept on the resource for staff). A new resource keeps the file either way."""
    resource = Resource.objects.filter(pk=resource_id).first()
    if resource is None or not resource.pending:
        return False
    result = datastore.load(resource, datastore.opener_for(resource.pending), resource.format)
    resource.refresh_from_db()
    keep = result.ok or not resource.file
    if keep:
        with datastore.opener_for(resource.pending)() as handle:
            hash_, size = _digest(handle)
        old = resource.file.name if resource.file else ""
        resource.file.name = resource.pending.name
        resource.filename = resource.pending_name
        resource.size, resource.hash = size, hash_
        resource.last_modified = timezone.now()
        if old and old != resource.file.name:
            resource.file.storage.delete(old)
    else:
        resource.pending.storage.delete(resource.pending.name)
    resource.pending = ""  # type: ignore[assignment]
    resource.pending_name = ""
    resource.save()
    catalogue_changed()
    return result.ok


@transaction.atomic
def remove_resource(*, resource: Resource, actor: Any, request: HttpRequest | None = None) -> None:
    dataset = resource.dataset
    name = resource.name_el
    files = [f.name for f in (resource.file, resource.pending) if f]
    storage = resource.file.storage
    resource.delete()
    Dataset.objects.filter(pk=dataset.pk).update(modified=timezone.now())
    _log(dataset, actor, "resource removed", ["resources"])
    audit.record(
        action="opendata.resource_removed",
        actor=actor,
        target=dataset,
        request=request,
        details={"name": dataset.name, "resource": name},
    )
    transaction.on_commit(lambda: [storage.delete(f) for f in files])
    catalogue_changed()
