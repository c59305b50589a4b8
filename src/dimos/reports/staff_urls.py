"""Back-office URLs, at /staff/reports/ so that staff MFA and staff-only rules apply."""

from django.urls import path

from dimos.reports import dashboard, staff_intake, staff_views

app_name = "reports_staff"

urlpatterns = [
    path("", staff_views.queue, name="queue"),
    path("new/", staff_intake.phone_report, name="phone_report"),
    path("bulk/", staff_views.bulk, name="bulk"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("export.csv", dashboard.export_csv, name="export_csv"),
    path("<int:pk>/", staff_views.report, name="report"),
    path("<int:pk>/<slug:action>/", staff_views.act, name="act"),
]
