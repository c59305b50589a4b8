from django.urls import path

from dimos.reports import views

app_name = "reports"

urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
]
