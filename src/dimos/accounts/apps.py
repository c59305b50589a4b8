from __future__ import annotations

from django.apps import AppConfig
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def account_summary() -> str:
    """The catalogue's words for the account, in the language of the moment."""
    from dimos.accounts.selectors import eid_configured

    if eid_configured():
        return gettext(
            "Sign up with your email or log in with your national eID (gov.gr) to use "
            "the online services and follow your requests."
        )
    return gettext("Sign up with your email to use the online services and follow your requests.")


class AccountsConfig(AppConfig):
    name = "dimos.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from allauth.socialaccount.signals import social_account_added

        from dimos.accounts import panels
        from dimos.accounts.adapters import eid_connected
        from dimos.core import registry as r

        social_account_added.connect(eid_connected, dispatch_uid="dimos.accounts.eid_connected")

        r.register_service(
            r.CatalogueEntry(
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
            )
        )
        r.register_panel(
            r.AccountPanel(
                key="profile",
                title=_("Profile"),
                template="accounts/panels/profile.html",
                context=panels.profile_panel,
                order=10,
            )
        )
        r.register_role(
            r.Role(
                key="staff_admin",
                app_label="accounts",
                name=_("Staff administrator"),
                description=_("adds staff members and gives them roles"),
                permissions=("accounts.manage_staff", "accounts.view_user"),
                superuser_only=True,
            )
        )
        r.register_queue(
            r.StaffQueue(
                key="staff-without-mfa",
                title=_("Staff without two-step verification"),
                description=_("Staff members who have not yet set up an authenticator app."),
                url_name="accounts:staff_list",
                permission="accounts.manage_staff",
                counts=panels.staff_without_mfa_counts,
                order=800,
            )
        )
        from django.db.models.signals import post_migrate

        from dimos.accounts.services import sync_roles

        # Like Django's own permissions, role groups follow the code after every migrate.
        post_migrate.connect(
            lambda **kwargs: sync_roles(), sender=self, dispatch_uid="dimos-sync-roles"
        )
        for key, title, mandatory in (
            ("accounts.welcome", _("Welcome"), False),
            ("accounts.roles_changed", _("Your staff roles changed"), True),
            ("accounts.staff_changed", _("A staff member's access changed"), True),
            # allauth's own messages (confirm your email, reset your password, security
            # notices), queued through the notifications like every other email.
            ("accounts.account_email", _("Sign-up and password emails"), True),
        ):
            r.register_notification_kind(
                r.NotificationKind(key=key, title=title, mandatory=mandatory)
            )
        from dimos.accounts import audit_sentences, services

        r.register_personal_data(
            r.PersonalDataHandler(
                key="account",
                app_label="accounts",
                export=services.export_account,
                erase=services.erase_account_links,
                models=("accounts.User", "accounts.ApiToken"),
            )
        )

        r.register_audit_sentences(audit_sentences.SENTENCES)
        from dimos.accounts import demo

        r.register_demo_seeder(r.DemoSeeder(key="accounts", seed=demo.seed_accounts, order=20))
