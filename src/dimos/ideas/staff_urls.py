"""The moderators' pages of the ideas app, at /staff/ideas/ (the manifest's ``staff_urls``)."""

from django.urls import include, path

from dimos.ideas import staff_views

app_name = "ideas_staff"

urlpatterns = [
    path("", staff_views.index, name="index"),
    path("ideas/<int:pk>/", staff_views.idea, name="idea"),
    path("comments/<int:pk>/", staff_views.comment, name="comment"),
    path("anomalies/<int:pk>/", staff_views.anomaly, name="anomaly"),
    path("competitions/", include("dimos.ideas.jury_staff_urls")),
]
