"""The settings of appointments (docs/configuration.md), read as ``conf.HOLD_MINUTES``."""

from dimos.core.conf import AppConf, Setting


class AppointmentsConf(AppConf):
    # Minutes a chosen slot stays held for a resident while they confirm.
    HOLD_MINUTES = Setting("DIMOS_APPOINTMENTS_HOLD_MINUTES", int, 10)
    # Online booking is suspended after this many no-shows within the window below (0 = never).
    NO_SHOW_LIMIT = Setting("DIMOS_APPOINTMENTS_NO_SHOW_LIMIT", int, 3)
    NO_SHOW_DAYS = Setting("DIMOS_APPOINTMENTS_NO_SHOW_DAYS", int, 180)
    # The reminder is sent this many hours before the appointment.
    REMINDER_HOURS = Setting("DIMOS_APPOINTMENTS_REMINDER_HOURS", int, 24)
    # Seconds the public calendar and the API's availability are cached (0 = never).
    AVAILABILITY_CACHE_SECONDS = Setting("DIMOS_APPOINTMENTS_AVAILABILITY_CACHE_SECONDS", int, 5)
    # Days a staff calendar feed link works before its owner must make a new one.
    FEED_DAYS = Setting("DIMOS_APPOINTMENTS_FEED_DAYS", int, 90)
    # The video-call room of a video session, "{room}" replaced by a secret name per booking
    # (e.g. https://meet.jit.si/{room}); empty: the counsellor sends the link by email.
    VIDEO_URL = Setting("DIMOS_APPOINTMENTS_VIDEO_URL", str, "")


conf = AppointmentsConf()
