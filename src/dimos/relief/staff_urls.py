"""The back office of relief, at /staff/relief/ (the manifest's ``staff_urls``)."""

from django.urls import path

from dimos.relief import staff_views

app_name = "relief_staff"

urlpatterns = [
    path("", staff_views.board, name="board"),
    path("new/", staff_views.new, name="new"),
    path("courier/", staff_views.courier, name="courier"),
    path("people/", staff_views.people, name="people"),
    path("people/<int:pk>/", staff_views.person, name="person"),
    path("people/<int:pk>/edit/", staff_views.person_edit, name="person_edit"),
    path("people/<int:pk>/merge/<int:other>/", staff_views.merge, name="merge"),
    path("figures/", staff_views.figure_page, name="figures"),
    path("<int:pk>/", staff_views.detail, name="detail"),
    path("<int:pk>/visit/", staff_views.visit, name="visit"),
    path("<int:pk>/visit/<slug:how>/", staff_views.complete, name="complete"),
    path("<int:pk>/receipt/", staff_views.receipt, name="receipt"),
    path("<int:pk>/recurring/", staff_views.make_recurring, name="recurring"),
    path("<int:pk>/recurring/stop/", staff_views.stop_recurring, name="stop_recurring"),
    path("<int:pk>/<slug:action>/", staff_views.act, name="act"),
]
