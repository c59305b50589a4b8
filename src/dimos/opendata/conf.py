"""Settings of the open-data catalogue (read as ``conf.NAME``; listed in docs/configuration.md)."""

from dimos.core.conf import AppConf, Setting


class OpenDataConf(AppConf):
    # The largest file staff may upload as a resource, in megabytes.
    MAX_UPLOAD_MB = Setting("DIMOS_OPENDATA_MAX_UPLOAD_MB", int, 200)
    # The most rows a CSV or XLSX file may bring into the datastore.
    MAX_ROWS = Setting("DIMOS_OPENDATA_MAX_ROWS", int, 2_000_000)
    # The most columns a table may have.
    MAX_COLUMNS = Setting("DIMOS_OPENDATA_MAX_COLUMNS", int, 300)
    # Seconds a load into the datastore may take before it is given up (the old table stays).
    MAX_SECONDS = Setting("DIMOS_OPENDATA_MAX_SECONDS", int, 900)


conf = OpenDataConf()
