from django.urls import path

from dimos.reports import views

app_name = "reports"

urlpatterns = [
    path("new/", views.choose_category, name="new"),
    path("new/<slug:code>/", views.new_report, name="new_in"),
    path("confirm/<uuid:token>/", views.confirm, name="confirm"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.reporter_action, name="reporter_action"),
]
