from django.urls import path

from dimos.reports import clusters, feeds, follow, views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("reports.geojson", feeds.geojson, name="geojson"),
    path("feed/", feeds.ReportsFeed(), name="feed"),
    path("clusters.json", clusters.clusters_json, name="clusters"),
    path("map/", clusters.map_page, name="map"),
    path("new/", views.choose_category, name="new"),
    path("nearby.json", follow.nearby, name="nearby"),
    path("unsubscribe/<uuid:token>/", follow.unsubscribe, name="unsubscribe"),
    path("district/<slug:code>/follow/", follow.follow_district, name="follow_district"),
    path("<int:pk>/follow/", follow.follow_report, name="follow"),
    path("<int:pk>/unfollow/", follow.unfollow_report, name="unfollow"),
    path("new/<slug:code>/", views.new_report, name="new_in"),
    path("confirm/<uuid:token>/", views.confirm, name="confirm"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("photos/<int:pk>/thumb/", views.photo, {"thumbnail": True}, name="photo_thumb"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.reporter_action, name="reporter_action"),
]
