from django.urls import path

from dimos.core import views

app_name = "core"

urlpatterns = [
    path("staff/audit/", views.audit_log, name="audit_log"),
    path("staff/notifications/", views.deliveries, name="deliveries"),
    path("staff/notifications/<int:pk>/retry/", views.retry_delivery, name="retry_delivery"),
]
