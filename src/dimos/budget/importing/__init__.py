"""The import's parts: reading tables out of files (``tables``), the preview of what a budget
file would change (``preview``), files of spending decisions (``decisions``). Budget files
themselves are read by :mod:`dimos.budget.importer`."""
