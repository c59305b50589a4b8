"""The council's public pages, at /council/ (the manifest's ``urls``)."""

from django.urls import path

from dimos.council import views

app_name = "council"

urlpatterns = [
    path("", views.index, name="index"),
    path("calendar.ics", views.all_calendar, name="calendar"),
    path("bodies/<slug:slug>/", views.body, name="body"),
    path("bodies/<slug:slug>/calendar.ics", views.body_calendar, name="body_calendar"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("items/<int:pk>/votes/", views.item_votes, name="item_votes"),
    path("items/<int:pk>/ask/", views.ask, name="ask"),
    path("people/", views.people, name="people"),
    path("people/<slug:slug>/", views.person, name="person"),
    path("search/", views.search_page, name="search"),
    path("follows/", views.follows, name="follows"),
    path("follows/new/", views.follow, name="follow"),
    path("follows/<int:pk>/stop/", views.unfollow, name="unfollow"),
]
