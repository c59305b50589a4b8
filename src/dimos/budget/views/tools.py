"""The open budget's tools for residents: search a line, compare two years, where my money
goes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dimos.budget import aggregates as agg
from dimos.budget.charts import (
    BudgetChart,
    direction_name,
    euro,
    money,
    percent,
    shares,
)
from dimos.budget.forms_public import CompareForm, MoneyForm, SearchForm
from dimos.budget.models import (
    BudgetLine,
)
from dimos.budget.tables import (
    PAGE_SIZE,
    PHASE_LABELS,
    Row,
    Table,
    headers,
    page_of,
    paging,
    sort_of,
)
from dimos.budget.views.common import charted, kept, published_years
from dimos.core.charts import Column
from dimos.core.text import fold


@kept
def search(request: HttpRequest) -> HttpResponse:
    """Lines found by code (``6011``, ``10-6011``) or by words, accents and case ignored."""
    years = published_years()
    form = SearchForm(request.GET if "q" in request.GET else None, years=years)
    results: list[dict[str, Any]] = []
    searched = False
    if form.is_bound and form.is_valid():
        searched = True
        year = int(form.cleaned_data["year"])
        results = _find_lines(year, form.cleaned_data["q"])
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "budget/search.html",
        {"form": form, "page": page, "searched": searched, "count": len(results)},
        status=400 if form.errors else 200,
    )


def _find_lines(year: int, text: str) -> list[dict[str, Any]]:
    words = fold(text).split()
    snapshot = agg.latest_snapshot(year)
    amounts = {}
    if snapshot is not None:
        amounts = {
            row.line_id: row
            for row in snapshot.amounts.only("line_id", "adjusted", "paid", "collected")
        }
    found = []
    lines = BudgetLine.objects.filter(year__year=year).values_list(
        "pk",
        "service__code",
        "kae__code",
        "description",
        "kae__name_el",
        "kae__name_en",
        "direction",
    )
    for pk, service_code, kae_code, description, name_el, name_en, direction in lines:
        code = f"{service_code}-{kae_code}"
        haystack = fold(f"{code} {description} {name_el} {name_en}")
        if all(
            word in haystack or kae_code.startswith(word) or code.startswith(word) for word in words
        ):
            row = amounts.get(pk)
            found.append(
                {
                    "code": code,
                    "description": description,
                    "direction": direction_name(direction),
                    "url": reverse("budget:line", args=[year, code]),
                    "adjusted": euro(row.adjusted) if row else "—",
                    "executed": euro(row.paid if direction == "expenditure" else row.collected)
                    if row
                    else "—",
                }
            )
    found.sort(key=lambda r: r["code"])
    return found


@kept
def compare(request: HttpRequest) -> HttpResponse:
    """Two years line by line (``?a=2025&b=2026``): each line's amount in both, and the
    difference."""
    years = published_years()
    form = CompareForm(request.GET if "a" in request.GET else None, years=years)
    context: dict[str, Any] = {"form": form, "table": None}
    if form.is_bound and form.is_valid():
        try:
            context.update(_comparison(request, form.cleaned_data))
        except agg.QueryError as error:
            return render(request, "budget/bad_request.html", {"error": str(error)}, status=400)
    return render(request, "budget/compare.html", context, status=400 if form.errors else 200)


def _comparison(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    a, b = int(data["a"]), int(data["b"])
    direction, phase = data["direction"], data["phase"]
    cuts = agg.Cuts(direction=direction)
    first = agg.aggregate(a, drilldown=("line",), cuts=cuts, page_size=agg.MAX_PAGE_SIZE)
    second = agg.aggregate(b, drilldown=("line",), cuts=cuts, page_size=agg.MAX_PAGE_SIZE)
    merged: dict[str, dict[str, Any]] = {}
    for side, answer in (("a", first), ("b", second)):
        for cell in answer.cells:
            row = merged.setdefault(
                cell.key("line"), {"code": cell.key("line"), "name": cell.label("line")}
            )
            row[side] = cell.amounts.phase(phase)
            if side == "b":
                row["name"] = cell.label("line")
    for row in merged.values():
        row["difference"] = row.get("b", Decimal(0)) - row.get("a", Decimal(0))
    sorted_by = sort_of(request, ["code", "a", "b", "difference"], default="code")
    key, descending = sorted_by
    rows = sorted(
        merged.values(),
        key=lambda r: r[key] if key == "code" else r.get(key, Decimal(0)),
        reverse=descending,
    )
    pages = Paginator(rows, PAGE_SIZE)
    number = page_of(request)
    if number > pages.num_pages:
        raise agg.QueryError(_("There is no page %(page)s.") % {"page": number})

    def written(value: Decimal | None) -> str:
        return euro(value) if value is not None else "—"

    def change(row: dict[str, Any]) -> str:
        before = row.get("a")
        if not before or "b" not in row:
            return "—"
        return _signed_percent(agg.percentage(row["difference"], before))

    phase_name = str(PHASE_LABELS[phase]).lower()
    table = Table(
        key="compare",
        caption=_("%(phase)s amount of each line in %(a)s and %(b)s")
        % {"phase": str(PHASE_LABELS[phase]), "a": a, "b": b},
        headers=headers(
            request,
            [
                ("code", _("Line"), False),
                ("", _("Description"), False),
                ("a", str(a), True),
                ("b", str(b), True),
                ("difference", _("Difference"), True),
                ("", _("Change"), True),
            ],
            sorted_by,
        ),
        rows=[
            Row(
                [
                    r["code"],
                    r["name"],
                    written(r.get("a")),
                    written(r.get("b")),
                    written(r["difference"]),
                    change(r),
                ],
                url=reverse("budget:line", args=[b if "b" in r else a, r["code"]]),
            )
            for r in pages.page(number).object_list
        ],
        totals=[
            "",
            _("Total"),
            written(first.summary.phase(phase)),
            written(second.summary.phase(phase)),
            written(second.summary.phase(phase) - first.summary.phase(phase)),
            _signed_percent(
                agg.percentage(
                    second.summary.phase(phase) - first.summary.phase(phase),
                    first.summary.phase(phase),
                )
            ),
        ],
    )
    paging(table, request, number, pages.num_pages)
    return {"table": table, "a": a, "b": b, "phase_name": phase_name}


def _signed_percent(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return ("+" if value > 0 else "") + percent(value)


@kept
def my_money(request: HttpRequest) -> HttpResponse:
    """ "Where does my money go": an amount of municipal fees, shared as the year's
    expenditure is shared among its groups."""
    years = published_years()
    form = MoneyForm(request.GET if "amount" in request.GET else None, years=years)
    context: dict[str, Any] = {"form": form, "chart": None}
    if form.is_bound and form.is_valid():
        year, amount = int(form.cleaned_data["year"]), form.cleaned_data["amount"]
        basis = form.cleaned_data["basis"]
        cells = agg.aggregate(
            year,
            drilldown=("kae2",),
            cuts=agg.Cuts(direction="expenditure"),
            order=[(basis, True)],
            page_size=agg.MAX_PAGE_SIZE,
        ).cells
        whole = sum((c.amounts.phase(basis) for c in cells), Decimal(0))
        parts = [
            {
                "name": f"{c.key('kae2')} {c.label('kae2')}",
                "code": c.key("kae2"),
                "share": agg.percentage(c.amounts.phase(basis), whole),
                "yours": (amount * c.amounts.phase(basis) / whole).quantize(Decimal("0.01")),
            }
            for c in cells
            if whole and c.amounts.phase(basis) > 0
        ]
        for part in parts:
            part["yours_text"] = euro(part["yours"])
        chart = BudgetChart(
            key="my-money",
            title=_("Where %(amount)s of yours go, %(year)s")
            % {"amount": euro(amount), "year": year},
            description=_(
                "Your amount shared among the municipality's areas of expenditure as the "
                "year's %(basis)s budget is shared among them."
            )
            % {"basis": str(PHASE_LABELS[basis]).lower()},
            columns=[
                Column("name", _("Area of spending")),
                Column("yours", _("Your euros"), "quantitative"),
                Column("share", pgettext("budget", "Share (%)"), "quantitative"),
            ],
            rows=[
                {"name": p["name"], "yours": money(p["yours"]), "share": float(p["share"] or 0)}
                for p in parts
            ],
            kind="donut",
            units={"yours": "euro", "share": "percent"},
        )
        if len(parts) > 8:
            chart.rows = shares(chart.rows, "name", "yours")
            for row in chart.rows:
                row.setdefault(
                    "share", float(agg.percentage(Decimal(str(row["yours"])), amount) or 0)
                )
        if (response := charted(request, [chart])) is not None:
            return response
        context.update(
            {
                "chart": chart,
                "parts": parts,
                "year": year,
                "amount": euro(amount),
                "kae_url": reverse("budget:kae_root", args=[year, "expenditure"]),
            }
        )
    return render(request, "budget/my_money.html", context, status=400 if form.errors else 200)
