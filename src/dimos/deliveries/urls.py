"""Staff pages of deliveries, mounted at the site root under /staff/deliveries/."""

from django.urls import path

from dimos.deliveries import views

app_name = "deliveries"

urlpatterns = [
    path("staff/deliveries/", views.day, name="day"),
    path("staff/deliveries/print/", views.day_print, name="print"),
    path("staff/deliveries/first-open-day/", views.first_open, name="first_open"),
    path("staff/deliveries/<int:pk>/plan/", views.plan, name="plan"),
    path("staff/deliveries/<int:pk>/<slug:action>/", views.act, name="act"),
]
