from django.urls import path

from dimos.core.tests.sampleapp import views

app_name = "sample"
urlpatterns = [path("", views.hello, name="hello")]
