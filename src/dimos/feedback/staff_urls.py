"""The back office of feedback, at /staff/feedback/ (the manifest's ``staff_urls``)."""

from django.urls import path

from dimos.feedback import staff_views, survey_staff_views

app_name = "feedback_staff"

urlpatterns = [
    path("", staff_views.queue, name="queue"),
    path("surveys/", survey_staff_views.surveys, name="surveys"),
    path("surveys/new/", survey_staff_views.edit, name="survey_new"),
    path("surveys/<int:pk>/", survey_staff_views.survey, name="survey"),
    path("surveys/<int:pk>/edit/", survey_staff_views.edit, name="survey_edit"),
    path(
        "surveys/<int:pk>/sections/<int:section_pk>/",
        survey_staff_views.section_edit,
        name="survey_section",
    ),
    path(
        "surveys/<int:pk>/questions/<int:question_pk>/",
        survey_staff_views.question_edit,
        name="survey_question",
    ),
    path("surveys/<int:pk>/results/", survey_staff_views.results, name="survey_results"),
    path("surveys/<int:pk>/review/", survey_staff_views.review, name="survey_review"),
    path("surveys/<int:pk>/export/<str:fmt>/", survey_staff_views.export, name="survey_export"),
    path("<slug:kind>/<int:pk>/", staff_views.detail, name="detail"),
]
