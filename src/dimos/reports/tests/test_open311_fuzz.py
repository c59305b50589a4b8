"""Open311 GeoReport v2 has no OpenAPI description: Hypothesis fuzzes its parameters instead.

Every GET endpoint and POST requests get generated parameters — the standard's names with
values of every kind (text, huge and negative numbers, dates, coordinates, control characters)
— as query strings, form bodies and JSON bodies (nested objects and lists too). No answer may
be a server error, and every error must be in the standard's shape, a list of
``{code, description}`` (JSON) or ``<errors>`` (XML). Deterministic and bounded.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from dimos.accounts.services import issue_api_token
from dimos.reports.tests.factories import CategoryFactory

NAMES = [
    "jurisdiction_id",
    "api_key",
    "service_code",
    "service_request_id",
    "lat",
    "long",
    "address_string",
    "address_id",
    "email",
    "device_id",
    "account_id",
    "first_name",
    "last_name",
    "phone",
    "description",
    "media_url",
    "start_date",
    "end_date",
    "status",
    "updated_after",
    "updated_before",
    "agency_responsible",
    "search",
    "order_by",
    "bbox",
    "radius",
    "page",
    "page_size",
    "extensions",
    "attribute[depth]",
    "attribute[size][]",
    "attribute[]",
    "attribute[[x]]",
]

scalars = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(
        [
            "41.1",
            "23.5",
            "pothole",
            "open",
            "closed,open",
            "-requested_datetime",
            "2026-01-01T00:00:00+02:00",
            "2026-13-45",
            "1e309",
            "23.5,41.0,23.6,41.2",
            "http://127.0.0.1/x.jpg",
            "a@b.c",
            "\x00\x1f\ufffe",
            "true",
        ]
    ),
)
params = st.dictionaries(st.sampled_from(NAMES), scalars, max_size=8)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
json_bodies = st.one_of(
    st.dictionaries(st.sampled_from([*NAMES, "attribute"]), json_values, max_size=8),
    json_values,
)

FUZZ = hypothesis_settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def setup(municipality: Any, admin_user: Any) -> dict[str, Any]:
    CategoryFactory.create(code="pothole")
    _token, key = issue_api_token(user=admin_user, name="fuzz", actor=admin_user)
    return {"client": Client(raise_request_exception=False), "key": key}


def _check(response: Any, fmt: str) -> None:
    assert response.status_code < 500, response.content[:500]
    if response.status_code < 400:
        return
    if fmt == "xml":
        root = ET.fromstring(response.content)
        assert root.tag == "errors" and root.find("error/code") is not None
    else:
        body = json.loads(response.content)
        assert isinstance(body, list) and {"code", "description"} <= set(body[0])


@pytest.mark.parametrize(
    "path",
    [
        "requests.{fmt}",
        "requests/1.{fmt}",
        "requests/99999999999999999999999.{fmt}",
        "services.{fmt}",
        "services/pothole.{fmt}",
        "tokens/x.{fmt}",
        "discovery.{fmt}",
        "servicerequestupdates.{fmt}",
        "no/such/endpoint.{fmt}",
    ],
)
@FUZZ
@given(query=params, fmt=st.sampled_from(["json", "xml"]))
def test_get_parameters_never_cause_a_server_error(setup, path, query, fmt):
    from django.core.cache import cache

    cache.clear()  # the per-address throttle is not under test here
    response = setup["client"].get("/open311/v2/" + path.format(fmt=fmt), query)
    _check(response, fmt)


@FUZZ
@given(data=params, fmt=st.sampled_from(["json", "xml"]), with_key=st.booleans())
def test_form_posts_never_cause_a_server_error(setup, data, fmt, with_key):
    from django.core.cache import cache

    cache.clear()
    if with_key:
        data = {**data, "api_key": setup["key"]}
    response = setup["client"].post(f"/open311/v2/requests.{fmt}", data)
    _check(response, fmt)


@FUZZ
@given(body=json_bodies, with_key=st.booleans())
def test_json_posts_never_cause_a_server_error(setup, body, with_key):
    from django.core.cache import cache

    cache.clear()
    if with_key and isinstance(body, dict):
        body = {**body, "api_key": setup["key"]}
    response = setup["client"].post(
        "/open311/v2/requests.json", json.dumps(body), content_type="application/json"
    )
    _check(response, "json")
