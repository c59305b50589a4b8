"""Writes about accounts: profiles, personal data, staff and roles, API tokens."""

from __future__ import annotations

import io
import json
import logging
import zipfile
from typing import TYPE_CHECKING, Any

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from dimos.accounts.models import ApiToken, User
from dimos.accounts.selectors import active_staff
from dimos.core import audit
from dimos.core.notifications import notify
from dimos.core.registry import registry

if TYPE_CHECKING:
    from django.http import HttpRequest

logger = logging.getLogger(__name__)

PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "address",
    "preferred_language",
    "notify_email",
    "notify_sms",
)


def update_profile(*, user: User, request: HttpRequest | None = None, **changes: Any) -> User:
    """Change a person's own profile fields; records which fields changed (not their values)."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    changed = [name for name, value in changes.items() if getattr(user, name) != value]
    if not changed:
        return user
    with transaction.atomic():
        for name in changed:
            setattr(user, name, changes[name])
        user.save(update_fields=changed)
        audit.record(
            action="account.profile_updated",
            actor=user,
            target=user,
            request=request,
            details={"fields": changed},
        )
    return user


def welcome(*, user: User, request: HttpRequest | None = None) -> None:
    """The first confirmed email address: greet the new resident in the inbox and by email."""
    with transaction.atomic():
        audit.record(action="account.email_confirmed", actor=user, target=user, request=request)
        notify(kind="accounts.welcome", recipient=user, url="/my/")


def export_account(user: User) -> dict[str, Any]:
    """The account itself, its sign-in identities and tokens, and what the person did (the
    audit entries they made, as the audit log words them, in their language)."""
    from dimos.core.models import AuditEntry

    with translation.override(user.preferred_language or None):
        activity = [
            {
                "at": line.entry.created_at.isoformat(),
                "what": line.sentence,
                "from": line.entry.ip_address,
            }
            for line in audit.sentences(
                AuditEntry.objects.filter(actor=user).select_related("actor").order_by("pk")
            )
        ]
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
        "address": user.address,
        "preferred_language": user.preferred_language,
        "notify_email": user.notify_email,
        "notify_sms": user.notify_sms,
        "identity_verified": user.identity_verified,
        "identity_provider": user.identity_provider,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user)
        ],
        "linked_identities": [
            {
                "provider": s.provider,
                "uid": s.uid,
                "date_joined": s.date_joined.isoformat(),
                "details": s.extra_data,
            }
            for s in SocialAccount.objects.filter(user=user)
        ],
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.key_prefix,
                "created_at": t.created_at.isoformat(),
                "expires_at": t.expires_at.isoformat() if t.expires_at else None,
                "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
            }
            for t in user.api_tokens.all()
        ],
        "activity": activity,
    }


def erase_account_links(user: User) -> None:
    """Everything attached to the account: addresses, eID links, tokens, second factors,
    roles, and the admin's own history of the account (which names it)."""
    from allauth.mfa.models import Authenticator
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    EmailAddress.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()  # its eID tokens go with it
    user.api_tokens.all().delete()
    Authenticator.objects.filter(user=user).delete()
    user.groups.clear()
    user.user_permissions.clear()
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=f"#{user.pk}")
    _end_sessions(user)


def _end_sessions(user: User) -> None:
    """Log the person out everywhere: their sessions also hold their sign-in email."""
    from django.conf import settings
    from django.contrib.sessions.models import Session

    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return  # other engines expire them; the changed password hash ends them at once
    mine = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(pk__in=mine).delete()


def export_personal_data(*, user: User, request: HttpRequest | None = None) -> dict[str, Any]:
    """Everything the platform holds about a person, as JSON-ready data (GDPR art. 15 and 20)."""
    data: dict[str, Any] = {"exported_at": timezone.now().isoformat()}
    for key, handler in sorted(registry.personal_data.items()):
        data[key] = handler.export(user)
    audit.record(action="account.data_exported", actor=user, target=user, request=request)
    return data


def export_archive(*, user: User, request: HttpRequest | None = None) -> bytes:
    """The export as a ZIP: ``data.json`` and the person's files (uploads, certificates,
    photos) under the paths the JSON names."""
    data = export_personal_data(user=user, request=request)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        for _key, handler in sorted(registry.personal_data.items()):
            for item in handler.files(user) if handler.files else ():
                try:
                    archive.writestr(item.name, item.read())
                except OSError:
                    logger.warning("Export of user %s: file %s is missing", user.pk, item.name)
    return buffer.getvalue()


def erase_account(*, user: User, request: HttpRequest | None = None) -> None:
    """Delete a person's account (GDPR art. 17).

    Each app erases or anonymises what it holds; what must stay public (a report on the map)
    stays without the person, and records the law keeps (an issued certificate) stay without
    a link to the account. The user row is kept as an anonymous, inactive stub so that the
    append-only audit log keeps pointing at a valid row, which it names "Erased account N".
    Every message to the person not yet sent is dropped with their notifications, and none
    is sent afterwards: there is no "account deleted" email (the page confirms it), because
    the address is erased in this transaction (ADR 0016).
    """
    with transaction.atomic():
        for _key, handler in sorted(registry.personal_data.items()):
            handler.erase(user)
        user.email = f"erased-{user.pk}@invalid.invalid"
        user.first_name = user.last_name = user.phone = user.address = ""
        user.identity_verified = False
        user.identity_provider = ""
        user.identity_verified_at = None
        user.notify_email = user.notify_sms = False
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.erased_at = timezone.now()
        user.set_unusable_password()
        user.save()
        audit.record(action="account.erased", actor=user, target=user, request=request)


# --- Staff and roles ------------------------------------------------------------------------


def use_api_token(raw: str) -> ApiToken | None:
    """The valid API token for ``raw``, or None (unknown, revoked, expired, or its owner
    deactivated); its last use is noted to the minute, not written on every call. The one token
    check behind the REST API (Bearer and X-API-Key) and Open311 (``api_key``)."""
    token = ApiToken.find(raw.strip())
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def sync_roles() -> list[Group]:
    """Create or update one group per registered role with exactly its declared permissions."""
    groups = []
    for role in registry.roles.values():
        group, _ = Group.objects.get_or_create(name=role.key)
        perms = []
        for codename in role.permissions:
            app_label, _, code = codename.partition(".")
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=code
            ).first()
            if perm is None:
                logger.warning("Role %s names unknown permission %s", role.key, codename)
                continue
            perms.append(perm)
        group.permissions.set(perms)
        groups.append(group)
    return groups


def role_choices() -> list[tuple[str, str]]:
    return [
        (role.key, f"{role.name} — {role.description}")
        for role in sorted(registry.roles.values(), key=lambda r: (r.app_label, r.key))
    ]


class StaffChangeRefused(ValueError):
    """A change of staff access the actor may not make; the message is shown to them."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def superuser_only_roles() -> frozenset[str]:
    """The roles only a superuser may give or take (ADR 0014)."""
    return frozenset(key for key, role in registry.roles.items() if role.superuser_only)


def check_staff_change(
    *, staff: User | None, roles: list[str], is_active: bool, actor: User
) -> None:
    """Refuse a change of roles or activity the actor may not make (``staff`` None: a new member).

    No one changes their own roles or deactivates themselves (a second administrator must);
    only superusers give or take superuser-level roles, and only superusers change a superuser.
    """
    unknown = set(roles) - set(registry.roles)
    if unknown:
        raise StaffChangeRefused(_("Unknown roles: %(roles)s") % {"roles": ", ".join(unknown)})
    before = set(staff.groups.values_list("name", flat=True)) if staff is not None else set()
    if staff is not None and staff.pk == actor.pk:
        if set(roles) != before:
            raise StaffChangeRefused(
                _("You cannot change your own roles: ask another administrator.")
            )
        if not is_active:
            raise StaffChangeRefused(_("You cannot deactivate your own account."))
        return
    if actor.is_superuser:
        return
    if staff is not None and staff.is_superuser:
        raise StaffChangeRefused(_("Only a superuser can change the access of a superuser."))
    privileged = superuser_only_roles()
    if (set(roles) ^ before) & privileged:
        names = sorted(str(registry.roles[key].name) for key in (set(roles) ^ before) & privileged)
        raise StaffChangeRefused(
            _("Only a superuser can give or take these roles: %(roles)s.")
            % {"roles": ", ".join(names)}
        )


def administrators() -> QuerySet[User]:
    """Active staff who manage staff: superusers and those with the staff administrator role."""
    return active_staff(permission="manage_staff", app_label="accounts")


def set_staff_roles(
    *,
    staff: User,
    roles: list[str],
    is_active: bool,
    actor: User,
    request: HttpRequest | None = None,
    created: bool = False,
) -> None:
    """Give a staff member exactly these roles (an administrator's action).

    Checked by :func:`check_staff_change` (raises :class:`StaffChangeRefused`); audited; the
    member is told of new roles, and every other administrator of any change of access.
    """
    check_staff_change(
        staff=None if created else staff, roles=roles, is_active=is_active, actor=actor
    )
    with transaction.atomic():
        sync_roles()
        before = sorted(staff.groups.values_list("name", flat=True))
        was_active = staff.is_active
        staff.groups.set(Group.objects.filter(name__in=roles))
        staff.is_active = is_active
        staff.save(update_fields=["is_active"])
        after = sorted(roles)
        audit.record(
            action="staff.roles_changed",
            actor=actor,
            target=staff,
            request=request,
            details={
                "before": before,
                "after": after,
                "was_active": was_active,
                "is_active": is_active,
            },
        )
        if before != after:
            notify(
                kind="accounts.roles_changed",
                recipient=staff,
                context={"roles": [registry.roles[r].name for r in after]},
                url="/staff/",
            )
        if created or before != after or was_active != is_active:
            _tell_administrators(
                staff=staff,
                actor=actor,
                added=[registry.roles[r].name for r in after if r not in before],
                removed=[
                    registry.roles[r].name for r in before if r not in after and r in registry.roles
                ],
                activity=None if was_active == is_active else is_active,
                created=created,
            )


def _tell_administrators(
    *,
    staff: User,
    actor: User,
    added: list[Any],
    removed: list[Any],
    activity: bool | None,
    created: bool,
) -> None:
    # Role names stay lazy: each administrator reads them in their own language.
    for admin in administrators().exclude(pk__in=[actor.pk, staff.pk]):
        notify(
            kind="accounts.staff_changed",
            recipient=admin,
            context={
                "staff": staff,
                "actor": actor,
                "added": added,
                "removed": removed,
                "activity": activity,
                "created": created,
            },
            url=reverse("accounts:staff_edit", args=[staff.pk]),
        )


def create_staff(
    *,
    email: str,
    first_name: str,
    last_name: str,
    roles: list[str],
    actor: User,
    request: HttpRequest | None = None,
) -> User:
    """Open a staff account; the new member sets a password through the reset link we email."""
    with transaction.atomic():
        staff = User.objects.create_user(
            email=email, first_name=first_name, last_name=last_name, is_staff=True
        )
        staff.set_unusable_password()
        staff.save(update_fields=["password"])
        EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
        set_staff_roles(
            staff=staff, roles=roles, is_active=True, actor=actor, request=request, created=True
        )
        audit.record(action="staff.created", actor=actor, target=staff, request=request)
    return staff


# --- API tokens -----------------------------------------------------------------------------


def issue_api_token(
    *, user: User, name: str, actor: User, request: HttpRequest | None = None
) -> tuple[ApiToken, str]:
    """Create a token and return it with its raw value, which is shown once and never stored."""
    raw, prefix, digest = ApiToken.generate()
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, key_prefix=prefix, key_hash=digest)
        audit.record(action="api_token.issued", actor=actor, target=token, request=request)
    return token, raw


def revoke_api_token(*, token: ApiToken, actor: User, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(action="api_token.revoked", actor=actor, target=token, request=request)


# --- Identity confirmed in person ----------------------------------------------------------

# identity_provider of an identity a clerk confirmed from a document at the desk.
IN_PERSON = "in_person"


class IdentityCheckRefused(ValueError):
    """A confirmation of identity the actor may not make; the message is shown to them."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def confirm_identity_in_person(
    *, person: User, actor: User, document: str, last_four: str, request: Any = None
) -> User:
    """A clerk saw the person and their identity document at the desk: the account counts as
    verified from now on (as after a national-eID login), so the person can use online the
    services that need it. Audited with the kind of document and its last four characters;
    the person is told."""
    if person.pk == actor.pk:
        raise IdentityCheckRefused(_("No one confirms their own identity: ask a colleague."))
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=person.pk)
        if not locked.is_active:
            raise IdentityCheckRefused(_("This account is closed."))
        locked.identity_verified = True
        locked.identity_provider = IN_PERSON
        locked.identity_verified_at = timezone.now()
        locked.save(
            update_fields=["identity_verified", "identity_provider", "identity_verified_at"]
        )
        audit.record(
            action="account.identity_confirmed",
            actor=actor,
            target=locked,
            request=request,
            details={"document": document, "last_four": last_four},
        )
        notify(
            kind="accounts.identity_confirmed", recipient=locked, url=reverse("accounts:identity")
        )
    return locked
