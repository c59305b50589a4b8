from django.urls import path

from dimos.reports import feeds, views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("reports.geojson", feeds.geojson, name="geojson"),
    path("feed/", feeds.ReportsFeed(), name="feed"),
    path("new/", views.choose_category, name="new"),
    path("new/<slug:code>/", views.new_report, name="new_in"),
    path("confirm/<uuid:token>/", views.confirm, name="confirm"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.reporter_action, name="reporter_action"),
]
