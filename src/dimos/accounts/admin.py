"""Administrators: people and API tokens. Staff roles are managed at /staff/team/."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dimos.accounts import services
from dimos.accounts.models import ApiToken, TwoStepMethod, User
from dimos.core.admin import AuditedAdmin
from dimos.core.registry import registry


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    ordering = ("email",)
    list_display = (
        "email",
        "first_name",
        "last_name",
        "is_staff",
        "identity_verified",
        "is_active",
    )
    list_filter = ("is_staff", "is_superuser", "is_active", "identity_verified", "groups")
    search_fields = ("email", "first_name", "last_name", "phone")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Person"),
            {"fields": ("first_name", "last_name", "phone", "address", "preferred_language")},
        ),
        (_("Notifications"), {"fields": ("notify_email", "notify_sms")}),
        (
            _("Identity"),
            {"fields": ("identity_verified", "identity_provider", "identity_verified_at")},
        ),
        (
            _("Access"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined", "erased_at")}),
    )
    readonly_fields = ("erased_at", "last_login", "date_joined")
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ("user", "name", "expires_at")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Issuing a token shows its value once; only its hash is stored."""

    form = ApiTokenForm
    list_display = ("name", "user", "key_prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__email", "key_prefix")
    raw_id_fields = ("user",)
    actions = ["revoke"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        actor: User = request.user  # type: ignore[assignment]
        token, raw = services.issue_api_token(
            user=obj.user, name=obj.name, actor=actor, request=request
        )
        if obj.expires_at:
            ApiToken.objects.filter(pk=token.pk).update(expires_at=obj.expires_at)
        obj.pk = token.pk
        messages.warning(
            request,
            gettext("The token for %(name)s is %(token)s — copy it now: it is not shown again.")
            % {"name": obj.name, "token": raw},
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            services.revoke_api_token(token=token, actor=request.user, request=request)  # type: ignore[arg-type]


# allauth's own admin of Authenticator shows untranslatable names; ours shows the same rows.
# Its module is imported first (the admin imports each app's module once), then replaced.
import allauth.mfa.admin  # noqa: E402, F401

if admin.site.is_registered(Authenticator):
    admin.site.unregister(Authenticator)

TWO_STEP_LABELS = {
    "user": _("person"),
    "type": _("kind"),
    "data": _("secret data"),
    "created_at": _("created"),
    "last_used_at": _("last used"),
}


@admin.register(TwoStepMethod)
class TwoStepMethodAdmin(AuditedAdmin):
    raw_id_fields = ("user",)
    list_display = ("person", "kind", "created", "last_used")
    list_filter = ("type", "created_at", "last_used_at")
    search_fields = ("user__email",)

    @admin.display(description=TWO_STEP_LABELS["user"], ordering="user__email")
    def person(self, obj: TwoStepMethod) -> str:
        return str(obj.user)

    @admin.display(description=TWO_STEP_LABELS["type"], ordering="type")
    def kind(self, obj: TwoStepMethod) -> str:
        return str(obj.get_type_display())

    @admin.display(description=TWO_STEP_LABELS["created_at"], ordering="created_at")
    def created(self, obj: TwoStepMethod) -> Any:
        return obj.created_at

    @admin.display(description=TWO_STEP_LABELS["last_used_at"], ordering="last_used_at")
    def last_used(self, obj: TwoStepMethod) -> Any:
        return obj.last_used_at

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in TWO_STEP_LABELS:
            field.label = TWO_STEP_LABELS[db_field.name]
        return field


# Django's own admin of groups shows a role by its key (kep_clerk). Ours names it in the
# reader's language with what it is for; roles' permissions follow the code (sync_roles), and
# who holds a role is decided at /staff/team/. Groups that are no role (departments) show "—".
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(GroupAdmin):
    list_display = ("name", "role_name", "role_description", "members")

    @admin.display(description=_("role"))
    def role_name(self, group: Group) -> str:
        role = registry.roles.get(group.name)
        return str(role.name) if role else "—"

    @admin.display(description=_("what it is for"))
    def role_description(self, group: Group) -> str:
        role = registry.roles.get(group.name)
        return str(role.description) if role else "—"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Group]:
        return super().get_queryset(request).annotate(member_count=Count("user"))

    @admin.display(description=_("members"), ordering="member_count")
    def members(self, group: Group) -> int:
        return int(getattr(group, "member_count", 0))
