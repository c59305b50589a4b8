from django.contrib import admin

from dimos.core.admin import AuditedAdmin
from dimos.portal.models import NewsItem


@admin.register(NewsItem)
class NewsItemAdmin(AuditedAdmin):
    list_display = ("title_el", "kind", "is_published", "published_at")
    list_filter = ("kind", "is_published")
    search_fields = ("title_el", "title_en", "body_el", "body_en")
    prepopulated_fields = {"slug": ("title_en",)}
    date_hierarchy = "published_at"
    fieldsets = (
        (None, {"fields": ("kind", "slug", "is_published", "published_at")}),
        ("Ελληνικά", {"fields": ("title_el", "summary_el", "body_el")}),
        ("English", {"fields": ("title_en", "summary_en", "body_en")}),
    )
