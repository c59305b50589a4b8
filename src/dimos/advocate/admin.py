"""The services and legal entities the Advocate deals with, edited in the admin."""

from django.contrib import admin

from dimos.advocate.models import Body


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ("name_el", "code", "kind", "head", "is_active", "order")
    list_filter = ("kind", "is_active")
    search_fields = ("name_el", "name_en", "code")
    filter_horizontal = ("liaisons",)
    raw_id_fields = ("head",)
