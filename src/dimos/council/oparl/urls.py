"""The OParl 1.1 API, at /oparl/v1/ (the manifest's mount)."""

app_name = "oparl"

urlpatterns: list = []
