"""Demo data of the accounts: the demo resident, clerk and administrator.

Idempotent: an account that exists is left as it is, so re-running ``dimos demo`` keeps data.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from django.db import transaction


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str
    first_name: str
    last_name: str
    staff: bool = False
    superuser: bool = False
    roles: tuple[str, ...] = ()
    # A fixed base32 TOTP secret, so the demo can print codes (never in production).
    totp_secret: str = ""


DEMO_ACCOUNTS = (
    DemoAccount(
        "resident", "resident@demo.dimos.gr", "demo-resident-2026", "Μαρία", "Παπαδοπούλου"
    ),
    DemoAccount(
        "clerk",
        "clerk@demo.dimos.gr",
        "demo-clerk-2026",
        "Γιώργος",
        "Ιωάννου",
        staff=True,
        roles=("news_editor", "identity_checker"),
        totp_secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    ),
    DemoAccount(
        "administrator",
        "admin@demo.dimos.gr",
        "demo-admin-2026",
        "Ελένη",
        "Κωνσταντίνου",
        staff=True,
        superuser=True,
        roles=("staff_admin", "auditor", "platform_operator", "news_editor"),
        totp_secret="KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF",
    ),
)


@transaction.atomic
def seed_accounts() -> list[DemoAccount]:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from django.contrib.auth.models import Group

    from dimos.accounts.models import User
    from dimos.accounts.services import sync_roles

    sync_roles()
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        if user is not None:
            continue
        user = User.objects.create_user(
            email=account.email,
            password=account.password,
            first_name=account.first_name,
            last_name=account.last_name,
            is_staff=account.staff,
            is_superuser=account.superuser,
            identity_verified=not account.staff,
            identity_provider="" if account.staff else "demo",
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        user.groups.set(Group.objects.filter(name__in=account.roles))
        if (
            account.totp_secret
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, account.totp_secret)
    _print_accounts()
    return list(DEMO_ACCOUNTS)


def _print_accounts() -> None:
    sys.stdout.write("Demo accounts (email / password):\n")
    for account in DEMO_ACCOUNTS:
        line = f"  {account.role:<14} {account.email:<26} {account.password}"
        if account.totp_secret:
            line += f"   two-step code: dimos totp {account.email}"
        sys.stdout.write(line + "\n")


def demo_staff_member(
    role: str,
    email: str,
    password: str,
    first: str,
    last: str,
    groups: tuple[str, ...],
    secret: str,
) -> Any:
    """A demo staff member of a service (the certificates' issuer, the counsellor…) with these
    role groups and a fixed TOTP secret; made once, given the groups again on every run."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from django.contrib.auth.models import Group

    from dimos.accounts.models import User

    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=password, first_name=first, last_name=last, is_staff=True
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    user.groups.add(*Group.objects.filter(name__in=groups))
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)
    return user
