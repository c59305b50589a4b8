"""The public pages of the ideas app, at /ideas/ (the manifest's ``urls``)."""

from django.urls import path

from dimos.ideas import entry_urls, views

app_name = "ideas"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    *entry_urls.top,
    path("<slug:slug>/", views.competition, name="competition"),
    path("<slug:slug>/themes/", views.about, {"page": "themes"}, name="themes"),
    path("<slug:slug>/rules/", views.about, {"page": "rules"}, name="rules"),
    path("<slug:slug>/prizes/", views.about, {"page": "prizes"}, name="prizes"),
    path("<slug:slug>/results/", views.results_page, name="results"),
    path("<slug:slug>/submit/", views.submit, name="submit"),
    path("<slug:slug>/ideas/", views.ideas, name="ideas"),
    path("<slug:slug>/ideas/<int:pk>/", views.idea, name="idea"),
    path("<slug:slug>/ideas/<int:pk>/edit/", views.edit, name="edit"),
    path("<slug:slug>/ideas/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<slug:slug>/ideas/<int:pk>/comment/", views.comment, name="comment"),
    path("<slug:slug>/ideas/<int:pk>/image/", views.image, {"size": "full"}, name="image"),
    path("<slug:slug>/ideas/<int:pk>/thumb/", views.image, {"size": "thumb"}, name="thumb"),
    path("<slug:slug>/ideas/<int:pk>/<slug:action>/", views.vote, name="vote"),
    *entry_urls.per_competition,
]
