"""The pages the benchmark measures, each against the floor page in the same run.

A later issue that wants its pages measured adds a ``register(Endpoint(...))`` line here;
one-off paths can be given on the command line (``--endpoint name=/path``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Endpoint:
    """One URL to load, as an anonymous visitor."""

    name: str
    path: str
    description: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    # Target: requests/s at least this share of the floor's, with no errors (None: report only).
    min_floor_ratio: float | None = None


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
