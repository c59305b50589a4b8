"""The catalogue's staff pages: datasets with their drafts, private ones and history; files
uploaded or linked, and what kept a table from loading, in plain words."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.core import audit
from dimos.core.permissions import staff_required
from dimos.core.registry import open_datasets
from dimos.opendata import platform, services
from dimos.opendata.datastore import Problem
from dimos.opendata.forms import DatasetForm, ResourceForm, StateForm
from dimos.opendata.models import Dataset, DatastoreTable, PlatformRefresh, Resource, State

PUBLISH = "opendata.publish_dataset"


@staff_required(perm=PUBLISH)
def home(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    datasets = Dataset.objects.select_related("organization").annotate(n=Count("resources"))
    if state in State.values:
        datasets = datasets.filter(state=state)
    failed = Resource.objects.filter(problems__0__isnull=False).select_related("dataset")
    refreshes = {r.key: r for r in PlatformRefresh.objects.all()}
    platform_rows = [(spec, refreshes.get(spec.key)) for spec in open_datasets()]
    return render(
        request,
        "opendata/staff/home.html",
        {
            "datasets": datasets.order_by("state", "-modified")[:500],
            "state": state,
            "states": State.choices,
            "failed": failed[:50],
            "platform_rows": platform_rows,
        },
    )


def _form_page(
    request: HttpRequest, form: DatasetForm, dataset: Dataset | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "opendata/staff/dataset_form.html",
        {"form": form, "dataset": dataset},
        status=status,
    )


@staff_required(perm=PUBLISH)
def create(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _form_page(
            request,
            DatasetForm(
                initial={"license_id": "CC-BY-4.0", "organization": platform.municipality_org().pk}
            ),
            None,
        )
    form = DatasetForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, None, 400)
    dataset = services.create_dataset(
        actor=request.user,
        values=form.values(),
        tags=form.cleaned_data["tags"],
        groups=list(form.cleaned_data["groups"]),
        request=request,
    )
    messages.success(
        request, _("The dataset was saved as a draft. Add its files, then publish it.")
    )
    return redirect("opendata_staff:dataset", pk=dataset.pk)


@staff_required(perm=PUBLISH)
def edit(request: HttpRequest, pk: Any) -> HttpResponse:
    dataset = get_object_or_404(Dataset, pk=pk)
    if request.method != "POST":
        return _form_page(request, DatasetForm(instance=dataset), dataset)
    form = DatasetForm(request.POST, instance=Dataset.objects.get(pk=pk))
    if not form.is_valid():
        return _form_page(request, form, dataset, 400)
    services.update_dataset(
        dataset=dataset,
        actor=request.user,
        values=form.values(),
        tags=form.cleaned_data["tags"],
        groups=list(form.cleaned_data["groups"]),
        request=request,
    )
    messages.success(request, _("The dataset was saved."))
    return redirect("opendata_staff:dataset", pk=dataset.pk)


@staff_required(perm=PUBLISH)
def detail(request: HttpRequest, pk: Any) -> HttpResponse:
    dataset = get_object_or_404(Dataset.objects.select_related("organization"), pk=pk)
    resources = list(dataset.resources.all())
    tables = {t.resource_id: t for t in DatastoreTable.objects.filter(resource__in=resources)}
    rows = [
        {
            "resource": r,
            "table": tables.get(r.pk),
            "problems": [Problem.from_dict(p).message() for p in r.problems],
        }
        for r in resources
    ]
    return render(
        request,
        "opendata/staff/dataset.html",
        {"dataset": dataset, "rows": rows, "changes": dataset.changes.select_related("actor")[:5]},
    )


@require_POST
@staff_required(perm=PUBLISH)
def change_state(request: HttpRequest, pk: Any) -> HttpResponse:
    dataset = get_object_or_404(Dataset, pk=pk)
    form = StateForm(request.POST)
    if form.is_valid():
        services.set_state(
            dataset=dataset, actor=request.user, state=form.cleaned_data["state"], request=request
        )
        messages.success(
            request,
            {
                "active": _("The dataset is published."),
                "draft": _("The dataset is a draft again: only staff see it."),
                "deleted": _("The dataset was withdrawn."),
            }[form.cleaned_data["state"]],
        )
    return redirect("opendata_staff:dataset", pk=dataset.pk)


@staff_required(perm=PUBLISH)
def history(request: HttpRequest, pk: Any) -> HttpResponse:
    dataset = get_object_or_404(Dataset, pk=pk)
    return render(
        request,
        "opendata/staff/history.html",
        {"dataset": dataset, "changes": dataset.changes.select_related("actor")[:200]},
    )


def _resource_page(
    request: HttpRequest,
    dataset: Dataset,
    form: ResourceForm,
    resource: Resource | None,
    status: int = 200,
) -> HttpResponse:
    problems = [Problem.from_dict(p).message() for p in resource.problems] if resource else []
    return render(
        request,
        "opendata/staff/resource_form.html",
        {"dataset": dataset, "form": form, "resource": resource, "problems": problems},
        status=status,
    )


def _save_resource(
    request: HttpRequest, dataset: Dataset, form: ResourceForm, resource: Resource | None
) -> Resource:
    data = form.cleaned_data
    return services.add_resource(
        dataset=dataset,
        actor=request.user,
        name_el=data["name_el"],
        name_en=data["name_en"],
        description_el=data["description_el"],
        description_en=data["description_en"],
        fmt=data["format"],
        upload=data.get("upload"),
        link=data.get("link") or "",
        resource=resource,
        request=request,
    )


def _after_save(request: HttpRequest, resource: Resource) -> None:
    resource.refresh_from_db()
    if resource.pending:
        messages.info(
            request, _("The file is being loaded as a table; this page shows how it went.")
        )
    elif resource.problems:
        messages.error(
            request,
            _("The file could not be loaded as a table. Nothing of it was loaded; see why below."),
        )
    elif DatastoreTable.objects.filter(resource=resource).exists():
        total = DatastoreTable.objects.get(resource=resource).total
        messages.success(
            request,
            _("The file was saved and its %(total)s rows loaded as a table.") % {"total": total},
        )
    else:
        messages.success(request, _("The file was saved."))


@staff_required(perm=PUBLISH)
def add_resource(request: HttpRequest, pk: Any) -> HttpResponse:
    dataset = get_object_or_404(Dataset, pk=pk)
    if request.method != "POST":
        return _resource_page(request, dataset, ResourceForm(), None)
    form = ResourceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _resource_page(request, dataset, form, None, 400)
    resource = _save_resource(request, dataset, form, None)
    _after_save(request, resource)
    return redirect("opendata_staff:resource", pk=dataset.pk, resource_id=resource.pk)


@staff_required(perm=PUBLISH)
def edit_resource(request: HttpRequest, pk: Any, resource_id: Any) -> HttpResponse:
    dataset = get_object_or_404(Dataset, pk=pk)
    resource = get_object_or_404(Resource, pk=resource_id, dataset=dataset)
    if request.method != "POST":
        form = ResourceForm(
            initial={
                "name_el": resource.name_el,
                "name_en": resource.name_en,
                "description_el": resource.description_el,
                "description_en": resource.description_en,
                "format": resource.format,
                "link": resource.link,
            },
            replacing=True,
        )
        return _resource_page(request, dataset, form, resource)
    form = ResourceForm(request.POST, request.FILES, replacing=True)
    if not form.is_valid():
        return _resource_page(request, dataset, form, resource, 400)
    resource = _save_resource(request, dataset, form, resource)
    _after_save(request, resource)
    return redirect("opendata_staff:resource", pk=dataset.pk, resource_id=resource.pk)


@require_POST
@staff_required(perm=PUBLISH)
def remove_resource(request: HttpRequest, pk: Any, resource_id: Any) -> HttpResponse:
    resource = get_object_or_404(Resource, pk=resource_id, dataset_id=pk)
    services.remove_resource(resource=resource, actor=request.user, request=request)
    messages.success(request, _("The file was removed."))
    return redirect("opendata_staff:dataset", pk=pk)


@require_POST
@staff_required(perm=PUBLISH)
def refresh(request: HttpRequest) -> HttpResponse:
    results = platform.refresh_all()
    audit.record(
        action="opendata.platform_refreshed", request=request, details={"count": len(results)}
    )
    messages.success(request, _("The platform's own datasets were refreshed."))
    return redirect("opendata_staff:home")
