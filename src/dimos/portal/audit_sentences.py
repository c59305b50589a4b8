"""How the audit log words the portal's actions (``registry.register_audit_sentences``)."""

from django.utils.translation import gettext_lazy as _

SENTENCES = {
    "emergency.switched_on": _("%(actor)s switched the stay-at-home emergency on (%(id)s)"),
    "emergency.switched_off": _("%(actor)s switched the stay-at-home emergency off (%(id)s)"),
}
