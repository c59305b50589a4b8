"""How the audit log words the council secretariat's actions."""

from django.utils.translation import gettext_lazy as _

SENTENCES = {
    "council.meeting_created": _("%(actor)s prepared meeting %(id)s"),
    "council.meeting_changed": _("%(actor)s changed meeting %(id)s"),
}
