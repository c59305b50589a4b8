"""Datasets, resources, organisations and groups as CKAN 2.10 dictionaries."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from dimos.opendata import vocab
from dimos.opendata.models import Dataset, Group, Organization, Resource, Tag


def iso(value: dt.datetime | None) -> str | None:
    """CKAN's times: ISO 8601 in UTC, without a time zone."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat()


def site() -> str:
    return settings.SITE_URL


def resource_url(resource: Resource) -> str:
    if resource.link:
        return resource.link
    if not resource.file:
        return ""
    path = reverse(
        "opendata:download",
        kwargs={
            "name": resource.dataset.name,
            "resource_id": resource.pk,
            "filename": resource.filename or "data",
        },
    )
    return site() + path


def resource_dict(resource: Resource, dataset: Dataset | None = None) -> dict[str, Any]:
    dataset = dataset or resource.dataset
    resource.dataset = dataset
    try:
        active = resource.table is not None
    except Resource.table.RelatedObjectDoesNotExist:  # type: ignore[attr-defined]
        active = False
    return {
        "id": str(resource.pk),
        "package_id": str(dataset.pk),
        "url": resource_url(resource),
        "name": resource.name_el,
        "name_translated": {"el": resource.name_el, "en": resource.name_en or resource.name_el},
        "description": resource.description_el,
        "format": resource.format,
        "mimetype": resource.mimetype or None,
        "size": resource.size,
        "hash": resource.hash,
        "position": resource.position,
        "created": iso(resource.created),
        "last_modified": iso(resource.last_modified),
        "metadata_modified": iso(resource.modified),
        "url_type": "upload" if resource.file else None,
        "state": "active",
        "datastore_active": active,
        "cache_url": None,
        "resource_type": None,
    }


def organization_dict(org: Organization, **extra: Any) -> dict[str, Any]:
    return {
        "id": str(org.pk),
        "name": org.name,
        "title": org.title_el,
        "display_name": org.title_el,
        "title_translated": {"el": org.title_el, "en": org.title_en or org.title_el},
        "type": "organization",
        "description": org.description_el,
        "image_url": "",
        "image_display_url": "",
        "created": iso(org.created),
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
        **extra,
    }


def group_dict(group: Group, **extra: Any) -> dict[str, Any]:
    return {
        "id": str(group.pk),
        "name": group.name,
        "title": group.title_el,
        "display_name": group.title_el,
        "title_translated": {"el": group.title_el, "en": group.title_en or group.title_el},
        "type": "group",
        "description": "",
        "image_url": "",
        "image_display_url": "",
        "created": iso(group.created),
        "is_organization": False,
        "approval_status": "approved",
        "state": "active",
        "theme_uri": vocab.THEME_BASE + group.theme,
        **extra,
    }


def tag_dict(tag: Tag) -> dict[str, Any]:
    return {
        "id": str(tag.pk),
        "name": tag.name,
        "display_name": tag.name,
        "state": "active",
        "vocabulary_id": None,
    }


def package_dict(dataset: Dataset) -> dict[str, Any]:
    lic = vocab.licence(dataset.license_id)
    tags = sorted(dataset.tags.all(), key=lambda t: t.name)
    groups = sorted(dataset.groups.all(), key=lambda g: g.name)
    resources = sorted(dataset.resources.all(), key=lambda r: (r.position, r.created))
    extras = [
        {"key": "frequency", "value": vocab.FREQUENCY_BASE + dataset.frequency},
        {"key": "language", "value": "el, en"},
    ]
    if dataset.spatial:
        extras.append({"key": "spatial_text", "value": dataset.spatial})
    if dataset.temporal_start:
        extras.append({"key": "temporal_start", "value": dataset.temporal_start.isoformat()})
    if dataset.temporal_end:
        extras.append({"key": "temporal_end", "value": dataset.temporal_end.isoformat()})
    if dataset.source == Dataset.Source.PLATFORM:
        extras.append({"key": "published_by", "value": "platform"})
    return {
        "id": str(dataset.pk),
        "name": dataset.name,
        "title": dataset.title_el,
        "title_translated": {"el": dataset.title_el, "en": dataset.title_en or dataset.title_el},
        "notes": dataset.notes_el,
        "notes_translated": {"el": dataset.notes_el, "en": dataset.notes_en or dataset.notes_el},
        "url": dataset.url or site() + reverse("opendata:dataset", kwargs={"name": dataset.name}),
        "version": dataset.version or None,
        "author": dataset.author or None,
        "author_email": dataset.author_email or None,
        "maintainer": dataset.maintainer or None,
        "maintainer_email": dataset.maintainer_email or None,
        "license_id": dataset.license_id,
        "license_title": lic.title if lic else dataset.license_id,
        "license_url": lic.url if lic else None,
        "isopen": bool(lic and lic.is_open),
        "type": "dataset",
        "owner_org": str(dataset.organization_id),
        "private": dataset.private,
        "state": dataset.state,
        "metadata_created": iso(dataset.created),
        "metadata_modified": iso(dataset.modified),
        "creator_user_id": None,
        "extras": extras,
        "tags": [tag_dict(t) for t in tags],
        "num_tags": len(tags),
        "groups": [
            {
                "id": str(g.pk),
                "name": g.name,
                "title": g.title_el,
                "display_name": g.title_el,
                "description": "",
                "image_display_url": "",
            }
            for g in groups
        ],
        "organization": organization_dict(dataset.organization),
        "resources": [resource_dict(r, dataset) for r in resources],
        "num_resources": len(resources),
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }


def status() -> dict[str, Any]:
    from dimos.core.selectors import current_municipality

    town = current_municipality()
    return {
        "ckan_version": "2.10.4",
        "site_title": town.name_el if town else "Dimos",
        "site_description": "",
        "site_url": site(),
        "error_emails_to": None,
        "locale_default": "el",
        "extensions": ["datastore", "dcat"],
    }


def new_id() -> str:
    return str(uuid.uuid4())


def now_iso() -> str | None:
    return iso(timezone.now())
