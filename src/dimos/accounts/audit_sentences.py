"""How the audit log words the accounts' actions (see ``registry.register_audit_sentences``)."""

from django.utils.translation import gettext_lazy as _

SENTENCES = {
    "account.signup": _("%(actor)s created an account"),
    "account.login": _("%(actor)s logged in"),
    "account.logout": _("%(actor)s logged out"),
    "account.email_confirmed": _("%(actor)s confirmed the email address of their account"),
    "account.profile_updated": _("%(actor)s changed their profile"),
    "account.data_exported": _("%(actor)s downloaded their personal data"),
    "account.erased": _("%(actor)s deleted their account"),
    "account.eid_linked": _("%(actor)s linked their account to the national eID"),
    "account.identity_confirmed": _("%(actor)s confirmed in person the identity of %(target)s"),
    "account.identity_looked_up": _("%(actor)s looked up %(target)s to confirm their identity"),
    "staff.created": _("%(actor)s added staff member %(target)s"),
    "staff.roles_changed": _("%(actor)s changed the roles of staff member %(target)s"),
    "api_token.issued": _("%(actor)s issued API token %(id)s"),
    "api_token.revoked": _("%(actor)s revoked API token %(id)s"),
}
