"""The admin: programmes for the configuration; participants stay in the organisers' pages."""

from django.contrib import admin

from dimos.activities.models import Programme


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("title_el", "kind", "status", "first_start", "capacity")
    list_filter = ("status", "kind", "audience", "mode")
    search_fields = ("title_el", "title_en", "organiser_name")
    filter_horizontal = ("organisers",)
    exclude = ("video_url",)
