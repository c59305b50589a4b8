"""Configuration by administrators: the municipality, districts; read-only logs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dimos.core import audit, images
from dimos.core.models import AuditEntry, Delivery, District, Municipality, Notification


class AuditedAdmin(admin.ModelAdmin):
    """Configuration changes made in the admin are audit-logged like any other write."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit.record(
                action=f"admin.{'changed' if change else 'added'}",
                target=obj,
                request=request,
                details={"fields": sorted(form.changed_data)},
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit.record(action="admin.deleted", target=obj, request=request)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                audit.record(action="admin.deleted", target=obj, request=request)
            super().delete_queryset(request, queryset)


class DistrictInline(admin.TabularInline):
    model = District
    extra = 0
    fields = ("code", "name_el", "name_en", "boundary")


class MunicipalityForm(forms.ModelForm):
    """The logo is checked by its content and stored re-encoded (issue 9, item 14)."""

    class Meta:
        model = Municipality
        fields = (
            "name_el",
            "name_en",
            "slug",
            "logo",
            "address_el",
            "address_en",
            "phone",
            "email",
            "website",
            "emergency_message_el",
            "emergency_message_en",
            "boundary",
        )
        help_texts = {"logo": _("PNG, JPEG or WebP; stored as PNG, at most 1024 pixels wide.")}

        @staticmethod
        def formfield_callback(field: Any, **kwargs: Any) -> Any:
            if isinstance(field, models.URLField):
                kwargs["assume_scheme"] = "https"
            return field.formfield(**kwargs)

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if not isinstance(logo, UploadedFile):
            return logo  # unchanged, or cleared
        try:
            data = images.sanitised_logo(logo)
        except images.ImageRefused as exc:
            raise forms.ValidationError(
                _("The logo must be a PNG, JPEG or WebP image: %(problem)s")
                % {"problem": exc.message}
            ) from exc
        return ContentFile(data, name="logo.png")


@admin.register(Municipality)
class MunicipalityAdmin(AuditedAdmin):
    form = MunicipalityForm
    list_display = ("name_el", "name_en", "phone", "email")
    fieldsets = (
        (None, {"fields": ("name_el", "name_en", "slug", "logo")}),
        (_("Contact"), {"fields": ("address_el", "address_en", "phone", "email", "website")}),
        (_("Emergency announcement"), {"fields": ("emergency_message_el", "emergency_message_en")}),
        (_("Map"), {"fields": ("boundary",)}),
    )
    inlines = [DistrictInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit log, read-only, without the confidential stream (supervisors read that one
    on its staff page; superuser status does not open it)."""

    list_display = ("created_at", "sentence", "action", "target_type", "target_id", "ip_address")
    list_filter = ("action", "target_type", "created_at")
    list_select_related = ("actor",)
    search_fields = ("actor__email", "actor__last_name", "action", "target_id")
    date_hierarchy = "created_at"
    exclude = ("actor",)
    readonly_fields = ("sentence",)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).filter(confidential=False)

    @admin.display(description=_("what happened"))
    def sentence(self, obj: AuditEntry) -> str:
        return audit.sentences([obj])[0].sentence


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "recipient", "subject", "read_at")
    list_filter = ("kind",)
    search_fields = ("subject", "recipient__email")
    raw_id_fields = ("recipient",)
    exclude = ("sealed_url",)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "channel", "address", "status", "attempts", "last_error")
    list_filter = ("status", "channel")
    search_fields = ("address",)
