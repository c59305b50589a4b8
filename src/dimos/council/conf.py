"""The settings of the council (docs/configuration.md), read as ``conf.LIVE_BEFORE_MINUTES``."""

from dimos.core.conf import AppConf, Setting


class CouncilConf(AppConf):
    # The "live now" card shows from this many minutes before a meeting starts until it ends.
    LIVE_BEFORE_MINUTES = Setting("DIMOS_COUNCIL_LIVE_BEFORE_MINUTES", int, 10)
    # Where recordings and live streams may be embedded from, besides YouTube (which is always
    # embedded through youtube-nocookie.com): comma-separated https origins, e.g.
    # "https://video.example.gr". The CSP's frame-src lists exactly these.
    VIDEO_ORIGINS = Setting("DIMOS_COUNCIL_VIDEO_ORIGINS", str, "")
    # The largest document the secretariat may attach (PDF, office documents, images).
    UPLOAD_MAX_BYTES = Setting("DIMOS_COUNCIL_UPLOAD_MAX_BYTES", int, 20 * 1024 * 1024)
    # Questions a resident may send on agenda items per period ("count/period", e.g. "10/h").
    QUESTION_RATE = Setting("DIMOS_COUNCIL_QUESTION_RATE", str, "10/h")


conf = CouncilConf()
