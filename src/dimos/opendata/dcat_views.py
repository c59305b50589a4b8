"""DCAT-AP 3 endpoints: the catalogue paged with hydra, a dataset alone."""

from __future__ import annotations

import datetime as dt

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.urls import reverse
from django.views.decorators.http import require_GET

from dimos.opendata import dcat, selectors
from dimos.opendata.models import Dataset


def _respond(body: bytes, fmt: str) -> HttpResponse:
    response = HttpResponse(body, content_type=dcat.FORMATS[fmt][1])
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def catalogue(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in dcat.FORMATS:
        raise Http404
    try:
        page = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        return HttpResponseBadRequest("page must be a whole number")
    qs = Dataset.objects.public()
    query = ""
    since = request.GET.get("modified_since")
    if since:
        try:
            moment = dt.datetime.fromisoformat(since.replace("Z", "+00:00"))
        except ValueError:
            return HttpResponseBadRequest("modified_since must be an ISO 8601 date and time")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        qs = qs.filter(modified__gte=moment)
        query = f"modified_since={since}&"
    total = qs.count()
    start = (page - 1) * dcat.PAGE_SIZE
    datasets = list(
        selectors.with_details(qs.order_by("-modified", "id"))[start : start + dcat.PAGE_SIZE]
    )
    base = request.build_absolute_uri(request.path)
    graph = dcat.catalogue_graph(datasets, page=page, total=total, base=base, query=query)
    return _respond(dcat.serialize(graph, fmt), fmt)


@require_GET
def dataset(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    if fmt not in dcat.FORMATS:
        raise Http404
    found = selectors.dataset_by(name)
    if found is None:
        raise Http404
    return _respond(dcat.serialize(dcat.dataset_graph(found), fmt), fmt)


@require_GET
def dataset_uri(request: HttpRequest, pk: object) -> HttpResponse:
    """A dataset's URI in the DCAT-AP output (``/dataset/<id>``): its page."""
    found = selectors.dataset_by(str(pk))
    if found is None:
        raise Http404
    return HttpResponseRedirect(reverse("opendata:dataset", kwargs={"name": found.name}))
