"""The CKAN Action API's actions, as CKAN 2.10 answers them (``ckan/logic/action/get.py``).

Each action takes the caller (:class:`Caller`) and the data dict and answers the ``result``;
errors are :mod:`dimos.opendata.ckan.errors`. Unknown keys of the data dict are ignored, as
CKAN's clients expect (``ckanapi`` sends ``include_private``, ``include_users``…).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse

from dimos.core.text import fold
from dimos.opendata import search, selectors, services, tables, vocab
from dimos.opendata.ckan import dicts
from dimos.opendata.ckan.errors import Invalid, NotAuthorized, NotFound, SearchError
from dimos.opendata.ckan.params import boolean, integer, json_dict, json_list, one, text
from dimos.opendata.models import Dataset, DatastoreTable, Group, Organization, State, Tag

MAX_ROWS = 1000
MAX_DATASTORE_LIMIT = 32000


@dataclass
class Caller:
    user: Any
    request: HttpRequest

    @property
    def manages(self) -> bool:
        return selectors.can_manage(self.user)


Action = Callable[[Caller, dict[str, Any]], Any]
ACTIONS: dict[str, Action] = {}
WRITES = {"package_create", "package_update", "package_patch", "resource_create"}


def action(func: Action) -> Action:
    ACTIONS[func.__name__] = func
    return func


# --- Site ----------------------------------------------------------------------------------------


@action
def status_show(caller: Caller, data: dict[str, Any]) -> Any:
    """Return the site's status: the CKAN version it answers as, title, URL, default locale and
    extensions."""
    return dicts.status()


@action
def site_read(caller: Caller, data: dict[str, Any]) -> Any:
    """Return ``True``: the site may be read."""
    return True


@action
def help_show(caller: Caller, data: dict[str, Any]) -> Any:
    """Return the help string of an action.

    :param name: the action's name
    """
    name = text(data, "name")
    func = ACTIONS.get(name)
    if func is None:
        raise NotFound("Action function not found")
    return (func.__doc__ or "").strip()


@action
def license_list(caller: Caller, data: dict[str, Any]) -> Any:
    """Return the licences datasets may have."""
    return [lic.ckan() for lic in vocab.LICENCES.values()]


# --- Datasets ------------------------------------------------------------------------------------


@action
def package_list(caller: Caller, data: dict[str, Any]) -> Any:
    """Return the names of the site's public datasets.

    :param limit: how many at most (optional)
    :param offset: where to start (optional)
    """
    limit = integer(data, "limit", 0, low=0) or None
    offset = integer(data, "offset", 0, low=0)
    names = Dataset.objects.public().order_by("name").values_list("name", flat=True)
    return list(names[offset : offset + limit] if limit else names[offset:])


@action
def current_package_list_with_resources(caller: Caller, data: dict[str, Any]) -> Any:
    """Return the datasets most recently changed, with their resources.

    :param limit: how many (default 10, at most 1000)
    :param offset: where to start
    """
    limit = integer(data, "limit", 10, low=1, high=MAX_ROWS)
    offset = integer(data, "offset", 0)
    found = selectors.with_details(Dataset.objects.public().order_by("-modified", "id"))
    return [dicts.package_dict(d) for d in found[offset : offset + limit]]


@action
def package_show(caller: Caller, data: dict[str, Any]) -> Any:
    """Return a dataset with its resources.

    :param id: the id or name of the dataset
    """
    key = text(data, "id") or text(data, "name")
    if not key:
        raise Invalid({"id": ["Missing value"]})
    dataset = selectors.dataset_by(key, caller.user)
    if dataset is None:
        if Dataset.objects.filter(Q(name=key)).exclude(state=State.DELETED).exists():
            raise NotAuthorized(f"User not authorized to read package {key}")
        raise NotFound("Dataset not found")
    return dicts.package_dict(dataset)


def _facet_fields(data: dict[str, Any]) -> list[str]:
    raw = data.get("facet.field")
    if raw is None:
        return []
    if isinstance(raw, list) and len(raw) == 1 and str(raw[0]).startswith("["):
        raw = raw[0]
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise Invalid({"facet.field": ["Cannot parse JSON"]}) from None
    if not isinstance(raw, list):
        raise Invalid({"facet.field": ["Must be a list"]})
    return [str(f) for f in raw]


@action
def package_search(caller: Caller, data: dict[str, Any]) -> Any:
    """Search the datasets.

    :param q: the words to find (default ``*:*``, everything)
    :param fq: a filter in Solr syntax (``organization:x``, ``tags:y``, ``res_format:CSV``,
        ``metadata_modified:[2024-01-01T00:00:00Z TO *]``…)
    :param fq_list: more such filters
    :param sort: ``score desc, metadata_modified desc`` by default; ``id asc``, ``name asc``…
    :param rows: how many (default 10, at most 1000)
    :param start: where to start
    :param facet.field: a JSON list of the facets to count (organization, groups, tags,
        res_format, license_id)
    :param facet.limit: how many values of each (default 50, -1 all)
    :param facet.mincount: the smallest count shown (default 1)
    :param include_private: the catalogue's staff see private datasets too
    :param include_drafts: the catalogue's staff see drafts too
    """
    rows = integer(data, "rows", 10, low=0, high=MAX_ROWS)
    start = integer(data, "start", 0, low=0)
    fq = [text(data, "fq")] if text(data, "fq") else []
    fq += [str(f) for f in json_list(data, "fq_list")]
    facet_fields = _facet_fields(data) if boolean(data, "facet", True) else []
    facet_limit = integer(data, "facet.limit", 50, low=-1)
    facet_mincount = integer(data, "facet.mincount", 1, low=0)
    sort = text(data, "sort") or "score desc, metadata_modified desc"
    try:
        found = selectors.search(
            q=text(data, "q"),
            fq=fq,
            sort=sort,
            rows=rows,
            start=start,
            facet_fields=facet_fields,
            facet_limit=facet_limit,
            facet_mincount=facet_mincount,
            user=caller.user,
            include_private=boolean(data, "include_private"),
            include_drafts=boolean(data, "include_drafts"),
        )
    except search.SearchQueryError as exc:
        raise SearchError(str(exc)) from None
    facets = {name: {key: n for key, _label, n in items} for name, items in found.facets.items()}
    search_facets = {
        name: {
            "title": name,
            "items": [{"name": key, "display_name": label, "count": n} for key, label, n in items],
        }
        for name, items in found.facets.items()
    }
    return {
        "count": found.count,
        "results": [dicts.package_dict(d) for d in found.results],
        "facets": facets,
        "search_facets": search_facets,
        "sort": sort,
    }


@action
def resource_show(caller: Caller, data: dict[str, Any]) -> Any:
    """Return a resource.

    :param id: the resource's id
    """
    key = text(data, "id")
    if not key:
        raise Invalid({"id": ["Missing value"]})
    resource = selectors.resource_by(key, caller.user)
    if resource is None:
        raise NotFound("Resource was not found.")
    return dicts.resource_dict(resource)


# --- Organisations, groups, tags ---------------------------------------------------------------


def _list_of(model: type, kind: str, caller: Caller, data: dict[str, Any]) -> Any:
    qs = model.objects.all()  # type: ignore[attr-defined]
    q = text(data, "q")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(title_el__icontains=q) | Q(title_en__icontains=q))
    sort = text(data, "sort") or "title asc"
    field, _, direction = sort.partition(" ")
    column = {"name": "name", "title": "title_el", "package_count": "n"}.get(
        field.strip(), "title_el"
    )
    public = Dataset.objects.public().values("pk")
    qs = qs.annotate(n=Count("datasets", filter=Q(datasets__in=public)))
    qs = qs.order_by(("-" if direction.strip().lower() == "desc" else "") + column, "name")
    limit = integer(data, "limit", 1000, low=0, high=1000)
    offset = integer(data, "offset", 0)
    page = list(qs[offset : offset + limit])
    if boolean(data, "all_fields"):
        make = dicts.organization_dict if kind == "organization" else dicts.group_dict
        return [make(item, package_count=item.n) for item in page]
    return [item.name for item in page]


@action
def organization_list(caller: Caller, data: dict[str, Any]) -> Any:
    """Return the publishers' names (or, with ``all_fields``, their dictionaries).

    :param sort: ``title asc`` (default), ``name``, ``package_count``
    :param limit: how many; :param offset: where to start; :param q: words of the name
    """
    return _list_of(Organization, "organization", caller, data)


@action
def group_list(caller: Caller, data: dict[str, Any]) -> Any:
    """Return the themes' names (or, with ``all_fields``, their dictionaries).

    :param sort: ``title asc`` (default), ``name``, ``package_count``
    :param limit: how many; :param offset: where to start; :param q: words of the name
    """
    return _list_of(Group, "group", caller, data)


def _show(model: type, kind: str, caller: Caller, data: dict[str, Any]) -> Any:
    import uuid

    key = text(data, "id")
    if not key:
        raise Invalid({"id": ["Missing value"]})
    try:
        found = model.objects.filter(Q(pk=uuid.UUID(key)) | Q(name=key)).first()  # type: ignore[attr-defined]
    except ValueError:
        found = model.objects.filter(name=key).first()  # type: ignore[attr-defined]
    if found is None:
        raise NotFound("Organization not found" if kind == "organization" else "Group not found")
    datasets = selectors.visible(caller.user)
    if kind == "organization":
        datasets = datasets.filter(organization=found)
    else:
        datasets = datasets.filter(groups=found)
    extra: dict[str, Any] = {}
    if boolean(data, "include_dataset_count", True):
        extra["package_count"] = datasets.count()
    if boolean(data, "include_datasets", False):
        extra["packages"] = [
            dicts.package_dict(d) for d in selectors.with_details(datasets.order_by("name"))[:1000]
        ]
    extra.update({"users": [], "extras": [], "tags": [], "groups": []})
    make = dicts.organization_dict if kind == "organization" else dicts.group_dict
    return make(found, **extra)


@action
def organization_show(caller: Caller, data: dict[str, Any]) -> Any:
    """Return a publisher.

    :param id: its id or name
    :param include_datasets: with its datasets (default false)
    :param include_dataset_count: with their number (default true)
    """
    return _show(Organization, "organization", caller, data)


@action
def group_show(caller: Caller, data: dict[str, Any]) -> Any:
    """Return a theme.

    :param id: its id or name
    :param include_datasets: with its datasets (default false)
    :param include_dataset_count: with their number (default true)
    """
    return _show(Group, "group", caller, data)


@action
def tag_list(caller: Caller, data: dict[str, Any]) -> Any:
    """Return the tags of public datasets.

    :param query: the start of the tags wanted
    :param vocabulary_id: the catalogue has no tag vocabularies: an empty list
    :param all_fields: the tags' dictionaries instead of their names
    """
    if text(data, "vocabulary_id"):
        return []
    qs = Tag.objects.filter(datasets__in=Dataset.objects.public().values("pk")).distinct()
    query = fold(text(data, "query") or text(data, "q"))
    found = [t for t in qs.order_by("name") if not query or query in fold(t.name)]
    if boolean(data, "all_fields"):
        return [dicts.tag_dict(t) for t in found]
    return [t.name for t in found]


# --- Datastore -----------------------------------------------------------------------------------


def _table_of(caller: Caller, resource_id: str) -> DatastoreTable:
    resource = selectors.resource_by(resource_id, caller.user)
    if resource is None:
        raise NotFound(f'Resource "{resource_id}" was not found.')
    table = DatastoreTable.objects.filter(resource=resource).first()
    if table is None:
        raise NotFound(f'Resource "{resource_id}" was not found.')
    return table


@action
def datastore_search(caller: Caller, data: dict[str, Any]) -> Any:
    """Search a tabular resource's rows.

    :param resource_id: the resource
    :param filters: ``{column: value or [values]}``
    :param q: words found anywhere in a row
    :param limit: how many rows (default 100, at most 32000)
    :param offset: where to start
    :param fields: the columns wanted (a list or ``a,b``)
    :param sort: ``"a, b desc"``
    :param include_total: with the number of rows found (default true)
    :param records_format: ``objects`` (default), ``lists``, ``csv`` or ``tsv``
    """
    resource_id = text(data, "resource_id") or text(data, "id")
    if not resource_id:
        raise Invalid({"resource_id": ["Missing value"]})
    table = _table_of(caller, resource_id)
    limit = integer(data, "limit", 100, low=0, high=MAX_DATASTORE_LIMIT)
    offset = integer(data, "offset", 0)
    raw_filters = json_dict(data, "filters")
    filters = {str(k): v if isinstance(v, list) else [v] for k, v in raw_filters.items()}
    q = one(data, "q", "")
    words = " ".join(str(v) for v in q.values()) if isinstance(q, dict) else str(q or "")
    raw_fields = data.get("fields")
    if isinstance(raw_fields, str):
        fields = [f.strip() for f in raw_fields.split(",") if f.strip()]
    elif isinstance(raw_fields, list):
        fields = [
            str(f).strip() for part in raw_fields for f in str(part).split(",") if str(f).strip()
        ]
    else:
        fields = []
    fmt = text(data, "records_format") or "objects"
    if fmt not in ("objects", "lists", "csv", "tsv"):
        raise Invalid(
            {"records_format": ["Value must be one of ['objects', 'lists', 'csv', 'tsv']"]}
        )
    try:
        sort = tables.parse_sort(table, text(data, "sort"))
        columns = tables.columns_of(table, fields)
        query = tables.Query(filters=filters, words=words, sort=sort)
        found = tables.rows(table, query)
    except tables.TableQueryError as exc:
        raise Invalid({exc.field: [exc.message]}) from None
    page = [tables.record(table, row, columns) for row in found[offset : offset + limit]]
    types = {"_id": "int", **table.types()}
    result: dict[str, Any] = {
        "resource_id": str(table.resource_id),
        "fields": [{"id": c, "type": types[c]} for c in columns],
        "limit": limit,
        "offset": offset,
        "_links": _links(caller.request, data, offset, limit),
        "records_format": fmt,
    }
    if fmt == "objects":
        result["records"] = page
    elif fmt == "lists":
        result["records"] = [[r[c] for c in columns] for r in page]
    else:
        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t")
        for r in page:
            writer.writerow(["" if r[c] is None else r[c] for c in columns])
        result["records"] = out.getvalue()
    if boolean(data, "include_total", True):
        result["total"] = found.count() if (filters or words) else table.total
        result["total_was_estimated"] = False
    return result


def _links(request: HttpRequest, data: dict[str, Any], offset: int, limit: int) -> dict[str, str]:
    from urllib.parse import urlencode

    base = reverse("opendata_ckan:action", kwargs={"name": "datastore_search"}).replace(
        "/api/3/action/", "/api/action/"
    )
    keep = {
        k: (v if not isinstance(v, (dict, list)) else json.dumps(v))
        for k, v in data.items()
        if k not in ("offset",)
    }
    return {
        "start": f"{base}?{urlencode(keep)}",
        "next": f"{base}?{urlencode({**keep, 'offset': offset + limit})}",
    }


# --- Writes (staff scripts, with an API token) ------------------------------------------------


def _need_publisher(caller: Caller, what: str) -> None:
    if not caller.manages:
        raise NotAuthorized(f"User not authorized to {what}")


def _form_values(data: dict[str, Any], instance: Dataset | None) -> Any:
    from dimos.opendata.forms import DatasetForm

    tags = data.get("tags")
    tag_names = (
        [t.get("name", "") if isinstance(t, dict) else str(t) for t in tags]
        if isinstance(tags, list)
        else str(tags or "").split(",")
    )
    groups = data.get("groups") or []
    group_names = [
        g.get("name", g.get("id", "")) if isinstance(g, dict) else str(g) for g in groups
    ]
    org_key = text(data, "owner_org")
    org = None
    if org_key:
        import uuid

        try:
            org = Organization.objects.filter(Q(pk=uuid.UUID(org_key)) | Q(name=org_key)).first()
        except ValueError:
            org = Organization.objects.filter(name=org_key).first()
        if org is None:
            raise Invalid({"owner_org": ["Organization does not exist"]})
    base: dict[str, Any] = {}
    if instance is not None:
        from dimos.opendata.services import _snapshot

        base = _snapshot(instance)
        base["organization"] = str(instance.organization_id)
        base["tags"] = ", ".join(base["tags"])
        base["groups"] = [str(g.pk) for g in instance.groups.all()]
    title = data.get("title_translated") or {}
    notes = data.get("notes_translated") or {}
    fields = {
        "name": text(data, "name", base.get("name", "")),
        "title_el": (title.get("el") if isinstance(title, dict) else None)
        or text(data, "title", base.get("title_el", "")),
        "title_en": (title.get("en") if isinstance(title, dict) else None)
        or base.get("title_en", ""),
        "notes_el": (notes.get("el") if isinstance(notes, dict) else None)
        or text(data, "notes", base.get("notes_el", "")),
        "notes_en": (notes.get("en") if isinstance(notes, dict) else None)
        or base.get("notes_en", ""),
        "organization": str(org.pk) if org else base.get("organization", ""),
        "license_id": text(data, "license_id", base.get("license_id", "CC-BY-4.0")),
        "version": text(data, "version", base.get("version", "")),
        "url": text(data, "url", base.get("url", "")),
        "author": text(data, "author", base.get("author", "")),
        "author_email": text(data, "author_email", base.get("author_email", "")),
        "maintainer": text(data, "maintainer", base.get("maintainer", "")),
        "maintainer_email": text(data, "maintainer_email", base.get("maintainer_email", "")),
        "frequency": base.get("frequency", "IRREG"),
        "spatial": base.get("spatial", ""),
        "temporal_start": base.get("temporal_start") or "",
        "temporal_end": base.get("temporal_end") or "",
        "tags": ", ".join(tag_names) if tags is not None else base.get("tags", ""),
        "groups": [str(g.pk) for g in Group.objects.filter(Q(name__in=group_names))]
        if groups
        else base.get("groups", []),
    }
    if boolean(data, "private", bool(base.get("private", False))):
        fields["private"] = "on"
    form = DatasetForm(fields, instance=instance)
    if not form.is_valid():
        names = {"title_el": "title", "notes_el": "notes", "organization": "owner_org"}
        raise Invalid({names.get(k, k): [str(m) for m in v] for k, v in form.errors.items()})
    return form


@action
def package_create(caller: Caller, data: dict[str, Any]) -> Any:
    """Create a dataset (staff of the catalogue, with an API token).

    :param name: its name in addresses; :param title: its title; :param notes: its description;
    :param owner_org: the publisher's id or name; :param license_id, tags, groups, private,
    version, url, author(_email), maintainer(_email); :param state: ``active`` (default) or
    ``draft``; :param resources: links, as ``[{url, name, format}]``
    """
    _need_publisher(caller, "create a package")
    form = _form_values(data, None)
    state = State.DRAFT if text(data, "state") == "draft" else State.ACTIVE
    dataset = services.create_dataset(
        actor=caller.user,
        values=form.values(),
        tags=form.cleaned_data["tags"],
        groups=list(form.cleaned_data["groups"]),
        state=state,
        request=caller.request,
    )
    for item in data.get("resources") or []:
        if isinstance(item, dict) and item.get("url"):
            services.add_resource(
                dataset=dataset,
                actor=caller.user,
                name_el=str(item.get("name") or item["url"])[:300],
                description_el=str(item.get("description") or ""),
                fmt=str(item.get("format") or ""),
                link=str(item["url"])[:500],
                request=caller.request,
            )
    return dicts.package_dict(selectors.dataset_by(str(dataset.pk), caller.user))  # type: ignore[arg-type]


def _own_dataset(caller: Caller, key: str) -> Dataset:
    dataset = selectors.dataset_by(key, caller.user) if key else None
    if dataset is None:
        raise NotFound("Dataset not found")
    return dataset


@action
def package_update(caller: Caller, data: dict[str, Any]) -> Any:
    """Change a dataset (staff of the catalogue, with an API token): the fields given replace
    those it has; resources are changed with ``resource_create``.

    :param id: the dataset's id or name
    """
    _need_publisher(caller, "edit package")
    dataset = _own_dataset(caller, text(data, "id") or text(data, "name"))
    form = _form_values(data, dataset)
    services.update_dataset(
        dataset=dataset,
        actor=caller.user,
        values=form.values(),
        tags=form.cleaned_data["tags"],
        groups=list(form.cleaned_data["groups"]),
        request=caller.request,
    )
    state = text(data, "state")
    if state in (State.ACTIVE, State.DRAFT, State.DELETED):
        services.set_state(dataset=dataset, actor=caller.user, state=state, request=caller.request)
    return dicts.package_dict(selectors.dataset_by(str(dataset.pk), caller.user))  # type: ignore[arg-type]


ACTIONS["package_patch"] = package_update


@action
def resource_create(caller: Caller, data: dict[str, Any]) -> Any:
    """Add a resource to a dataset: a link (``url``) or a file (``upload``, multipart).

    :param package_id: the dataset's id or name
    :param name: its name; :param description; :param format
    """
    _need_publisher(caller, "create a resource")
    dataset = _own_dataset(caller, text(data, "package_id"))
    upload = caller.request.FILES.get("upload")
    url = text(data, "url")
    if upload is None and not url:
        raise Invalid({"url": ["Missing value"]})
    from dimos.opendata.forms import ResourceForm

    form = ResourceForm(
        {
            "name_el": text(data, "name") or ((upload.name or "") if upload else url)[:300],
            "link": "" if upload else url,
            "description_el": text(data, "description"),
            "format": text(data, "format"),
        },
        {"upload": upload} if upload else {},
    )
    if not form.is_valid():
        raise Invalid(
            {("url" if k == "link" else k): [str(m) for m in v] for k, v in form.errors.items()}
        )
    resource = services.add_resource(
        dataset=dataset,
        actor=caller.user,
        name_el=form.cleaned_data["name_el"],
        description_el=form.cleaned_data["description_el"],
        fmt=form.cleaned_data["format"],
        upload=upload,
        link=form.cleaned_data["link"],
        request=caller.request,
    )
    resource.refresh_from_db()
    return dicts.resource_dict(resource, dataset)
