from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dimos.certificates.models import CertificateRequest, CertificateType, IssuedDocument


@admin.register(CertificateType)
class CertificateTypeAdmin(admin.ModelAdmin):
    list_display = ("name_el", "code", "deadline_days", "fee_amount", "is_active", "order")
    list_editable = ("is_active", "order")
    search_fields = ("name_el", "name_en", "code")


@admin.register(CertificateRequest)
class CertificateRequestAdmin(admin.ModelAdmin):
    list_display = ("pk", "certificate_type", "status", "channel", "submitted_at", "due_on")
    list_filter = ("status", "channel", "certificate_type")
    readonly_fields = [f.name for f in CertificateRequest._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    """The registry, read-only: revocation goes through the back office (audited)."""

    list_display = ("code", "certificate_type", "protocol_number", "status", "issued_at")
    list_filter = ("status", "certificate_type")
    search_fields = ("code", "protocol_number", "sha256")
    exclude = ("pdf",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in IssuedDocument._meta.fields if f.name != "pdf"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
