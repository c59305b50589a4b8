"""How the audit log words the budget officers' actions."""

from django.utils.translation import gettext_lazy as _

SENTENCES = {
    "budget.snapshot_imported": _("%(actor)s imported budget snapshot %(id)s"),
}
