from django.conf import settings
from django.urls import URLPattern, path

from dimos.core import views

app_name = "core"

urlpatterns: list[URLPattern] = [
    path("geocode/search.json", views.geocode_search, name="geocode_search"),
    path("geocode/reverse.json", views.geocode_reverse, name="geocode_reverse"),
    path("staff/audit/", views.audit_log, name="audit_log"),
    path("staff/audit/confidential/", views.confidential_audit_log, name="confidential_audit_log"),
    path("staff/notifications/", views.deliveries, name="deliveries"),
    path("staff/notifications/<int:pk>/retry/", views.retry_delivery, name="retry_delivery"),
    path("staff/operations/", views.operations, name="operations"),
]

if settings.DIMOS_BENCH_FLOOR:
    urlpatterns.append(path("_bench/floor", views.floor, name="bench_floor"))
