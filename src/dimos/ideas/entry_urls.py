"""The addresses of the app showcase, the entries and the jury, placed by ``urls.py``:
``top`` before a competition's address (so /ideas/apps/ is not read as a competition named
"apps"), ``per_competition`` after it."""

from django.urls import path

from dimos.ideas import entry_views

top = [
    path("apps/", entry_views.showcase, name="showcase"),
    path("jury/", entry_views.jury_home, name="jury_home"),
    path("invitations/<str:token>/", entry_views.invitation, name="invitation"),
]

per_competition = [
    path("<slug:slug>/apps/", entry_views.competition_apps, name="apps"),
    path("<slug:slug>/apps/enter/", entry_views.enter, name="enter"),
    path("<slug:slug>/apps/<int:pk>/", entry_views.entry, name="entry"),
    path("<slug:slug>/apps/<int:pk>/edit/", entry_views.edit, name="entry_edit"),
    path("<slug:slug>/apps/<int:pk>/team/", entry_views.team, name="entry_team"),
    path(
        "<slug:slug>/apps/<int:pk>/screenshots/",
        entry_views.screenshots,
        name="entry_screenshots",
    ),
    path(
        "<slug:slug>/apps/<int:pk>/screenshots/<int:shot>/delete/",
        entry_views.delete_screenshot,
        name="entry_screenshot_delete",
    ),
    path(
        "<slug:slug>/apps/<int:pk>/screenshots/<int:shot>/",
        entry_views.screenshot,
        {"size": "full"},
        name="entry_screenshot",
    ),
    path(
        "<slug:slug>/apps/<int:pk>/screenshots/<int:shot>/thumb/",
        entry_views.screenshot,
        {"size": "thumb"},
        name="entry_thumb",
    ),
    path("<slug:slug>/winners/", entry_views.winners, name="winners"),
    path("<slug:slug>/jury/", entry_views.jury, name="jury"),
    path("<slug:slug>/jury/<int:pk>/", entry_views.score, name="jury_score"),
]
