"""How the audit log words the appointments' actions (``registry.register_audit_sentences``).

Entries about counselling sessions are in the confidential stream; these sentences are read
there by the supervisors.
"""

from django.utils.translation import gettext_lazy as _

SENTENCES = {
    "appointment.held": _("%(actor)s held a time for booking %(id)s"),
    "appointment.booked": _("%(actor)s booked appointment %(id)s"),
    "appointment.cancelled": _("%(actor)s cancelled appointment %(id)s"),
    "appointment.rescheduled": _("%(actor)s moved appointment %(id)s to another time"),
    "appointment.check_in": _("%(actor)s checked in the person of appointment %(id)s"),
    "appointment.served": _("%(actor)s marked appointment %(id)s as served"),
    "appointment.no_show": _("%(actor)s recorded that nobody came to appointment %(id)s"),
    "appointment.slot_blocked": _("%(actor)s closed the time %(at)s to bookings"),
    "appointment.slot_unblocked": _("%(actor)s opened the time %(at)s to bookings again"),
    "appointment.day_blocked": _("%(actor)s closed a day to bookings (closure %(id)s)"),
    "appointment.note_added": _("%(actor)s wrote a note on session %(id)s"),
    "appointment.sessions_listed": _("%(actor)s opened the list of their sessions"),
    "appointment.session_viewed": _("%(actor)s opened session %(id)s"),
    "appointment.session_denied": _("%(actor)s tried to open session %(id)s and was refused"),
    "appointment.feed_link_created": _("%(actor)s made a new calendar feed link"),
    "appointment.feed_link_revoked": _("%(actor)s revoked their calendar feed link"),
}
