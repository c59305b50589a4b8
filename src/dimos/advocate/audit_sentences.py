"""How the audit log words the Advocate's actions (``registry.register_audit_sentences``)."""

from django.utils.translation import gettext_lazy as _

SENTENCES = {
    "complaint.created": _("%(actor)s filed a complaint to the Advocate (%(id)s)"),
    "complaint.confirm": _("%(actor)s confirmed complaint %(id)s to the Advocate"),
    "complaint.admit": _("%(actor)s admitted complaint %(id)s"),
    "complaint.reject": _("%(actor)s found complaint %(id)s not admissible"),
    "complaint.refer": _("%(actor)s referred complaint %(id)s elsewhere"),
    "complaint.ask": _("%(actor)s asked the complainant of %(id)s for more (clock paused)"),
    "complaint.resume": _("%(actor)s resumed the examination of complaint %(id)s"),
    "complaint.conclude": _("%(actor)s answered complaint %(id)s"),
    "complaint.withdraw": _("%(actor)s withdrew complaint %(id)s"),
    "complaint.viewed": _("%(actor)s read complaint %(id)s"),
    "complaint.assigned": _("%(actor)s assigned complaint %(id)s"),
    "complaint.noted": _("%(actor)s noted a meeting, call or note on complaint %(id)s"),
    "complaint.message_sent": _("%(actor)s wrote to the complainant of %(id)s"),
    "complaint.replied": _("%(actor)s wrote to the Advocate about complaint %(id)s"),
    "complaint.document_added": _("%(actor)s added a document to complaint %(id)s"),
    "complaint.document_read": _("%(actor)s opened a document of complaint %(id)s"),
    "complaint.answer_read": _("%(actor)s opened the answer of complaint %(id)s"),
    "complaint.rated": _("%(actor)s rated the answer to complaint %(id)s"),
    "complaint.adoption": _("%(actor)s recorded whether the recommendation of %(id)s was followed"),
    "complaint.erased": _("%(actor)s erased the complainant's data of complaint %(id)s"),
    "mediation.requested": _("%(actor)s asked a service about complaint %(id)s"),
    "mediation.viewed": _("%(actor)s read the Advocate's request about complaint %(id)s"),
    "mediation.answered": _("%(actor)s answered the Advocate about complaint %(id)s"),
    "summary.published": _("%(actor)s published a summary of complaint %(id)s"),
    "report.edited": _("%(actor)s edited the Advocate's annual report %(id)s"),
    "report.published": _("%(actor)s published the Advocate's annual report %(id)s"),
}
