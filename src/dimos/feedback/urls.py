from django.urls import path

from dimos.feedback import survey_views, views

app_name = "feedback"

urlpatterns = [
    path("feedback/rate/<str:token>/", views.rate, name="rate"),
    path("feedback/page/", views.page_feedback, name="page"),
    path("performance/", views.performance, name="performance"),
    path("performance/<slug:service>/", views.service_performance, name="service_performance"),
    path("surveys/", survey_views.survey_list, name="surveys"),
    path("surveys/<slug:slug>/", survey_views.answer, name="survey"),
    path("surveys/<slug:slug>/done/", survey_views.done, name="survey_done"),
    path("surveys/<slug:slug>/results/", survey_views.results, name="survey_results"),
]
