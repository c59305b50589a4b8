"""URLs of the appointments app, mounted at the site root: each path carries its own prefix."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
