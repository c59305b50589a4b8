"""How the audit log words the activities' actions (``registry.register_audit_sentences``)."""

from django.utils.translation import gettext_lazy as _

SENTENCES = {
    "activity.created": _("%(actor)s created programme %(id)s"),
    "activity.changed": _("%(actor)s changed programme %(id)s"),
    "activity.published": _("%(actor)s published programme %(id)s"),
    "activity.cancelled": _("%(actor)s cancelled programme %(id)s"),
    "activity.child_added": _("%(actor)s added a child to their account (%(id)s)"),
    "activity.child_removed": _("%(actor)s removed a child from their account (%(id)s)"),
    "activity.registered": _("%(actor)s registered (registration %(id)s)"),
    "activity.offered": _("A place was offered from the waitlist (registration %(id)s)"),
    "activity.offer_expired": _("An offered place was not confirmed in time (registration %(id)s)"),
    "activity.confirmed": _("%(actor)s confirmed an offered place (registration %(id)s)"),
    "activity.cancelled_place": _("%(actor)s cancelled registration %(id)s"),
    "activity.participants_viewed": _("%(actor)s viewed the participants of programme %(id)s"),
    "activity.attendance_taken": _("%(actor)s took attendance in programme %(id)s"),
    "activity.session_cancelled": _("%(actor)s cancelled a session of programme %(id)s"),
    "activity.session_moved": _("%(actor)s moved a session of programme %(id)s"),
    "activity.messaged": _("%(actor)s wrote to the participants of programme %(id)s"),
    "activity.checked_in": _("%(actor)s checked in registration %(id)s"),
    "activity.material_added": _("%(actor)s added material to programme %(id)s"),
    "activity.certificate_downloaded": _(
        "%(actor)s downloaded a certificate of attendance (registration %(id)s)"
    ),
    "activity.participants_erased": _(
        "The participants of programme %(id)s were erased after the retention period"
    ),
}
