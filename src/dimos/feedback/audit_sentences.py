"""How the audit log words the feedback staff's actions."""

from django.utils.translation import gettext_lazy as _

SENTENCES = {
    "feedback.triaged": _("%(actor)s triaged feedback %(id)s"),
    "feedback.theme_added": _("%(actor)s added the feedback theme %(id)s"),
    "survey.created": _("%(actor)s created survey %(id)s"),
    "survey.changed": _("%(actor)s changed survey %(id)s"),
    "survey.invited": _("%(actor)s made invitation links to survey %(id)s"),
    "survey.results_published": _("%(actor)s published the results of survey %(id)s"),
    "survey.results_withdrawn": _("%(actor)s withdrew the results of survey %(id)s"),
    "survey.answers_reviewed": _("%(actor)s reviewed the written answers of survey %(id)s"),
    "survey.exported": _("%(actor)s exported the answers of survey %(id)s"),
}
