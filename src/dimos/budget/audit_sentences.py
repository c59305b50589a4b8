"""How the audit log words the budget officers' actions."""

from django.utils.translation import gettext_lazy as _

SENTENCES = {
    "budget.snapshot_imported": _("%(actor)s imported budget snapshot %(id)s"),
    "budget.year_created": _("%(actor)s added budget year %(id)s"),
    "budget.year_published": _("%(actor)s published budget year %(id)s"),
    "budget.year_unpublished": _("%(actor)s took budget year %(id)s off the public site"),
    "budget.decision_added": _("%(actor)s added spending decision %(id)s"),
    "budget.decision_changed": _("%(actor)s changed spending decision %(id)s"),
    "budget.decision_deleted": _("%(actor)s deleted spending decision %(id)s"),
    "budget.decisions_imported": _("%(actor)s imported spending decisions into budget year %(id)s"),
}
