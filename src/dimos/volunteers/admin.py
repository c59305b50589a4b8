"""Skills and the code of conduct are kept in the admin; volunteers are vetted on the staff
pages (/staff/volunteers/), where every view is audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dimos.volunteers import services
from dimos.volunteers.models import CodeOfConduct, Skill


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin[Skill]):
    list_display = ("name_el", "name_en", "code", "is_active", "order")
    list_editable = ("is_active", "order")
    prepopulated_fields = {"code": ("name_en",)}


@admin.register(CodeOfConduct)
class CodeOfConductAdmin(admin.ModelAdmin[CodeOfConduct]):
    """A version is written as a draft and published with the action; a published version is
    never edited (volunteers accepted its words): write a new version instead."""

    list_display = ("version", "published_at")
    readonly_fields = ("published_at",)
    actions = ("publish",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.published_at is not None:
            return ("version", "text_el", "text_en", "published_at")
        return self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.published_at is None

    @admin.action(description=_("Publish (volunteers are asked to accept it)"))
    def publish(self, request: HttpRequest, queryset: Any) -> None:
        for conduct in queryset.order_by("version"):
            try:
                services.publish_conduct(conduct=conduct, actor=request.user, request=request)  # type: ignore[arg-type]
            except services.VolunteerError as exc:
                self.message_user(request, str(exc.message), messages.ERROR)
            else:
                self.message_user(request, _("Version %(v)s published.") % {"v": conduct.version})
