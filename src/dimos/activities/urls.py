"""The public pages of activities, at /activities/ (the manifest's ``urls``)."""

from django.urls import path

from dimos.activities import views

app_name = "activities"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("calendar.ics", views.feed, name="feed"),
    path("family/", views.family, name="family"),
    path("family/<int:pk>/remove/", views.remove_child, name="remove_child"),
    path("mine/", views.mine, name="mine"),
    path("mine/<int:pk>/ticket/", views.ticket, name="ticket"),
    path("mine/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("mine/<int:pk>/<slug:action>/", views.act, name="act"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/calendar.ics", views.feed, name="programme_feed"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/materials/<int:material_pk>/", views.material, name="material"),
]
