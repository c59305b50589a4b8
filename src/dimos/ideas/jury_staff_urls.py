"""Staff's pages of the entries and the jury, under /staff/ideas/competitions/ (included by
``staff_urls.py``)."""

from django.urls import path

from dimos.ideas import jury_staff_views

urlpatterns = [
    path("", jury_staff_views.competitions, name="competitions"),
    path("<slug:slug>/entries/", jury_staff_views.entries, name="entries"),
    path("<slug:slug>/entries/<int:pk>/", jury_staff_views.entry, name="entry"),
    path("<slug:slug>/jury/", jury_staff_views.jury, name="jury"),
    path("<slug:slug>/jury/<int:pk>/remove/", jury_staff_views.remove_juror, name="juror_remove"),
    path(
        "<slug:slug>/criteria/<int:pk>/delete/",
        jury_staff_views.delete_criterion,
        name="criterion_delete",
    ),
    path("<slug:slug>/results/", jury_staff_views.results, name="results"),
]
