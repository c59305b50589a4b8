"""What Greek dates must not look like: a day before a month in the nominative ("30 Νοέμβριος")
is wrong; a day's month is in the genitive ("30 Νοεμβρίου"). See docs/glossary.md."""

from __future__ import annotations

import re

MONTHS_NOMINATIVE = (
    "Ιανουάριος|Φεβρουάριος|Μάρτιος|Απρίλιος|Μάιος|Ιούνιος|Ιούλιος|Αύγουστος|Σεπτέμβριος"
    "|Οκτώβριος|Νοέμβριος|Δεκέμβριος"
)
MONTHS_GENITIVE = (
    "Ιανουαρίου|Φεβρουαρίου|Μαρτίου|Απριλίου|Μαΐου|Ιουνίου|Ιουλίου|Αυγούστου|Σεπτεμβρίου"
    "|Οκτωβρίου|Νοεμβρίου|Δεκεμβρίου"
)
# "30 Νοέμβριος": a day followed by the month in the nominative.
DAY_AND_NOMINATIVE = re.compile(rf"\b\d{{1,2}}\s+({MONTHS_NOMINATIVE})\b")
