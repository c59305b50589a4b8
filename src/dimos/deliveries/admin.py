from django.contrib import admin

from dimos.deliveries.models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("date", "window_start", "title", "recipient_name", "status", "assigned_to")
    list_filter = ("status", "source", "date")
    search_fields = ("reference", "title", "recipient_name", "address")
    readonly_fields = ("source", "reference", "status", "received_by", "failure_reason")
