"""The council secretariat's back office, at /staff/council/ (the manifest's ``staff_urls``)."""

from django.urls import path

from dimos.council import staff_views

app_name = "council_staff"

urlpatterns = [
    path("", staff_views.home, name="home"),
    path("prepare/", staff_views.prepare, name="prepare"),
    path("questions/", staff_views.questions, name="questions"),
    path("questions/<int:pk>/<slug:action>/", staff_views.question_act, name="question_act"),
    path("<int:pk>/", staff_views.meeting, name="meeting"),
    path("<int:pk>/timecodes/", staff_views.timecodes, name="timecodes"),
    path("<int:pk>/items/<int:item_pk>/", staff_views.item, name="item"),
    path("<int:pk>/items/<int:item_pk>/<slug:action>/", staff_views.item_act, name="item_act"),
    path("<int:pk>/<slug:action>/", staff_views.meeting_act, name="act"),
]
