"""/api/v1/: the NinjaAPI with the router of every app that declares one (manifest ``api``)."""

from django.urls import URLResolver, path

from dimos.api.api import api, mount_registered_routers

mount_registered_routers()

urlpatterns: list[URLResolver] = [path("", api.urls)]
