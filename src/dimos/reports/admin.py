"""Administrators configure what can be reported: groups, categories and their questions."""

from django.contrib import admin

from dimos.core.admin import AuditedAdmin
from dimos.reports.models import Category, CategoryAttribute, CategoryGroup, ResponseTemplate


class CategoryAttributeInline(admin.StackedInline):
    model = CategoryAttribute
    extra = 0


@admin.register(CategoryGroup)
class CategoryGroupAdmin(AuditedAdmin):
    list_display = ("name_el", "name_en", "code", "order")


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = ("name_el", "code", "group", "department", "deadline_working_days", "is_active")
    list_filter = ("group", "department", "is_active")
    search_fields = ("name_el", "name_en", "code", "keywords")
    inlines = [CategoryAttributeInline]


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(AuditedAdmin):
    list_display = ("title", "category", "is_active")
    list_filter = ("category", "is_active")
    search_fields = ("title", "text_el", "text_en")
