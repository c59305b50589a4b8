"""How the audit log words the council secretariat's actions."""

from django.utils.translation import gettext_lazy as _

SENTENCES = {
    "council.meeting_created": _("%(actor)s prepared meeting %(id)s"),
    "council.meeting_changed": _("%(actor)s changed meeting %(id)s"),
    "council.meeting_moved": _("%(actor)s moved meeting %(id)s"),
    "council.meeting_invited": _("%(actor)s published the invitation to meeting %(id)s"),
    "council.agenda_republished": _("%(actor)s published the changed agenda of meeting %(id)s"),
    "council.meeting_held": _("%(actor)s marked meeting %(id)s held"),
    "council.meeting_cancelled": _("%(actor)s cancelled meeting %(id)s"),
    "council.item_added": _("%(actor)s added an item to the agenda of meeting %(id)s"),
    "council.item_changed": _("%(actor)s changed an item of the agenda of meeting %(id)s"),
    "council.item_moved": _("%(actor)s moved an item of the agenda of meeting %(id)s"),
    "council.item_withdrawn": _("%(actor)s withdrew an item of the agenda of meeting %(id)s"),
    "council.paper_attached": _("%(actor)s attached a paper to an item of meeting %(id)s"),
    "council.document_attached": _("%(actor)s attached a document to meeting %(id)s"),
    "council.attendance_recorded": _("%(actor)s recorded the roll call of meeting %(id)s"),
    "council.votes_recorded": _("%(actor)s recorded the votes on an item of meeting %(id)s"),
    "council.decision_recorded": _("%(actor)s recorded a decision of meeting %(id)s"),
    "council.ada_set": _("%(actor)s recorded the ADA of a decision of meeting %(id)s"),
    "council.recording_set": _("%(actor)s set the recording of meeting %(id)s"),
    "council.timecodes_set": _("%(actor)s set the time-codes of meeting %(id)s"),
    "council.minutes_published": _("%(actor)s published the minutes of meeting %(id)s"),
    "council.question_approved": _("%(actor)s published question %(id)s from a resident"),
    "council.question_rejected": _("%(actor)s did not publish question %(id)s from a resident"),
}
