import pytest

from dimos.core import geo
from dimos.core.demo import OCTAGON, _ring
from dimos.core.selectors import locate

SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]]}
WITH_HOLE = {
    "type": "Polygon",
    "coordinates": [
        [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
        [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],
    ],
}


def test_point_inside_polygon():
    assert geo.contains(SQUARE, lat=5, lon=5)


def test_point_outside_polygon():
    assert not geo.contains(SQUARE, lat=15, lon=5)


def test_point_in_hole_is_outside():
    assert not geo.contains(WITH_HOLE, lat=5, lon=5)
    assert geo.contains(WITH_HOLE, lat=2, lon=2)


def test_multipolygon():
    multi = {
        "type": "MultiPolygon",
        "coordinates": [SQUARE["coordinates"], [[[20, 20], [30, 20], [30, 30], [20, 20]]]],
    }
    assert geo.contains(multi, lat=21, lon=25)


@pytest.mark.parametrize(
    "bad",
    [
        None,
        {"type": "Point", "coordinates": [1, 2]},
        {"type": "Polygon", "coordinates": []},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0]]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [200, 0], [1, 1], [0, 0]]]},
        {"type": "Polygon", "coordinates": [[["a", 0], [1, 0], [1, 1], ["a", 0]]]},
    ],
)
def test_invalid_geometries_are_rejected(bad):
    with pytest.raises(ValueError):
        geo.parse_polygon(bad)


def test_distance_between_two_known_points():
    # Serres town hall to Thessaloniki's White Tower: about 70 km as the crow flies.
    assert 65_000 < geo.distance_m(41.0917, 23.5496, 40.6264, 22.9484) < 75_000


def test_bbox_around_contains_the_circle():
    min_lon, min_lat, max_lon, max_lat = geo.bbox_around(41.0, 23.5, 1000)
    assert geo.distance_m(41.0, 23.5, max_lat, 23.5) == pytest.approx(1000, rel=0.01)
    assert min_lon < 23.5 < max_lon and min_lat < 41.0 < max_lat


def test_valid_point():
    assert geo.valid_point("41.1", "23.5")
    assert not geo.valid_point("nan", "23.5")
    assert not geo.valid_point(91, 0)
    assert not geo.valid_point("x", 0)


def test_locate_finds_the_district(municipality):
    found = locate(41.09, 23.55)  # the town in the middle
    assert found.inside
    assert found.district is not None and found.district.code == "serres"
    found = locate(41.15, 23.55)  # up the hill to the north: a village, not the town
    assert found.inside
    assert found.district is not None and found.district.code == "elaionas"


def test_locate_outside_the_boundary(municipality):
    found = locate(40.0, 23.55)
    assert not found.inside
    assert found.district is None


def test_demo_boundary_is_valid():
    geo.parse_polygon({"type": "Polygon", "coordinates": [_ring(OCTAGON)]})
