"""The settings of the ideas app (docs/configuration.md), read as ``conf.REQUIRE_EID``."""

from dimos.core.conf import AppConf, Setting


class IdeasConf(AppConf):
    # Whether submitting and voting need a national eID login as well as a confirmed email.
    REQUIRE_EID = Setting("DIMOS_IDEAS_REQUIRE_EID", bool, False)
    # The largest image (bytes) a resident may attach to an idea or a team to an app entry.
    IMAGE_MAX_BYTES = Setting("DIMOS_IDEAS_IMAGE_MAX_BYTES", int, 10 * 1024 * 1024)
    # Votes (cast or taken back) one person may send per period.
    VOTE_RATE = Setting("DIMOS_IDEAS_VOTE_RATE", str, "60/h")
    # Ideas one person may submit per period, and comments one person may write.
    SUBMIT_RATE = Setting("DIMOS_IDEAS_SUBMIT_RATE", str, "10/d")
    COMMENT_RATE = Setting("DIMOS_IDEAS_COMMENT_RATE", str, "30/h")
    # An anomaly is flagged for staff when at least ANOMALY_VOTES votes for one idea within
    # ANOMALY_MINUTES come from accounts created less than ANOMALY_ACCOUNT_DAYS before voting.
    ANOMALY_VOTES = Setting("DIMOS_IDEAS_ANOMALY_VOTES", int, 10)
    ANOMALY_MINUTES = Setting("DIMOS_IDEAS_ANOMALY_MINUTES", int, 60)
    ANOMALY_ACCOUNT_DAYS = Setting("DIMOS_IDEAS_ANOMALY_ACCOUNT_DAYS", int, 2)


conf = IdeasConf()
