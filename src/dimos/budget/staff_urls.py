"""The budget officers' back office, at /staff/budget/ (the manifest's ``staff_urls``)."""

from django.urls import path

from dimos.budget import staff_views

app_name = "budget_staff"

urlpatterns = [
    path("", staff_views.home, name="home"),
    path("years/", staff_views.create_year, name="create_year"),
    path("<int:year>/", staff_views.year, name="year"),
    path("<int:year>/publish/", staff_views.publish, name="publish"),
    path("import/", staff_views.import_file, name="import"),
    path("import/confirm/", staff_views.confirm_import, name="confirm_import"),
    path("<int:year>/decisions/", staff_views.decisions, name="decisions"),
    path("<int:year>/decisions/new/", staff_views.add_decision, name="add_decision"),
    path("<int:year>/decisions/import/", staff_views.import_decisions, name="import_decisions"),
    path("decisions/<int:pk>/", staff_views.edit_decision, name="edit_decision"),
    path("decisions/<int:pk>/delete/", staff_views.delete_decision, name="delete_decision"),
]
