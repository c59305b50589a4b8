"""Date formats of the site's languages (FORMAT_MODULE_PATH), over Django's own.

Greek writes a day's month in the genitive («30 Νοεμβρίου 2026»): Django's Greek formats use
the nominative in MONTH_DAY_FORMAT (`j F`) and numbers elsewhere; ours use `E`, the genitive
in Greek and the plain month name in English. See docs/glossary.md.
"""
