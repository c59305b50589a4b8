"""Reading files other than the budget's own (:mod:`dimos.budget.importer` reads those)."""
