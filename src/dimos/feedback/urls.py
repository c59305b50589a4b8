from django.urls import path

from dimos.feedback import views

app_name = "feedback"

urlpatterns = [
    path("feedback/rate/<str:token>/", views.rate, name="rate"),
    path("feedback/page/", views.page_feedback, name="page"),
    path("performance/", views.performance, name="performance"),
    path("performance/<slug:service>/", views.service_performance, name="service_performance"),
]
