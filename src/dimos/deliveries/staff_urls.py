"""Staff pages of deliveries, at /staff/deliveries/ (the manifest's ``staff_urls``)."""

from django.urls import path

from dimos.deliveries import views

app_name = "deliveries"

urlpatterns = [
    path("", views.day, name="day"),
    path("print/", views.day_print, name="print"),
    path("first-open-day/", views.first_open, name="first_open"),
    path("<int:pk>/plan/", views.plan, name="plan"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
]
