"""The open budget's public pages, at /budget/.

Every figure comes from :mod:`dimos.budget.aggregates`; every chart is a
:class:`dimos.budget.charts.BudgetChart` that downloads with ``?chart=<key>&format=…``; every
table sorts on the server (:mod:`dimos.budget.tables`). Only published years are shown: any
other year, an unknown code or line is a 404 page; a question the engine cannot answer (a
sort by an unknown column, a page that is not a number) is a 400 page saying what was wrong.
"""

from dimos.budget.views.pages import guide, index, kae, line, service, year_overview
from dimos.budget.views.tools import compare, my_money, search

__all__ = [
    "compare",
    "guide",
    "index",
    "kae",
    "line",
    "my_money",
    "search",
    "service",
    "year_overview",
]
