"""How the audit log words the volunteers' actions (``registry.register_audit_sentences``)."""

from django.utils.translation import gettext_lazy as _

SENTENCES = {
    "volunteer.applied": _("%(actor)s applied to volunteer (volunteer %(id)s)"),
    "volunteer.reapplied": _("%(actor)s applied to volunteer again (volunteer %(id)s)"),
    "volunteer.viewed": _("%(actor)s viewed the details of volunteer %(id)s"),
    "volunteer.profile_changed": _("%(actor)s changed the details of volunteer %(id)s"),
    "volunteer.conduct_accepted": _("%(actor)s accepted the code of conduct (volunteer %(id)s)"),
    "volunteer.conduct_published": _(
        "%(actor)s published a version of the volunteers' code of conduct (%(id)s)"
    ),
    "volunteer.hours_logged": _("%(actor)s logged hours of volunteer %(id)s"),
    "volunteer.identity_checked": _("%(actor)s checked the identity of volunteer %(id)s"),
    "volunteer.document_added": _("%(actor)s added a document to volunteer %(id)s"),
    "volunteer.document_downloaded": _("%(actor)s downloaded a document of volunteer %(id)s"),
    "volunteer.approved": _("%(actor)s approved volunteer %(id)s"),
    "volunteer.rejected": _("%(actor)s did not accept volunteer %(id)s"),
    "volunteer.paused": _("%(actor)s paused volunteer %(id)s"),
    "volunteer.resumed": _("%(actor)s resumed volunteer %(id)s"),
    "volunteer.retired": _("%(actor)s retired volunteer %(id)s"),
}
