from __future__ import annotations

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dimos.core.manifest import (
    AccountPanel,
    CatalogueEntry,
    DemoSeeder,
    DimosAppConfig,
    Manifest,
    NotificationKind,
    PersonalDataHandler,
    Role,
    StaffQueue,
    ref,
)


def account_summary() -> str:
    """The catalogue's words for the account, in the language of the moment."""
    from dimos.accounts.selectors import eid_configured

    if eid_configured():
        return gettext(
            "Sign up with your email or log in with your national eID (gov.gr) to use "
            "the online services and follow your requests."
        )
    return gettext("Sign up with your email to use the online services and follow your requests.")


class AccountsConfig(DimosAppConfig):
    name = "dimos.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    manifest = Manifest(
        urls="dimos.accounts.urls",
        url_prefix="",  # "My account" pages under /my/, staff management under /staff/team/
        catalogue=(
            CatalogueEntry(
                key="account",
                topic="getting-started",
                name=_("Your account with the municipality"),
                # The national eID is promised only where a gateway is configured.
                summary=lazy(account_summary, str)(),
                audience=_("Residents and businesses"),
                url_name="account_signup",
                online=True,
                order=10,
                keywords=_("sign up, login, gov.gr, TaxisNet, account, profile"),
            ),
        ),
        panels=(
            AccountPanel(
                key="profile",
                title=_("Profile"),
                template="accounts/panels/profile.html",
                context=ref("dimos.accounts.panels.profile_panel"),
                order=10,
            ),
        ),
        roles=(
            Role(
                key="staff_admin",
                name=_("Staff administrator"),
                description=_("adds staff members and gives them roles"),
                permissions=("accounts.manage_staff", "accounts.view_user"),
                superuser_only=True,
            ),
            Role(
                key="identity_checker",
                name=_("Identity checker"),
                description=_(
                    "confirms at the desk, from an identity document, that an account is its "
                    "owner's"
                ),
                permissions=("accounts.confirm_identity",),
            ),
        ),
        queues=(
            StaffQueue(
                key="staff-without-mfa",
                title=_("Staff without two-step verification"),
                description=_("Staff members who have not yet set up an authenticator app."),
                url_name="accounts:staff_list",
                permission="accounts.manage_staff",
                counts=ref("dimos.accounts.panels.staff_without_mfa_counts"),
                order=800,
            ),
        ),
        notification_kinds=(
            NotificationKind(key="accounts.welcome", title=_("Welcome")),
            NotificationKind(
                key="accounts.identity_confirmed",
                title=_("Your identity was confirmed"),
                mandatory=True,
            ),
            NotificationKind(
                key="accounts.roles_changed", title=_("Your staff roles changed"), mandatory=True
            ),
            NotificationKind(
                key="accounts.staff_changed",
                title=_("A staff member's access changed"),
                mandatory=True,
            ),
            # allauth's own messages (confirm your email, reset your password, security
            # notices), queued through the notifications like every other email.
            NotificationKind(
                key="accounts.account_email", title=_("Sign-up and password emails"), mandatory=True
            ),
        ),
        personal_data=(
            PersonalDataHandler(
                key="account",
                export=ref("dimos.accounts.services.export_account"),
                erase=ref("dimos.accounts.services.erase_account_links"),
                models=("accounts.User", "accounts.ApiToken"),
            ),
        ),
        seeders=(DemoSeeder(key="accounts", seed=ref("dimos.accounts.demo.seed_accounts")),),
        audit_sentences="dimos.accounts.audit_sentences.SENTENCES",
    )

    def ready(self) -> None:
        from allauth.socialaccount.signals import social_account_added
        from django.db.models.signals import post_migrate

        from dimos.accounts.adapters import eid_connected
        from dimos.accounts.services import sync_roles

        super().ready()
        social_account_added.connect(eid_connected, dispatch_uid="dimos.accounts.eid_connected")
        # Like Django's own permissions, role groups follow the code after every migrate.
        post_migrate.connect(
            lambda **kwargs: sync_roles(), sender=self, dispatch_uid="dimos-sync-roles"
        )
