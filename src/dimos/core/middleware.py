"""Middleware of the core."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse


class HealthCheckMiddleware:
    """Answers /healthz and /readyz before sessions, CSRF and host checks.

    Load balancers probe by IP address, which ALLOWED_HOSTS would reject, and the probes
    must not create sessions.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/healthz":
            return JsonResponse({"status": "ok"})
        if request.path == "/readyz":
            return self.ready(check_queue=request.GET.get("skip") != "queue")
        return self.get_response(request)

    @staticmethod
    def ready(*, check_queue: bool = True) -> HttpResponse:
        checks: dict[str, str] = {}
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            checks["database"] = "ok"
        except Exception as exc:
            checks["database"] = f"error: {type(exc).__name__}"
        try:
            from django_tasks import default_task_backend

            backend = default_task_backend
            if backend.__class__.__module__.startswith("django_tasks_db"):
                from django_tasks_db.models import DBTaskResult

                DBTaskResult.objects.exists()
            checks["tasks"] = "ok"
        except Exception as exc:
            checks["tasks"] = f"error: {type(exc).__name__}"
        if check_queue and checks["database"] == "ok":
            # Work that should have run by now and has not: no worker, or a stuck one.
            try:
                from dimos.core.workers import queue_health

                health = queue_health()
                checks["queue"] = "ok" if health.ok else "stuck: " + "; ".join(health.problems())
            except Exception as exc:
                checks["queue"] = f"error: {type(exc).__name__}"
        ok = all(value == "ok" for value in checks.values())
        return JsonResponse(
            {"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503
        )
