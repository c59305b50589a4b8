"""Background tasks of the catalogue: thin, safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def refresh_dataset(key: str, planned: str = "") -> str:
    """Refresh one of the platform's datasets and plan the next refresh (``run_after``)."""
    from dimos.opendata import platform

    return platform.refresh_key(key, planned)


@task()
def load_resource(resource_id: str) -> bool:
    """Load an uploaded CSV or XLSX resource into the datastore."""
    from dimos.opendata import services

    return services.load_datastore(resource_id=resource_id)
