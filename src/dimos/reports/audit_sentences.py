"""How the audit log words the reports' actions (``registry.register_audit_sentences``)."""

from django.utils.translation import gettext_lazy as _

SENTENCES = {
    "report.submitted": _("%(actor)s submitted report %(id)s"),
    "report.viewed": _("%(actor)s viewed report %(id)s"),
    "report.status_changed": _("%(actor)s changed the status of report %(id)s"),
    "report.status": _("%(actor)s changed the status of report %(id)s"),
    "report.public_note": _("%(actor)s posted a public update on report %(id)s"),
    "report.internal_note": _("%(actor)s wrote an internal note on report %(id)s"),
    "report.assigned": _("%(actor)s assigned report %(id)s"),
    "report.priority": _("%(actor)s changed the priority of report %(id)s"),
    "report.category": _("%(actor)s moved report %(id)s to another category"),
    "report.location": _("%(actor)s moved the pin of report %(id)s on the map"),
    "report.photo": _("%(actor)s changed the photos of report %(id)s"),
    "report.followed": _("%(actor)s started following report %(id)s"),
    "report.rated": _("%(actor)s rated report %(id)s"),
    "district.followed": _("%(actor)s started following the reports of district %(id)s"),
    "subscription.ended": _("%(actor)s stopped following %(object)s %(id)s"),
    "reports.exported": _("%(actor)s downloaded reports as a spreadsheet (CSV)"),
}
