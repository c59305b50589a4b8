"""How the audit log words the ideas app's actions (``registry.register_audit_sentences``)."""

from django.utils.translation import gettext_lazy as _

SENTENCES = {
    "idea.competition_saved": _("%(actor)s saved competition %(id)s"),
    "idea.submitted": _("%(actor)s submitted idea %(id)s"),
    "idea.edited": _("%(actor)s edited idea %(id)s"),
    "idea.withdrawn": _("%(actor)s withdrew idea %(id)s"),
    "idea.published": _("%(actor)s published idea %(id)s"),
    "idea.rejected": _("%(actor)s rejected idea %(id)s"),
    "idea.merged": _("%(actor)s merged idea %(id)s into another"),
    "idea.comment_published": _("%(actor)s published comment %(id)s"),
    "idea.comment_hidden": _("%(actor)s hid comment %(id)s"),
    "idea.anomaly_reviewed": _("%(actor)s reviewed vote anomaly %(id)s"),
    "idea.entry_submitted": _("%(actor)s entered app %(id)s"),
    "idea.entry_edited": _("%(actor)s edited app entry %(id)s"),
    "idea.entry_decided": _("%(actor)s decided on app entry %(id)s"),
    "idea.conflict_declared": _("%(actor)s declared a conflict of interest with entry %(id)s"),
    "idea.scored": _("%(actor)s scored app entry %(id)s"),
    "idea.awarded": _("%(actor)s gave a prize to app entry %(id)s"),
    "idea.results_published": _("%(actor)s published the results of competition %(id)s"),
    "idea.member_invited": _("%(actor)s invited a person to the team of app entry %(id)s"),
    "idea.member_joined": _("%(actor)s joined the team of app entry %(id)s"),
    "idea.juror_named": _("%(actor)s named a juror of competition %(id)s"),
    "idea.juror_removed": _("%(actor)s removed a juror of competition %(id)s"),
    "idea.criterion_saved": _("%(actor)s saved a criterion of competition %(id)s"),
    "idea.prize_saved": _("%(actor)s saved a prize of competition %(id)s"),
}
