"""The settings of the feedback app (docs/configuration.md), read as ``conf.RATE_DAYS``."""

from dimos.core.conf import AppConf, Setting


class FeedbackConf(AppConf):
    # Days the link asking a person to rate a completed transaction stays good.
    RATE_DAYS = Setting("DIMOS_FEEDBACK_RATE_DAYS", int, 90)
    # Answers to "Is this page useful?" one client address may send per period.
    PAGE_RATE = Setting("DIMOS_FEEDBACK_PAGE_RATE", str, "20/h")
    # Minutes a service's published performance figures are kept before they are counted again.
    PERFORMANCE_MINUTES = Setting("DIMOS_FEEDBACK_PERFORMANCE_MINUTES", int, 60)


conf = FeedbackConf()
