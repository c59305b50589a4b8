"""How the audit log words relief's actions (``registry.register_audit_sentences``)."""

from django.utils.translation import gettext_lazy as _

SENTENCES = {
    "relief.requested": _("%(actor)s asked for help (relief request %(id)s)"),
    "relief.merged": _("%(actor)s added needs to relief request %(id)s"),
    "relief.viewed": _("%(actor)s viewed relief request %(id)s"),
    "relief.beneficiary_viewed": _("%(actor)s viewed the details of beneficiary %(id)s"),
    "relief.beneficiary_erased": _("%(actor)s erased the personal data of beneficiary %(id)s"),
    "relief.eligibility_recorded": _(
        "%(actor)s recorded whether beneficiary %(id)s qualifies for the social grocery"
    ),
    "relief.beneficiaries_listed": _("%(actor)s listed beneficiaries (search, likely duplicates)"),
    "relief.beneficiary_changed": _("%(actor)s changed the details of beneficiary %(id)s"),
    "relief.consent_recorded": _("%(actor)s recorded the consent of beneficiary %(id)s again"),
    "relief.beneficiaries_merged": _("%(actor)s merged a duplicate record into beneficiary %(id)s"),
    "relief.accepted": _("%(actor)s accepted relief request %(id)s"),
    "relief.declined": _("%(actor)s declined relief request %(id)s"),
    "relief.scheduled": _("%(actor)s scheduled relief request %(id)s"),
    "relief.out": _("%(actor)s set out with relief request %(id)s"),
    "relief.delivered": _("%(actor)s delivered relief request %(id)s"),
    "relief.failed": _("%(actor)s could not deliver relief request %(id)s"),
    "relief.closed": _("%(actor)s closed relief request %(id)s"),
    "relief.recurrence_created": _("%(actor)s made relief request %(id)s recurring"),
    "relief.recurrence_stopped": _("%(actor)s stopped the recurring relief request %(id)s"),
    "relief.code_wrong": _("%(actor)s entered a wrong code for relief request %(id)s"),
    "relief.task_taken": _("%(actor)s took the task of relief request %(id)s"),
    "relief.task_assigned": _("%(actor)s gave the task of relief request %(id)s to a volunteer"),
    "relief.task_declined": _("%(actor)s declined the task of relief request %(id)s"),
    "relief.task_handed_back": _("%(actor)s handed back the task of relief request %(id)s"),
    "relief.task_unassigned": _("Coordinators were alerted that relief request %(id)s has no one"),
}
