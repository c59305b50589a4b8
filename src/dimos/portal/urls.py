from django.urls import path

from dimos.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("services/", views.catalogue, name="catalogue"),
    path("search/", views.search, name="search"),
    path("news/", views.news_list, name="news"),
    path("news/feed/", views.NewsFeed(), name="news_feed"),
    path("news/<slug:slug>/", views.news_detail, name="news_detail"),
    path("accessibility/", views.page, {"template": "accessibility"}, name="accessibility"),
    path("privacy/", views.page, {"template": "privacy"}, name="privacy"),
    path("terms/", views.page, {"template": "terms"}, name="terms"),
    path("my/", views.my_account, name="my_account"),
    path("my/notifications/", views.inbox, name="inbox"),
    path("my/notifications/read/", views.inbox_mark_read, name="inbox_mark_read"),
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/emergency/", views.emergency_switch, name="emergency"),
    path("accessibility/settings/", views.accessibility_settings, name="a11y"),
    path("language/<str:code>/", views.choose_language, name="language"),
    path("municipality/logo/", views.municipality_logo, name="logo"),
]
