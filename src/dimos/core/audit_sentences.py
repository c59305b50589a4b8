"""How the audit log words the core's actions (see ``registry.register_audit_sentences``)."""

from django.utils.translation import gettext_lazy as _

SENTENCES = {
    "audit.viewed": _("%(actor)s searched the audit log"),
    "audit.confidential_viewed": _("%(actor)s read the confidential audit log"),
    "notification.retry": _("%(actor)s had notification delivery %(id)s sent again"),
    "task.recovered": _(
        "%(actor)s put a background task back in the queue: its worker had stopped or stopped "
        "responding"
    ),
    "admin.added": _("%(actor)s added in the configuration: %(object)s %(id)s"),
    "admin.changed": _("%(actor)s changed in the configuration: %(object)s %(id)s"),
    "admin.deleted": _("%(actor)s deleted in the configuration: %(object)s %(id)s"),
}
