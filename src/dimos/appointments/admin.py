"""Configuration of appointments in the admin: centres, hours, closures, desks and services.

Bookings are not edited here (the desk's pages and the services keep the rules and the audit
log); they are listed read-only, and confidential ones are left out.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dimos.appointments.models import Booking, Centre, Closure, Desk, OpeningHours, ServiceType


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0


class DeskInline(admin.TabularInline):
    model = Desk
    extra = 0
    filter_horizontal = ("services",)


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ("name_el", "slug", "address_el", "is_active")
    prepopulated_fields = {"slug": ("name_en",)}
    inlines = (OpeningHoursInline, ClosureInline, DeskInline)
    filter_horizontal = ("clerks",)


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    list_display = ("name_el", "slug", "mode", "duration_minutes", "is_confidential", "is_active")
    list_filter = ("mode", "is_confidential", "is_active")
    filter_horizontal = ("supervisors",)


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ("reference", "service", "centre", "starts_at", "status", "source")
    list_filter = ("status", "source", "centre")
    search_fields = ("reference",)
    # The manage key opens the booking for whoever holds it: it is the resident's, not ours.
    exclude = ("manage_token",)

    def get_queryset(self, request: HttpRequest) -> Any:
        qs = super().get_queryset(request).filter(service__is_confidential=False)
        return qs.select_related("service", "centre")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
