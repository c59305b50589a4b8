"""The pages the benchmark measures, each against the floor page in the same run.

A later issue that wants its pages measured adds a ``register(Endpoint(...))`` line here;
one-off paths can be given on the command line (``--endpoint name=/path``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class Endpoint:
    """One URL to load, as an anonymous visitor."""

    name: str
    path: str
    description: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    # Target: requests/s at least this share of the floor's, with no errors (None: report only).
    min_floor_ratio: float | None = None
    # Target: p99 latency at most this multiple of the endpoint's own p50 (None: report only).
    max_p99_over_p50: float | None = None
    # Target: no errors at all, whatever the throughput (writes: sustained submission).
    zero_errors: bool = False
    # POST this form body instead of a GET; "{api_key}" is replaced by the run's API key.
    method: str = "GET"
    body: str = ""
    # Measured only with --reports N (it needs the bulk reports and an API key).
    needs_reports: bool = False
    # Measured only with --relief N (benchmarks/relief.py seeds the requests and volunteers).
    needs_relief: bool = False
    # Signed in as this persona of benchmarks/relief.py ("coordinator", "volunteer"); the
    # floor it is compared with is then loaded with the same session.
    session: str = ""
    # Measured only with --council N (benchmarks/council.py); the path names a page of the
    # seeded data ("{meeting}", "{oparl_meetings}", "{search}"), filled in once it is seeded.
    needs_council: bool = False
    # Measured only with --budget (benchmarks/budget.py): the demo's three years of the budget.
    needs_budget: bool = False
    # Measured only with --feedback N (benchmarks/feedback.py): N ratings over twelve months.
    needs_feedback: bool = False
    # Measured only with --activities (benchmarks/activities.py): 300 programmes and the rush.
    needs_activities: bool = False
    # Measured only with --ideas (benchmarks/ideas.py): a competition with 500 ideas and the rush.
    needs_ideas: bool = False
    # Measured only with --advocate N (benchmarks/advocate.py); the path names a page of the
    # seeded data ("{advocate_report}"…), filled in once it is seeded.
    needs_advocate: bool = False


# The trivial view behind the full middleware stack (DIMOS_BENCH_FLOOR=1 mounts it).
FLOOR = Endpoint(
    name="floor",
    path="/_bench/floor",
    description="do-nothing view through the full middleware stack",
)

ENDPOINTS: dict[str, Endpoint] = {}


def register(endpoint: Endpoint) -> Endpoint:
    if endpoint.name == FLOOR.name or endpoint.name in ENDPOINTS:
        raise ValueError(f"endpoint {endpoint.name!r} is already registered")
    ENDPOINTS[endpoint.name] = endpoint
    return endpoint


def parse_cli_endpoint(spec: str) -> Endpoint:
    """``name=/path`` from the command line."""
    name, sep, path = spec.partition("=")
    name, path = name.strip(), path.strip()
    if not sep or not name or not path.startswith("/"):
        raise ValueError(f"expected name=/path, got {spec!r}")
    return Endpoint(name=name, path=path, description="given on the command line")


register(
    Endpoint(
        name="home",
        path="/",
        description="home page, anonymous, Greek",
        headers={"Accept-Language": "el"},
        min_floor_ratio=0.5,
    )
)
register(
    Endpoint(
        name="api_news",
        path="/api/v1/news",
        description="news list of the REST API, first page",
        headers={"Accept": "application/json"},
    )
)


# Certificates: the public verification of the demo certificate (its code is fixed in
# dimos.certificates.demo.DEMO_CODE), as the QR code's page and through the API.
register(
    Endpoint(
        name="verify_code",
        path="/verify/DEMASERRESCERT26/",
        description="certificate verification page (QR link), anonymous",
        headers={"Accept-Language": "el"},
        min_floor_ratio=0.5,
    )
)
register(
    Endpoint(
        name="api_verify_code",
        path="/api/v1/certificates/verify/DEMASERRESCERT26",
        description="certificate verification through the API",
        headers={"Accept": "application/json"},
        min_floor_ratio=0.5,
    )
)


# Appointments (issue 5): a KEP's free times for the next 30 days, through the API (the date
# is fixed when the harness starts), and the resident's two-week calendar page.
_APPT_LAST_DAY = date.today() + timedelta(days=29)
register(
    Endpoint(
        name="appt_avail_30d",
        path="/api/v1/appointments/availability?service=certificates&centre=kep-serres"
        f"&date_to={_APPT_LAST_DAY.isoformat()}",
        description="appointments: free times of a KEP service for the next 30 days (API)",
        headers={"Accept": "application/json"},
        min_floor_ratio=0.4,
    )
)
register(
    Endpoint(
        name="appt_calendar",
        path="/appointments/book/certificates/kep-serres/",
        description="appointments: the two-week calendar page of a KEP service, anonymous",
        headers={"Accept-Language": "el"},
        min_floor_ratio=0.4,
    )
)


# Open311 reads every client makes (issue 11, "speed of the shared paths"): one request by id
# (a demo report: the demo seeds reports 1…) and the service list, each ≥ 50 % of the floor.
register(
    Endpoint(
        name="o311_request",
        path="/open311/v2/requests/1.json",
        description="Open311: one service request by id",
        headers={"Accept-Encoding": "gzip"},
        min_floor_ratio=0.5,
    )
)
register(
    Endpoint(
        name="o311_services",
        path="/open311/v2/services.json",
        description="Open311: the list of services",
        headers={"Accept-Encoding": "gzip"},
        min_floor_ratio=0.5,
    )
)

# Issue reports with --reports N (docs/performance.md, "Issue reports (1,000,000 reports)").
# The demo municipality is around 41.09 N, 23.55 E; its whole area is about 0.1° across.
CITY_BBOX = "23.45,41.00,23.70,41.20"
# What browsers and most HTTP libraries send; the API's cached answers are kept compressed.
GZIP = {"Accept-Encoding": "gzip"}

# The reads the issue sets targets on: each at least 40 % of the floor, p99 under 10 × p50.
for name, path, description in (
    (
        "o311_default",
        "/open311/v2/requests.json",
        "Open311 requests, default: last 90 days, at most 1000",
    ),
    (
        "o311_service",
        "/open311/v2/requests.json?service_code=pothole",
        "Open311 requests of one service code",
    ),
    (
        "o311_radius",
        "/open311/v2/requests.json?lat=41.10&long=23.56&radius=500",
        "Open311 requests within 500 m (Helsinki extension)",
    ),
    (
        "o311_bbox",
        "/open311/v2/requests.json?bbox=23.55,41.09,23.57,41.11",
        "Open311 requests in a box (bbox extension)",
    ),
    (
        "clusters_city",
        f"/reports/clusters.json?bbox={CITY_BBOX}&zoom=13",
        "map clusters of the whole city at zoom 13",
    ),
):
    register(
        Endpoint(
            name=name,
            path=path,
            description=description,
            min_floor_ratio=0.4,
            max_p99_over_p50=10.0,
            headers=GZIP,
            needs_reports=True,
        )
    )
register(
    Endpoint(
        name="o311_default_plain",
        path="/open311/v2/requests.json",
        description="o311_default from a client that does not accept gzip (no target)",
        needs_reports=True,
    )
)
register(
    Endpoint(
        name="o311_submit",
        path="/open311/v2/requests.json",
        description="Open311 POST of a new report with an API key (sustained writes)",
        method="POST",
        body="api_key={api_key}&service_code=pothole&lat=41.0950&long=23.5520"
        "&description=Benchmark+pothole&first_name=Bench",
        zero_errors=True,
        needs_reports=True,
    )
)


# Relief at emergency scale with --relief N (docs/performance.md, "Relief"): N open requests
# and N/10 volunteers; each page signed in, against the floor signed in as the same person.
register(
    Endpoint(
        name="relief_board",
        path="/staff/relief/",
        description="relief: the coordinators' board of today and tomorrow, signed in",
        headers={"Accept-Language": "el"},
        min_floor_ratio=0.4,
        needs_relief=True,
        session="coordinator",
    )
)
register(
    Endpoint(
        name="relief_tasks",
        path="/relief/tasks/",
        description="relief: a volunteer's tasks near them, signed in",
        headers={"Accept-Language": "el"},
        min_floor_ratio=0.4,
        needs_relief=True,
        session="volunteer",
    )
)


# The council at ten years' scale with --council N (docs/performance.md, "Council"): about 600
# meetings, 15,000 agenda items and decisions, votes on a fifth of them. Anonymous, as residents
# and civic apps read them.
register(
    Endpoint(
        name="council_meeting",
        path="{meeting}",
        description="council: a meeting's page (25 items, decisions, 41 members' votes)",
        headers={"Accept-Language": "el"},
        min_floor_ratio=0.5,
        needs_council=True,
    )
)
register(
    Endpoint(
        name="oparl_meetings",
        path="{oparl_meetings}",
        description="council: OParl 1.1 list of the council's meetings, a page of 100",
        headers={"Accept": "application/json", **GZIP},
        min_floor_ratio=0.5,
        needs_council=True,
    )
)
register(
    Endpoint(
        name="council_search",
        path="{search}",
        description="council: full-text search of items, decisions and papers (Greek word)",
        headers={"Accept-Language": "el"},
        min_floor_ratio=0.3,
        needs_council=True,
    )
)


# The open budget with --budget (docs/performance.md, "Open budget"): the demo's three years of
# about 1,500 lines and their monthly snapshots. Anonymous, in Greek, as residents read them.
register(
    Endpoint(
        name="budget_overview",
        path="/budget/2026/",
        description="budget: a year's overview (execution chain, shares, execution over time)",
        headers={"Accept-Language": "el"},
        min_floor_ratio=0.5,
        needs_budget=True,
    )
)
register(
    Endpoint(
        name="budget_drill",
        path="/budget/2026/expenditure/kae/60/",
        description="budget: a drill-down page (a KAE group: its codes, chart, table)",
        headers={"Accept-Language": "el"},
        min_floor_ratio=0.5,
        needs_budget=True,
    )
)
register(
    Endpoint(
        name="budget_png",
        path="/budget/2026/expenditure/kae/60/?chart=shares&format=png",
        description="budget: a chart's PNG download from the drill-down page (kept PNG)",
        headers={"Accept-Language": "el"},
        min_floor_ratio=0.3,
        needs_budget=True,
    )
)


# Activities with --activities (docs/performance.md, "Activities"): the catalogue of about 300
# programmes, as an anonymous family reads it (the first page, in Greek), against the floor.
register(
    Endpoint(
        name="activities_catalogue",
        path="/activities/",
        description="activities: the catalogue's first page of about 300 programmes",
        headers={"Accept-Language": "el"},
        min_floor_ratio=0.5,
        needs_activities=True,
    )
)
register(
    Endpoint(
        name="activities_filtered",
        path="/activities/?age=8&where=online&day=3",
        description="activities: the catalogue filtered by age, online and a weekday",
        headers={"Accept-Language": "el"},
        min_floor_ratio=0.5,
        needs_activities=True,
    )
)


# Ideas competitions with --ideas (docs/performance.md, "Ideas competitions"): a competition in
# its voting phase with 500 published ideas — its page (phase, timeline, themes with their
# counts, the ten ideas with the most votes) and its ideas list — as an anonymous visitor.
register(
    Endpoint(
        name="ideas_competition",
        path="/ideas/bench-500/",
        description="ideas: a competition's page with 500 ideas (anonymous)",
        headers={"Accept-Language": "el"},
        min_floor_ratio=0.5,
        needs_ideas=True,
    )
)
register(
    Endpoint(
        name="ideas_list",
        path="/ideas/bench-500/ideas/",
        description="ideas: the first page of its 500 ideas by votes (anonymous)",
        headers={"Accept-Language": "el"},
        min_floor_ratio=0.5,
        needs_ideas=True,
    )
)


# The Advocate with --advocate N (docs/performance.md, "The Advocate"): N complaints over five
# years. Anonymous, in Greek, as residents and councillors read the annual report.
register(
    Endpoint(
        name="advocate_report",
        path="{advocate_report}",
        description="advocate: last year's annual report (figures from the year's cases, 5 charts)",
        headers={"Accept-Language": "el"},
        min_floor_ratio=0.5,
        needs_advocate=True,
    )
)
register(
    Endpoint(
        name="advocate_figures",
        path="{advocate_figures}",
        description="advocate: the year's public figures in the API (JSON)",
        headers={"Accept": "application/json"},
        min_floor_ratio=0.5,
        needs_advocate=True,
    )
)
register(
    Endpoint(
        name="advocate_start",
        path="{advocate_start}",
        description="advocate: the start page (last year's figures, reports, summaries)",
        headers={"Accept-Language": "el"},
        min_floor_ratio=0.5,
        needs_advocate=True,
    )
)


# Service performance with --feedback N (docs/performance.md, "Feedback"): a million ratings
# over twelve months. Anonymous, in Greek, as residents read them.
register(
    Endpoint(
        name="performance",
        path="/performance/",
        description="feedback: the municipality's service performance (every service, charts)",
        headers={"Accept-Language": "el"},
        min_floor_ratio=0.5,
        needs_feedback=True,
    )
)
register(
    Endpoint(
        name="performance_service",
        path="/performance/report-problem/",
        description="feedback: one service's performance (figures, four charts, comments)",
        headers={"Accept-Language": "el"},
        min_floor_ratio=0.5,
        needs_feedback=True,
    )
)
