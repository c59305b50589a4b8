"""How the audit log words the deliveries' actions (``registry.register_audit_sentences``)."""

from django.utils.translation import gettext_lazy as _

SENTENCES = {
    "delivery.scheduled": _("%(actor)s scheduled home delivery %(id)s"),
    "delivery.planned": _("%(actor)s changed the plan of home delivery %(id)s"),
    "delivery.out": _("%(actor)s set out with home delivery %(id)s"),
    "delivery.delivered": _("%(actor)s recorded home delivery %(id)s as delivered"),
    "delivery.failed": _("%(actor)s recorded home delivery %(id)s as failed"),
    "delivery.assigned": _("%(actor)s gave home delivery %(id)s to the courier of its run"),
    "delivery.recipient_changed": _(
        "%(actor)s corrected the recipient's details of home delivery %(id)s"
    ),
    "delivery.viewed": _("%(actor)s viewed the recipient's details of home delivery %(id)s"),
    "run.created": _("%(actor)s made run %(id)s"),
    "run.courier": _("%(actor)s chose the courier of run %(id)s"),
    "run.stop_added": _("%(actor)s added a stop to run %(id)s"),
    "run.stop_removed": _("%(actor)s took a stop off run %(id)s"),
    "run.reordered": _("%(actor)s changed the order of run %(id)s"),
    "run.dissolved": _("%(actor)s undid run %(id)s"),
    "delivery.taken": _("%(actor)s gave home delivery %(id)s to a courier"),
    "delivery.released": _("%(actor)s gave back home delivery %(id)s"),
}
