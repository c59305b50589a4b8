"""The open budget's public pages, at /budget/.

Every figure comes from :mod:`dimos.budget.aggregates`; every chart is a
:class:`dimos.budget.charts.BudgetChart` that downloads with ``?chart=<key>&format=…``; every
table sorts on the server (:mod:`dimos.budget.tables`). Only published years are shown: any
other year, an unknown code or line is a 404 page; a question the engine cannot answer (a
sort by an unknown column, a page that is not a number) is a 400 page saying what was wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import wraps
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from dimos.budget import aggregates as agg
from dimos.budget.charts import (
    BudgetChart,
    chain_chart,
    direction_name,
    euro,
    money,
    over_year_chart,
    over_years_chart,
    percent,
    shares,
    shares_chart,
    short_day,
)
from dimos.budget.forms_public import CompareForm, MoneyForm, SearchForm
from dimos.budget.models import (
    BudgetLine,
    Direction,
    FiscalYear,
    Kae,
    Service,
    Snapshot,
    SpendingDecision,
)
from dimos.budget.tables import (
    PAGE_SIZE,
    PHASE_LABELS,
    Row,
    Table,
    amount_cells,
    amount_columns,
    headers,
    page_of,
    paging,
    phases_of,
    sort_of,
)
from dimos.core.charts import Column, download
from dimos.core.text import fold

View = Callable[..., HttpResponse]


def answers_bad_questions(view: View) -> View:
    """A question the engine refuses is a 400 page that says why, never a 500."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except agg.QueryError as error:
            return render(request, "budget/bad_request.html", {"error": str(error)}, status=400)

    return wrapper


def published_years() -> list[int]:
    return list(FiscalYear.objects.filter(published=True).values_list("year", flat=True))


def _year(year: int) -> FiscalYear:
    fiscal = FiscalYear.objects.filter(year=year, published=True).first()
    if fiscal is None:
        raise Http404(_("There is no published budget for %(year)s.") % {"year": year})
    return fiscal


def _direction(slug: str) -> str:
    if slug not in Direction.values:
        raise Http404(_("There is no such part of the budget."))
    return slug


def _day(value: date) -> str:
    return formats.date_format(value, "j E Y")


def _charted(request: HttpRequest, charts: list[BudgetChart]) -> HttpResponse | None:
    return download(request, list(charts))


# --- Pages ----------------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    """The published years, each with its totals."""
    years = published_years()
    spent = {p.year: p for p in agg.over_years(years=years, cuts=agg.Cuts(direction="expenditure"))}
    income = {p.year: p for p in agg.over_years(years=years, cuts=agg.Cuts(direction="revenue"))}
    rows = []
    for y in sorted(years, reverse=True):
        out, come = spent.get(y), income.get(y)
        first = out or come
        rows.append(
            {
                "year": y,
                "as_of": first.as_of if first else None,
                "revenue": euro(come.amounts.adjusted) if come else "—",
                "expenditure": euro(out.amounts.adjusted) if out else "—",
                "paid": f"{euro(out.amounts.paid)} ({percent(out.amounts.execution)})"
                if out
                else "—",
            }
        )
    return render(request, "budget/index.html", {"years": rows})


def guide(request: HttpRequest) -> HttpResponse:
    """ "Budget 101": the terms, in plain words."""
    return render(request, "budget/guide.html", {"latest": next(iter(published_years()), None)})


@answers_bad_questions
def year_overview(request: HttpRequest, year: int) -> HttpResponse:
    """A year: revenue and expenditure through the execution chain, as of the latest
    snapshot; where the money goes and where it comes from; execution over time."""
    fiscal = _year(year)
    snapshot = agg.latest_snapshot(year)
    parts: dict[str, agg.Amounts] = {}
    for cell in agg.aggregate(year, drilldown=("direction",), snapshot=snapshot).cells:
        parts[cell.key("direction")] = cell.amounts
    spent = parts.get(Direction.EXPENDITURE, agg.Amounts())
    income = parts.get(Direction.REVENUE, agg.Amounts())
    spent_name, income_name = direction_name("expenditure"), direction_name("revenue")
    groups = agg.aggregate(
        year, drilldown=("kae2",), cuts=agg.Cuts(direction="expenditure"), snapshot=snapshot
    ).cells
    sources = agg.aggregate(
        year, drilldown=("kae2",), cuts=agg.Cuts(direction="revenue"), snapshot=snapshot
    ).cells
    in_year = {
        spent_name: agg.over_snapshots(year, cuts=agg.Cuts(direction="expenditure")),
        income_name: agg.over_snapshots(year, cuts=agg.Cuts(direction="revenue")),
    }
    years = published_years()
    across = {
        spent_name: agg.over_years(years=years, cuts=agg.Cuts(direction="expenditure")),
        income_name: agg.over_years(years=years, cuts=agg.Cuts(direction="revenue")),
    }
    where = str(year)
    charts = [
        chain_chart("expenditure-chain", spent, "expenditure", f"{spent_name} {where}"),
        chain_chart("revenue-chain", income, "revenue", f"{income_name} {where}"),
        shares_chart(
            "expenditure-groups",
            groups,
            "kae2",
            _("Where the money goes, %(year)s") % {"year": year},
            "treemap",
        ),
        shares_chart(
            "revenue-groups",
            sources,
            "kae2",
            _("Where the money comes from, %(year)s") % {"year": year},
            "donut",
        ),
        over_year_chart("execution-in-year", in_year, where),
    ]
    if len(years) > 1:
        charts.append(over_years_chart("execution-by-year", across, _("all years")))
    if (answer := _charted(request, charts)) is not None:
        return answer
    return render(
        request,
        "budget/year.html",
        {
            "fiscal": fiscal,
            "year": year,
            "snapshot": snapshot,
            "snapshots": list(Snapshot.objects.filter(year=fiscal).order_by("-as_of")),
            "spent": spent,
            "income": income,
            "spent_rows": _phase_rows(spent, "expenditure"),
            "income_rows": _phase_rows(income, "revenue"),
            "charts": charts,
            "previous_year": year - 1 if year - 1 in years else None,
        },
    )


def _phase_rows(amounts: agg.Amounts, direction: str) -> list[tuple[Any, str]]:
    rows: list[tuple[Any, str]] = [
        (PHASE_LABELS[p], euro(amounts.phase(p))) for p in phases_of(direction)
    ]
    rows.append((_("Execution"), percent(amounts.execution)))
    return rows


def _kae_trail(year: int, direction: str, kae: Kae | None) -> list[tuple[str, str]]:
    """Breadcrumbs from the year down to a KAE code (its ancestors are its prefixes)."""
    trail = [
        (reverse("budget:index"), _("Open budget")),
        (reverse("budget:year", args=[year]), str(year)),
        (
            reverse("budget:kae_root", args=[year, direction]),
            _("%(direction)s by KAE") % {"direction": direction_name(direction)},
        ),
    ]
    if kae is not None:
        head, dot, _tail = kae.code.partition(".")
        codes = [head[:i] for i in range(1, min(len(head), 4) + 1)] + ([kae.code] if dot else [])
        names = {k.code: k for k in Kae.objects.filter(code__in=codes)}
        for code in codes:
            if code in names:
                trail.append(
                    (
                        reverse("budget:kae", args=[year, direction, code]),
                        f"{code} {names[code].name}",
                    )
                )
    return trail


def _cells_table(
    request: HttpRequest,
    answer: agg.Aggregate,
    dimension: str,
    direction: str,
    sorted_by: tuple[str, bool],
    caption: str,
    link: Callable[[str], str],
) -> Table:
    columns = [("code", _("Code"), False), ("", _("Name"), False), *amount_columns(direction)]
    table = Table(
        key="figures",
        caption=caption,
        headers=headers(request, columns, sorted_by),
        rows=[
            Row(
                [c.key(dimension), c.label(dimension), *amount_cells(c.amounts, direction)],
                url=link(c.key(dimension)),
            )
            for c in answer.cells
        ],
        totals=["", _("Total"), *amount_cells(answer.summary, direction)],
    )
    paging(table, request, answer.page, answer.pages)
    return table


def _ask(
    request: HttpRequest,
    year: int,
    dimension: str,
    cuts: agg.Cuts,
    direction: str,
    snapshot: Snapshot | None,
) -> tuple[agg.Aggregate, tuple[str, bool]]:
    sorted_by = sort_of(request, ["code", *phases_of(direction), "execution"])
    key, descending = sorted_by
    order = [(dimension if key == "code" else key, descending)] if key else []
    answer = agg.aggregate(
        year,
        drilldown=(dimension,),
        cuts=cuts,
        order=order,
        page=page_of(request),
        page_size=PAGE_SIZE,
        snapshot=snapshot,
    )
    return answer, sorted_by


@answers_bad_questions
def kae(request: HttpRequest, year: int, direction: str, code: str = "") -> HttpResponse:
    """A level of the KAE hierarchy: the year's classes, or a code's parts (the lines under a
    4-digit code), with their shares, execution chain and execution over the year."""
    fiscal = _year(year)
    direction = _direction(direction)
    node = None
    if code:
        node = Kae.objects.filter(code=code, direction=direction).first()
        if node is None:
            raise Http404(_("There is no KAE code %(code)s.") % {"code": code})
    level = node.level if node else 0
    dimension = f"kae{level + 1}" if level < 4 else "line"
    cuts = agg.Cuts(direction=direction, kae=code)
    snapshot = agg.latest_snapshot(year)
    answer, sorted_by = _ask(request, year, dimension, cuts, direction, snapshot)
    if dimension != "line" and any(c.key(dimension) == code for c in answer.cells):
        # Lines on a code shorter than four digits: show the lines themselves.
        dimension = "line"
        answer, sorted_by = _ask(request, year, dimension, cuts, direction, snapshot)
    title = (
        f"{node.code} {node.name}"
        if node
        else _("%(direction)s by KAE") % {"direction": direction_name(direction)}
    )

    def link(key: str) -> str:
        if dimension == "line":
            return reverse("budget:line", args=[year, key])
        return reverse("budget:kae", args=[year, direction, key])

    return _drill_page(
        request,
        fiscal=fiscal,
        direction=direction,
        dimension=dimension,
        cuts=cuts,
        answer=answer,
        sorted_by=sorted_by,
        title=title,
        trail=_kae_trail(year, direction, node),
        link=link,
        treemap=node is None,
        other_view=reverse("budget:service_root", args=[year, direction]),
    )


@answers_bad_questions
def service(request: HttpRequest, year: int, direction: str, code: str = "") -> HttpResponse:
    """The year's services, or a service's lines."""
    fiscal = _year(year)
    direction = _direction(direction)
    node = None
    if code:
        node = Service.objects.filter(code=code).first()
        if node is None:
            raise Http404(_("There is no service %(code)s.") % {"code": code})
    dimension = "line" if node else "service"
    cuts = agg.Cuts(direction=direction, service=code)
    answer, sorted_by = _ask(request, year, dimension, cuts, direction, agg.latest_snapshot(year))
    root_title = _("%(direction)s by service") % {"direction": direction_name(direction)}
    trail = [
        (reverse("budget:index"), _("Open budget")),
        (reverse("budget:year", args=[year]), str(year)),
        (reverse("budget:service_root", args=[year, direction]), root_title),
    ]
    if node:
        trail.append((reverse("budget:service", args=[year, direction, node.code]), str(node)))

    def link(key: str) -> str:
        if dimension == "line":
            return reverse("budget:line", args=[year, key])
        return reverse("budget:service", args=[year, direction, key])

    return _drill_page(
        request,
        fiscal=fiscal,
        direction=direction,
        dimension=dimension,
        cuts=cuts,
        answer=answer,
        sorted_by=sorted_by,
        title=f"{node.code} {node.name}" if node else root_title,
        trail=trail,
        link=link,
        treemap=node is None,
        other_view=reverse("budget:kae_root", args=[year, direction]),
    )


def _drill_page(
    request: HttpRequest,
    *,
    fiscal: FiscalYear,
    direction: str,
    dimension: str,
    cuts: agg.Cuts,
    answer: agg.Aggregate,
    sorted_by: tuple[str, bool],
    title: str,
    trail: list[tuple[str, str]],
    link: Callable[[str], str],
    treemap: bool,
    other_view: str,
) -> HttpResponse:
    year = fiscal.year
    where = f"{title} ({direction_name(direction)} {year})"
    # The shares of every part, not only this page's.
    everything = agg.aggregate(
        year,
        drilldown=(dimension,),
        cuts=cuts,
        page_size=agg.MAX_PAGE_SIZE,
        snapshot=answer.snapshot,
    )
    charts = [
        shares_chart(
            "shares",
            everything.cells,
            dimension,
            _("Shares of the adjusted budget: %(where)s") % {"where": where},
            "treemap" if treemap else "donut",
        ),
        chain_chart("chain", answer.summary, direction, where),
        over_year_chart(
            "execution-in-year",
            {direction_name(direction): agg.over_snapshots(year, cuts=cuts)},
            where,
        ),
    ]
    if (response := _charted(request, charts)) is not None:
        return response
    table = _cells_table(
        request,
        answer,
        dimension,
        direction,
        sorted_by,
        _("The parts of %(where)s, as of %(day)s")
        % {"where": where, "day": _day(answer.snapshot.as_of) if answer.snapshot else "—"},
        link,
    )
    return render(
        request,
        "budget/drill.html",
        {
            "year": year,
            "direction": direction,
            "direction_name": direction_name(direction),
            "title": title,
            "trail": trail,
            "snapshot": answer.snapshot,
            "summary": _phase_rows(answer.summary, direction),
            "charts": charts,
            "table": table,
            "other_view": other_view,
            "by_service": "service" in str(getattr(request.resolver_match, "url_name", "")),
        },
    )


@answers_bad_questions
def line(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """A budget line: its figures at each snapshot of the year, in other years, and the
    Diavgeia decisions that commit or pay its money."""
    _year(year)
    try:
        service_code, kae_code = agg.split_line_code(code)
    except agg.QueryError as error:
        raise Http404(str(error)) from error
    budget_line = (
        BudgetLine.objects.select_related("service", "kae", "year")
        .prefetch_related(
            Prefetch("decisions", queryset=SpendingDecision.objects.order_by("-date"))
        )
        .filter(year__year=year, service__code=service_code, kae__code=kae_code)
        .first()
    )
    if budget_line is None:
        raise Http404(_("There is no line %(code)s in %(year)s.") % {"code": code, "year": year})
    direction = budget_line.direction
    cuts = agg.Cuts(line=code)
    history = agg.over_snapshots(year, cuts=cuts)
    years = agg.over_years(years=published_years(), cuts=cuts)
    phases = phases_of(direction)
    where = f"{code} {budget_line.description}"
    charts = [
        BudgetChart(
            key="history",
            title=_("The line through the year: %(where)s") % {"where": where},
            description=_(
                "The line's amounts at each published snapshot of the year: the adjusted "
                "budget and how much of it has moved along the chain."
            ),
            columns=[
                Column("as_of", _("As of"), "ordinal"),
                Column("amount", _("Amount (€)"), "quantitative"),
                Column("phase", _("Step")),
            ],
            rows=[
                {
                    "as_of": short_day(point.as_of),
                    "amount": money(point.amounts.phase(phase)),
                    "phase": str(PHASE_LABELS[phase]),
                }
                for phase in phases[1:]
                for point in history
            ],
            mark="line" if len(history) > 1 else "bar",
            kind="line",
            series="phase",
            units={"amount": "euro"},
        ),
        chain_chart("chain", history[-1].amounts if history else agg.Amounts(), direction, where),
    ]
    if len(years) > 1:
        charts.append(over_years_chart("execution-by-year", {where: years}, where))
    if (response := _charted(request, charts)) is not None:
        return response
    history_table = Table(
        key="history",
        caption=_("The line at each snapshot of %(year)s") % {"year": year},
        headers=headers(
            request,
            [
                ("", _("As of"), False),
                *[("", label, True) for _key, label, _n in amount_columns(direction)],
            ],
            ("", False),
        ),
        rows=[Row([_day(p.as_of), *amount_cells(p.amounts, direction)]) for p in reversed(history)],
    )
    other_years = [
        (p.year, reverse("budget:line", args=[p.year, code]))
        for p in years
        if p.year != year and p.amounts.lines
    ]
    return render(
        request,
        "budget/line.html",
        {
            "year": year,
            "line": budget_line,
            "code": code,
            "direction_name": direction_name(direction),
            "trail": [
                *_kae_trail(year, direction, budget_line.kae),
                ("", _("Line %(code)s") % {"code": code}),
            ],
            "snapshot": agg.latest_snapshot(year),
            "summary": _phase_rows(history[-1].amounts if history else agg.Amounts(), direction),
            "charts": charts,
            "history": history_table,
            "decisions": [_with_euros(d) for d in budget_line.decisions.all()],
            "other_years": other_years,
            "service_url": reverse(
                "budget:service", args=[year, direction, budget_line.service.code]
            ),
        },
    )


def _with_euros(decision: SpendingDecision) -> SpendingDecision:
    decision.euros = euro(decision.amount)  # type: ignore[attr-defined]
    return decision


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
                Column("name", _("Area")),
                Column("yours", _("Your euros"), "quantitative"),
                Column("share", _("Share (%)"), "quantitative"),
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
        if (response := _charted(request, [chart])) is not None:
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
