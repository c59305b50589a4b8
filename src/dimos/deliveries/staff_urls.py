"""Staff pages of deliveries, at /staff/deliveries/ (the manifest's ``staff_urls``)."""

from django.urls import path

from dimos.deliveries import run_views, views

app_name = "deliveries"

urlpatterns = [
    path("", views.day, name="day"),
    path("print/", views.day_print, name="print"),
    path("first-open-day/", views.first_open, name="first_open"),
    path("runs/", run_views.runs, name="runs"),
    path("runs/new/", run_views.new_run, name="new_run"),
    path("runs/<int:pk>/", run_views.run, name="run"),
    path("runs/<int:pk>/sheet/", run_views.run_sheet, name="run_sheet"),
    path("runs/<int:pk>/map/", run_views.run_map, name="run_map"),
    path("runs/<int:pk>/<slug:action>/", run_views.run_act, name="run_act"),
    path("<int:pk>/plan/", views.plan, name="plan"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
]
