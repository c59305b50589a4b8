"""The settings of activities (docs/configuration.md), read as ``conf.OFFER_HOURS``."""

from dimos.core.conf import AppConf, Setting


class ActivitiesConf(AppConf):
    # The version of the parental consent text guardians accept when they add a child; raise it
    # when the text changes (each child keeps the version and time its guardian accepted).
    CONSENT_VERSION = Setting("DIMOS_ACTIVITIES_CONSENT_VERSION", int, 1)
    # Hours a person promoted from the waitlist has to confirm the place before it passes on.
    OFFER_HOURS = Setting("DIMOS_ACTIVITIES_OFFER_HOURS", int, 24)
    # Hours before each session that the registered get a reminder with the link.
    REMINDER_HOURS = Setting("DIMOS_ACTIVITIES_REMINDER_HOURS", int, 24)
    # Days after a programme's last session that its participants' data is erased (anonymous
    # counts are kept).
    RETENTION_DAYS = Setting("DIMOS_ACTIVITIES_RETENTION_DAYS", int, 180)
    # The most children one account may add.
    MAX_CHILDREN = Setting("DIMOS_ACTIVITIES_MAX_CHILDREN", int, 8)


conf = ActivitiesConf()
