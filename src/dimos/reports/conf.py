"""The settings of reports (docs/configuration.md), read as ``conf.MAX_PHOTOS``."""

from dimos.core.conf import AppConf, Setting


class ReportsConf(AppConf):
    # Reports a person or an address may file per period ("count/h" or "count/m").
    SUBMISSION_RATE = Setting("DIMOS_SUBMISSION_RATE", str, "30/h")
    MAX_PHOTOS = Setting("DIMOS_REPORT_MAX_PHOTOS", int, 3)
    PHOTO_MAX_BYTES = Setting("DIMOS_REPORT_PHOTO_MAX_BYTES", int, 10 * 1024 * 1024)
    # Open311 jurisdiction_id; empty means the municipality's short name (slug).
    OPEN311_JURISDICTION = Setting("DIMOS_OPEN311_JURISDICTION", str, "")
    # Open311 media_url links are fetched only from public addresses unless this is on.
    OPEN311_MEDIA_PRIVATE_HOSTS = Setting("DIMOS_OPEN311_MEDIA_PRIVATE_HOSTS", bool, False)


conf = ReportsConf()
