"""The settings of volunteers (docs/configuration.md), read as ``conf.VETTING_DAYS``."""

from dimos.core.conf import AppConf, Setting


class VolunteersConf(AppConf):
    # An application not approved or declined within these days counts as overdue in the
    # coordinators' queue.
    VETTING_DAYS = Setting("DIMOS_VOLUNTEERS_VETTING_DAYS", int, 10)
    # The largest document a coordinator may add while vetting (PDF, JPEG or PNG).
    UPLOAD_MAX_BYTES = Setting("DIMOS_VOLUNTEERS_UPLOAD_MAX_BYTES", int, 5 * 1024 * 1024)


conf = VolunteersConf()
