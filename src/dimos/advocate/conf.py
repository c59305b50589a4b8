"""The settings of the Advocate (docs/configuration.md), read as ``conf.ANSWER_DAYS``."""

from dimos.core.conf import AppConf, Setting


class AdvocateConf(AppConf):
    # Days the Advocate has to answer from admission (art. 77 N.3852/2010: 30 calendar days),
    # the clock paused while the office waits for the complainant.
    ANSWER_DAYS = Setting("DIMOS_ADVOCATE_ANSWER_DAYS", int, 30)
    # A complaint this many days past its date counts as very overdue.
    VERY_OVERDUE_DAYS = Setting("DIMOS_ADVOCATE_VERY_OVERDUE_DAYS", int, 15)
    # The office is warned this many days before a complaint's date.
    WARN_DAYS = Setting("DIMOS_ADVOCATE_WARN_DAYS", int, 5)
    # Calendar days a service gets to answer the office's request (the office may change it).
    SERVICE_DAYS = Setting("DIMOS_ADVOCATE_SERVICE_DAYS", int, 10)
    # Days after a service's date that the head of the service is told.
    ESCALATE_AFTER_DAYS = Setting("DIMOS_ADVOCATE_ESCALATE_AFTER_DAYS", int, 5)
    # The largest attachment (PDF, JPEG or PNG), and how many one complaint may carry.
    UPLOAD_MAX_BYTES = Setting("DIMOS_ADVOCATE_UPLOAD_MAX_BYTES", int, 10 * 1024 * 1024)
    MAX_ATTACHMENTS = Setting("DIMOS_ADVOCATE_MAX_ATTACHMENTS", int, 10)
    # Years a closed complaint keeps the complainant's identity; then it is anonymised.
    RETENTION_YEARS = Setting("DIMOS_ADVOCATE_RETENTION_YEARS", int, 5)


conf = AdvocateConf()
