"""How the audit log words the deliveries' actions (``registry.register_audit_sentences``)."""

from django.utils.translation import gettext_lazy as _

SENTENCES = {
    "delivery.scheduled": _("%(actor)s scheduled home delivery %(id)s"),
    "delivery.planned": _("%(actor)s changed the plan of home delivery %(id)s"),
    "delivery.out": _("%(actor)s set out with home delivery %(id)s"),
    "delivery.delivered": _("%(actor)s recorded home delivery %(id)s as delivered"),
    "delivery.failed": _("%(actor)s recorded home delivery %(id)s as failed"),
}
