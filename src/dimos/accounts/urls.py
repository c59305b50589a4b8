from django.urls import path

from dimos.accounts import views

app_name = "accounts"

urlpatterns = [
    path("my/profile/", views.profile, name="profile"),
    path("my/identity/", views.identity, name="identity"),
    path("my/privacy/", views.privacy, name="privacy"),
    path("my/privacy/export/", views.export_data, name="export"),
    path("my/privacy/delete/", views.delete_account, name="delete"),
    path("staff/identity/", views.identity_check, name="identity_check"),
    path("staff/identity/<int:pk>/", views.identity_confirm, name="identity_confirm"),
    path("staff/team/", views.staff_list, name="staff_list"),
    path("staff/team/new/", views.staff_new, name="staff_new"),
    path("staff/team/<int:pk>/", views.staff_edit, name="staff_edit"),
]
