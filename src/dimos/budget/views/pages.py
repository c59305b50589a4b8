"""The open budget's pages of figures: the years, a year's overview, the drill-down by KAE
and by service, a line."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
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
    shares_chart,
    short_day,
)
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
from dimos.budget.views.common import (
    answers_bad_questions,
    charted,
    kept,
    long_day,
    part_of,
    phase_rows,
    public_year,
    published_years,
    with_euros,
)
from dimos.core.charts import Column


@kept
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


@kept
def guide(request: HttpRequest) -> HttpResponse:
    """ "Budget 101": the terms, in plain words."""
    return render(request, "budget/guide.html", {"latest": next(iter(published_years()), None)})


@kept
@answers_bad_questions
def year_overview(request: HttpRequest, year: int) -> HttpResponse:
    """A year: revenue and expenditure through the execution chain, as of the latest
    snapshot; where the money goes and where it comes from; execution over time."""
    fiscal = public_year(year)
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
    if (answer := charted(request, charts)) is not None:
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
            "spent_rows": phase_rows(spent, "expenditure"),
            "income_rows": phase_rows(income, "revenue"),
            "charts": charts,
            "previous_year": year - 1 if year - 1 in years else None,
        },
    )


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


@kept
@answers_bad_questions
def kae(request: HttpRequest, year: int, direction: str, code: str = "") -> HttpResponse:
    """A level of the KAE hierarchy: the year's classes, or a code's parts (the lines under a
    4-digit code), with their shares, execution chain and execution over the year."""
    fiscal = public_year(year)
    direction = part_of(direction)
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


@kept
@answers_bad_questions
def service(request: HttpRequest, year: int, direction: str, code: str = "") -> HttpResponse:
    """The year's services, or a service's lines."""
    fiscal = public_year(year)
    direction = part_of(direction)
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
    if (response := charted(request, charts)) is not None:
        return response
    table = _cells_table(
        request,
        answer,
        dimension,
        direction,
        sorted_by,
        _("The parts of %(where)s, as of %(day)s")
        % {"where": where, "day": long_day(answer.snapshot.as_of) if answer.snapshot else "—"},
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
            "summary": phase_rows(answer.summary, direction),
            "charts": charts,
            "table": table,
            "other_view": other_view,
            "by_service": "service" in str(getattr(request.resolver_match, "url_name", "")),
        },
    )


@kept
@answers_bad_questions
def line(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """A budget line: its figures at each snapshot of the year, in other years, and the
    Diavgeia decisions that commit or pay its money."""
    public_year(year)
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
    if (response := charted(request, charts)) is not None:
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
        rows=[
            Row([long_day(p.as_of), *amount_cells(p.amounts, direction)]) for p in reversed(history)
        ],
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
            "summary": phase_rows(history[-1].amounts if history else agg.Amounts(), direction),
            "charts": charts,
            "history": history_table,
            "decisions": [with_euros(d) for d in budget_line.decisions.all()],
            "other_years": other_years,
            "service_url": reverse(
                "budget:service", args=[year, direction, budget_line.service.code]
            ),
        },
    )
