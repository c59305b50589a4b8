"""The fixed-window rate limit: per person when logged in, else per address."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from dimos.core.ratelimit import over_limit, parse_rate


@pytest.mark.parametrize(
    ("rate", "parsed"), [("30/h", (30, 3600)), ("5/m", (5, 60)), ("2/s", (2, 1)), ("7", (7, 3600))]
)
def test_parse_rate(rate, parsed):
    assert parse_rate(rate) == parsed


def _request(user, address="203.0.113.7"):
    request = RequestFactory().get("/", REMOTE_ADDR=address)
    request.user = user
    return request


def test_people_are_counted_apart_from_their_address(db, citizen, other_citizen):
    assert not over_limit(_request(citizen), "x", "1/m")
    assert over_limit(_request(citizen), "x", "1/m")
    assert not over_limit(_request(other_citizen), "x", "1/m")  # same address, another person
    assert not over_limit(_request(AnonymousUser()), "x", "1/m")
    assert over_limit(_request(AnonymousUser()), "x", "1/m")
    assert not over_limit(_request(AnonymousUser(), "198.51.100.1"), "x", "1/m")


def test_by_address_counts_everyone_at_one_address_together(db, citizen, other_citizen):
    assert not over_limit(_request(citizen), "lookup", "1/m", by_address=True)
    assert over_limit(_request(other_citizen), "lookup", "1/m", by_address=True)


def test_scopes_are_separate(db, citizen):
    assert not over_limit(_request(citizen), "a", "1/m")
    assert not over_limit(_request(citizen), "b", "1/m")
