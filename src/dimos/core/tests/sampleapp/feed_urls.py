from django.urls import path

from dimos.core.tests.sampleapp import views

app_name = "sample_feed"
urlpatterns = [path("all.xml", views.feed, name="all")]
