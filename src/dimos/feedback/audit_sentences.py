"""How the audit log words the feedback staff's actions."""

from django.utils.translation import gettext_lazy as _

SENTENCES = {
    "feedback.triaged": _("%(actor)s triaged feedback %(id)s"),
    "feedback.theme_added": _("%(actor)s added the feedback theme %(id)s"),
}
