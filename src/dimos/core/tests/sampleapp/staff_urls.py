from django.urls import path

from dimos.core.tests.sampleapp import views

app_name = "sample_staff"
urlpatterns = [path("", views.desk, name="desk")]
