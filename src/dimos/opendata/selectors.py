"""Reads of the catalogue: who sees which datasets, the search with its facets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from dimos.core.cached import Version
from dimos.opendata import search as s
from dimos.opendata.models import SEARCH_INDEX, Dataset, Group, Organization, Resource, State, Tag

CATALOGUE = Version("opendata")

FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id")


def catalogue_changed() -> None:
    CATALOGUE.changed()


def can_manage(user: Any) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_perm("opendata.publish_dataset")
    )


def visible(
    user: Any = None, *, include_private: bool = False, include_drafts: bool = False
) -> QuerySet[Dataset]:
    """Datasets ``user`` may see: the public ones, and for the catalogue's staff (when asked)
    private datasets and drafts too."""
    qs = Dataset.objects.exclude(state=State.DELETED)
    if can_manage(user):
        if not include_private:
            qs = qs.filter(private=False)
        if not include_drafts:
            qs = qs.filter(state=State.ACTIVE)
        return qs
    return qs.filter(state=State.ACTIVE, private=False)


def with_details(qs: QuerySet[Dataset]) -> QuerySet[Dataset]:
    return qs.select_related("organization").prefetch_related(
        "groups",
        "tags",
        Prefetch(
            "resources", queryset=Resource.objects.select_related("table").defer("table__fields")
        ),
    )


@dataclass
class Found:
    count: int
    results: list[Dataset]
    facets: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)


def facet_counts(
    qs: QuerySet[Dataset], name: str, limit: int = 50, mincount: int = 1
) -> list[tuple[str, str, int]]:
    """``(name, display name, count)`` of one facet over the datasets found, most first."""
    ids = qs.order_by().values("pk")
    rows: list[tuple[str, str, int]]
    if name == "organization":
        # One GROUP BY over the datasets found; the publishers' names read after, by id.
        counts = dict(qs.order_by().values_list("organization_id").annotate(n=Count("pk")))
        orgs = Organization.objects.filter(pk__in=list(counts))
        rows = [(o.name, o.title, counts[o.pk]) for o in orgs]
    elif name in ("groups", "tags"):
        through = getattr(Dataset, name).through
        column = "group_id" if name == "groups" else "tag_id"
        counts = dict(
            through.objects.filter(dataset_id__in=ids)
            .values_list(column)
            .annotate(n=Count("dataset_id"))
        )
        if name == "groups":
            rows = [
                (g.name, g.title, counts[g.pk]) for g in Group.objects.filter(pk__in=list(counts))
            ]
        else:
            rows = [(t.name, t.name, counts[t.pk]) for t in Tag.objects.filter(pk__in=list(counts))]
    elif name == "res_format":
        rows = [
            (r["format"], r["format"], r["n"])
            for r in Resource.objects.filter(dataset_id__in=ids)
            .exclude(format="")
            .values("format")
            .annotate(n=Count("dataset_id", distinct=True))
        ]
    elif name == "license_id":
        from dimos.opendata.vocab import LICENCES

        rows = []
        for r in qs.order_by().values("license_id").annotate(n=Count("pk")):
            lic = LICENCES.get(r["license_id"])
            rows.append((r["license_id"], lic.title if lic else r["license_id"], r["n"]))
    else:
        return []
    merged: dict[str, tuple[str, str, int]] = {}
    for key, label, n in rows:
        merged[key] = (key, label, n)
    ordered = sorted(merged.values(), key=lambda item: (-item[2], item[0]))
    ordered = [item for item in ordered if item[2] >= mincount]
    return ordered if limit < 0 else ordered[:limit]


def search(
    *,
    q: str = "",
    fq: list[str] | None = None,
    sort: str = "",
    rows: int = 10,
    start: int = 0,
    facet_fields: tuple[str, ...] | list[str] = (),
    facet_limit: int = 50,
    facet_mincount: int = 1,
    user: Any = None,
    include_private: bool = False,
    include_drafts: bool = False,
) -> Found:
    """Raises :class:`dimos.opendata.search.SearchQueryError` on a query it cannot read."""
    qs = visible(user, include_private=include_private, include_drafts=include_drafts)
    qs = qs.filter(s.q_filter(q))
    for clause in fq or ():
        qs = qs.filter(s.parse(clause))
    terms = s.ranking_terms(q)
    order = s.order_by(sort, ranked=bool(terms))
    count = qs.count()
    listed = SEARCH_INDEX.ranked(qs, terms) if s.SCORE in {o.lstrip("-") for o in order} else qs
    page = list(with_details(listed.order_by(*order))[start : start + rows]) if rows else []
    facets = {
        name: facet_counts(qs, name, facet_limit, facet_mincount)
        for name in facet_fields
        if name in FACET_FIELDS
    }
    return Found(count=count, results=page, facets=facets)


def dataset_by(id_or_name: str, user: Any = None) -> Dataset | None:
    """A dataset by its id or name, if ``user`` may see it (staff see drafts and private ones)."""
    import uuid

    qs = visible(user, include_private=True, include_drafts=True)
    try:
        key = Q(pk=uuid.UUID(str(id_or_name))) | Q(name=id_or_name)
    except ValueError:
        key = Q(name=id_or_name)
    return with_details(qs.filter(key)).first()


def resource_by(resource_id: str, user: Any = None) -> Resource | None:
    import uuid

    try:
        pk = uuid.UUID(str(resource_id))
    except ValueError:
        return None
    resource = (
        Resource.objects.select_related("dataset", "dataset__organization").filter(pk=pk).first()
    )
    if resource is None:
        return None
    if (
        not visible(user, include_private=True, include_drafts=True)
        .filter(pk=resource.dataset_id)
        .exists()
    ):
        return None
    return resource
