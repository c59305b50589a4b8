"""The order of a run along the way, and its distances: plain Python, no map service.

Nearest neighbour from the start point (the depot): each next stop is the closest one not yet
visited, by great-circle (haversine) distance. Stops without a map point go last, in the order
they came. Good enough for a courier's day in a town; not an optimal tour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dimos.core.geo import distance_m

Point = tuple[float, float]


def order_along_the_way(points: Sequence[Point | None], start: Point) -> list[int]:
    """The indexes of ``points`` in nearest-neighbour order from ``start``; ``None`` last.

    Ties go to the point that came first, so the order is stable.
    """
    left = [i for i, p in enumerate(points) if p is not None]
    order: list[int] = []
    here = start
    while left:
        best = min(left, key=lambda i: (distance_m(*here, *points[i]), i))  # type: ignore[misc]
        left.remove(best)
        order.append(best)
        here = points[best]  # type: ignore[assignment]
    return order + [i for i, p in enumerate(points) if p is None]


@dataclass(frozen=True)
class Legs:
    """Metres from the previous located stop (the start for the first), ``None`` for a stop
    without a point, and the total from the start through every located stop."""

    each: list[float | None]
    total: float


def legs(points: Sequence[Point | None], start: Point) -> Legs:
    each: list[float | None] = []
    here, total = start, 0.0
    for point in points:
        if point is None:
            each.append(None)
            continue
        step = distance_m(*here, *point)
        each.append(step)
        total += step
        here = point
    return Legs(each=each, total=total)
