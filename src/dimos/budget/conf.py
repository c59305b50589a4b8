"""The settings of the open budget (docs/configuration.md), read as ``conf.IMPORT_MAX_BYTES``."""

from dimos.core.conf import AppConf, Setting


class BudgetConf(AppConf):
    # The largest budget or execution file staff may import (CSV or XLSX; an XLSX is also
    # bounded after decompression by the importer).
    IMPORT_MAX_BYTES = Setting("DIMOS_BUDGET_IMPORT_MAX_BYTES", int, 20 * 1024 * 1024)


conf = BudgetConf()
