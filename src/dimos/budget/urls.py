"""The open budget's public pages, at /budget/ (the manifest's ``urls``)."""

from django.urls import path, re_path

from dimos.budget import open_data_views, views

app_name = "budget"

urlpatterns = [
    path("", views.index, name="index"),
    path("101/", views.guide, name="guide"),
    path("search/", views.search, name="search"),
    path("compare/", views.compare, name="compare"),
    path("my-money/", views.my_money, name="my_money"),
    path("<int:year>/", views.year_overview, name="year"),
    path("<int:year>/line/<str:code>/", views.line, name="line"),
    path("<int:year>/<slug:direction>/kae/", views.kae, name="kae_root"),
    path("<int:year>/<slug:direction>/kae/<str:code>/", views.kae, name="kae"),
    path("<int:year>/<slug:direction>/service/", views.service, name="service_root"),
    path("<int:year>/<slug:direction>/service/<str:code>/", views.service, name="service"),
    re_path(
        r"^(?P<year>\d{4})/(?:(?P<as_of>\d{4}-\d\d-\d\d)/)?datapackage\.json$",
        open_data_views.datapackage,
        name="datapackage",
    ),
    re_path(
        r"^(?P<year>\d{4})/(?:(?P<as_of>\d{4}-\d\d-\d\d)/)?data\.csv$",
        open_data_views.data_csv,
        name="data_csv",
    ),
]
