"""The catalogue's public pages: search with facets, a dataset, a resource's preview (an
accessible table that sorts, filters and pages without JavaScript, and a map for GeoJSON and
point columns), downloads of the whole file or of the rows filtered (CSV, JSON)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dimos.core.pagecache import cache_anonymous_page
from dimos.opendata import search, selectors, tables, vocab
from dimos.opendata.ckan.dicts import resource_url
from dimos.opendata.datastore import Problem
from dimos.opendata.models import DatastoreTable, Resource

PAGE_SIZE = 20
ROWS_PER_PAGE = (25, 50, 100)
# Pages kept for anonymous visitors until the catalogue changes (every write bumps its version).
PAGE_SECONDS = 900
MAX_FILTERS = 10
MAP_POINTS = 2000


def _catalogue_version(request: HttpRequest) -> str:
    return selectors.CATALOGUE()


kept = cache_anonymous_page(timeout=PAGE_SECONDS, prefix="opendata", vary=_catalogue_version)


def _facet_titles() -> dict[str, str]:
    return {
        "organization": _("Publisher"),
        "groups": _("Theme"),
        "res_format": _("Format"),
        "license_id": _("Licence"),
        "tags": _("Keyword"),
    }


@require_GET
@kept
def index(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:200]
    chosen = {name: request.GET.getlist(name)[:5] for name in selectors.FACET_FIELDS}
    fq = []
    for name, values in chosen.items():
        for value in values:
            fq.append(f'{name}:"{value.replace(chr(34), "")}"')
    sort = request.GET.get("sort", "")
    sorts = {
        "": "score desc, metadata_modified desc",
        "name": "title_string asc",
        "new": "metadata_created desc",
    }
    try:
        page_no = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        page_no = 1
    try:
        found = selectors.search(
            q=q if ":" not in q else q.replace(":", " "),
            fq=fq,
            sort=sorts.get(sort, sorts[""]),
            rows=PAGE_SIZE,
            start=(page_no - 1) * PAGE_SIZE,
            facet_fields=selectors.FACET_FIELDS,
            facet_limit=10,
            user=request.user,
        )
    except search.SearchQueryError:
        found = selectors.Found(count=0, results=[])
    paginator = Paginator(range(found.count), PAGE_SIZE)
    page = paginator.get_page(page_no)
    titles = _facet_titles()
    facets = [
        {
            "name": name,
            "title": titles[name],
            "items": [
                {"value": key, "label": label, "count": n, "chosen": key in chosen[name]}
                for key, label, n in items
            ],
        }
        for name, items in found.facets.items()
        if items
    ]
    return render(
        request,
        "opendata/index.html",
        {
            "q": q,
            "found": found,
            "page": page,
            "facets": facets,
            "sort": sort,
            "chosen": [(name, v) for name, values in chosen.items() for v in values],
        },
    )


def _dataset_or_404(request: HttpRequest, name: str) -> Any:
    found = selectors.dataset_by(name, request.user)
    if found is None or found.name != name:
        raise Http404
    return found


@require_GET
@kept
def dataset(request: HttpRequest, name: str) -> HttpResponse:
    found = _dataset_or_404(request, name)
    lic = vocab.licence(found.license_id)
    resources = sorted(found.resources.all(), key=lambda r: (r.position, r.created))
    for r in resources:
        r.dataset = found
        r.url = resource_url(r)
    return render(
        request,
        "opendata/dataset.html",
        {
            "dataset": found,
            "licence": lic,
            "resources": resources,
            "api_url": f"/api/3/action/package_show?id={found.name}",
            "frequency": found.get_frequency_display(),
        },
    )


def _resource_or_404(request: HttpRequest, name: str, resource_id: Any) -> Resource:
    found = selectors.resource_by(str(resource_id), request.user)
    if found is None or found.dataset.name != name:
        raise Http404
    return found


def _table_query(
    request: HttpRequest, table: DatastoreTable
) -> tuple[tables.Query, dict[str, str]]:
    """The preview's filters (``f.<column>=value``), words (``q``) and sort (``sort``,
    ``-column`` descending) from the address."""
    columns = table.column_ids()
    filters: dict[str, list[Any]] = {}
    shown: dict[str, str] = {}
    for column in columns:
        value = request.GET.get(f"f.{column}", "").strip()[:200]
        if value and len(filters) < MAX_FILTERS:
            filters[column] = [value]
            shown[column] = value
    sort_key = request.GET.get("sort", "")
    sort = []
    if sort_key.lstrip("-") in columns:
        sort = [(sort_key.lstrip("-"), sort_key.startswith("-"))]
    return tables.Query(filters=filters, words=request.GET.get("q", "")[:200], sort=sort), shown


@require_GET
@kept
def resource(request: HttpRequest, name: str, resource_id: Any) -> HttpResponse:
    res = _resource_or_404(request, name, resource_id)
    table = DatastoreTable.objects.filter(resource=res).first()
    context: dict[str, Any] = {
        "dataset": res.dataset,
        "resource": res,
        "download_url": resource_url(res),
        "table": table,
        "tile_url": settings.DIMOS_TILE_URL,
        "tile_attribution": settings.DIMOS_TILE_ATTRIBUTION,
        "is_geojson": res.format.upper() == "GEOJSON" and bool(res.file),
    }
    if table is not None:
        query, shown = _table_query(request, table)
        try:
            per_page = int(request.GET.get("rows") or ROWS_PER_PAGE[0])
        except ValueError:
            per_page = ROWS_PER_PAGE[0]
        per_page = per_page if per_page in ROWS_PER_PAGE else ROWS_PER_PAGE[0]
        found = tables.rows(table, query)
        total = found.count() if (query.filters or query.words) else table.total
        paginator = Paginator(range(total), per_page)
        page = paginator.get_page(request.GET.get("page"))
        start = (page.number - 1) * per_page
        columns = table.column_ids()
        numeric = [f["type"] in ("int", "numeric") for f in table.fields]
        records = [
            list(zip([row.data.get(c) for c in columns], numeric, strict=True))
            for row in found[start : start + per_page]
        ]
        sort_key = request.GET.get("sort", "")
        headers = []
        for field in table.fields:
            column = field["id"]
            current = (
                "ascending"
                if sort_key == column
                else "descending"
                if sort_key == f"-{column}"
                else ""
            )
            headers.append(
                {
                    "id": column,
                    "type": field["type"],
                    "sort": current,
                    "next": f"-{column}" if sort_key == column else column,
                    "filter": shown.get(column, ""),
                    "numeric": field["type"] in ("int", "numeric"),
                }
            )
        context.update(
            {
                "headers": headers,
                "records": records,
                "page": page,
                "total": total,
                "per_page": per_page,
                "rows_choices": ROWS_PER_PAGE,
                "q": query.words,
                "filtered": bool(query.filters or query.words),
                "point": table.point,
                "export_query": request.GET.urlencode(),
            }
        )
        if table.point:
            context["points_url"] = (
                reverse(
                    "opendata:rows", kwargs={"name": name, "resource_id": res.pk, "fmt": "geojson"}
                )
                + "?"
                + request.GET.urlencode()
            )
    else:
        context["problems"] = [Problem.from_dict(p).message() for p in res.problems]
    return render(request, "opendata/resource.html", context)


@require_GET
def download(request: HttpRequest, name: str, resource_id: Any, filename: str) -> HttpResponseBase:
    res = _resource_or_404(request, name, resource_id)
    if res.link:
        return HttpResponseRedirect(res.link)
    if not res.file:
        raise Http404
    try:
        handle = res.file.storage.open(res.file.name, "rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=res.filename or filename)
    response["Content-Type"] = res.mimetype or "application/octet-stream"
    response["Access-Control-Allow-Origin"] = "*"
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(columns: list[str], records: Iterator[dict[str, Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(columns)
    for record in records:
        yield writer.writerow(["" if record[c] is None else record[c] for c in columns])


def _json_lines(
    columns: list[str], records: Iterator[dict[str, Any]], fields: list[dict[str, str]]
) -> Iterator[str]:
    yield '{"fields": ' + json.dumps(fields, ensure_ascii=False) + ', "records": ['
    first = True
    for record in records:
        yield ("" if first else ",\n") + json.dumps(record, ensure_ascii=False)
        first = False
    yield "]}\n"


def _geojson_lines(table: DatastoreTable, records: Iterator[dict[str, Any]]) -> Iterator[str]:
    lat, lon = table.point
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    for n, record in enumerate(records):
        if n >= MAP_POINTS:
            break
        y, x = record.get(lat), record.get(lon)
        if not isinstance(x, (int, float)) or not isinstance(y, (int, float)):
            continue
        feature = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [x, y]},
            "properties": {k: v for k, v in record.items() if k not in (lat, lon)},
        }
        yield ("" if first else ",\n") + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "]}\n"


@require_GET
def rows_export(request: HttpRequest, name: str, resource_id: Any, fmt: str) -> HttpResponseBase:
    """The rows of the table as CSV, JSON or GeoJSON (points), filtered as the preview is."""
    res = _resource_or_404(request, name, resource_id)
    table = DatastoreTable.objects.filter(resource=res).first()
    if (
        table is None
        or fmt not in ("csv", "json", "geojson")
        or (fmt == "geojson" and not table.point)
    ):
        raise Http404
    query, _shown = _table_query(request, table)
    columns = ["_id", *table.column_ids()]
    records = tables.stream(table, query, columns)
    stem = f"{res.dataset.name}-{str(res.pk)[:8]}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            _csv_lines(columns, records), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "json":
        fields = [{"id": "_id", "type": "int"}, *table.fields]
        response = StreamingHttpResponse(
            _json_lines(columns, records, fields), content_type="application/json"
        )
    else:
        response = StreamingHttpResponse(
            _geojson_lines(table, records), content_type="application/geo+json"
        )
    if fmt != "geojson":
        response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
