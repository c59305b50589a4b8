"""Bodies no parser can read are the client's error, in each API's own error shape
(issue 9, items 15 and 22)."""

from __future__ import annotations

import pytest
from django.test import Client

from dimos.accounts import services

DEEP_JSON = "[" * 100_000 + "]" * 100_000


@pytest.fixture
def client() -> Client:
    return Client(raise_request_exception=False)


@pytest.fixture
def auth(citizen, admin_user) -> dict[str, str]:
    _token, raw = services.issue_api_token(user=citizen, name="app", actor=admin_user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code


def test_a_body_over_the_size_limit_is_413(client, auth, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"first_name": "' + "x" * 2000 + '"}'
    _error(
        client.patch("/api/v1/me", body, content_type="application/json", **auth), 413, "too_large"
    )


def test_deeply_nested_json_is_400(client, auth):
    response = client.patch("/api/v1/me", DEEP_JSON, content_type="application/json", **auth)
    _error(response, 400, "bad_request")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"--x\r\nbroken", "multipart/form-data"),
        (b"--x\r\nbroken", "multipart/form-data; boundary="),
        (b"hello", "text/plain"),
        (b"\xff\xfe{", "application/json"),
    ],
)
def test_unreadable_bodies_are_400(client, auth, body, content_type):
    response = client.generic("PATCH", "/api/v1/me", body, content_type=content_type, **auth)
    _error(response, 400, "bad_request")


@pytest.mark.parametrize("content_type", ["multipart/form-data", "multipart/form-data; boundary="])
def test_public_upload_without_a_boundary_is_400(client, db, content_type):
    # Found by schemathesis (issue 9, item 21): the certificate verification, no login.
    response = client.generic(
        "POST", "/api/v1/certificates/verify", b"--x\r\nbroken", content_type=content_type
    )
    _error(response, 400, "bad_request")


@pytest.mark.parametrize("ids", [[2**64], [2**70, 1], [-(2**64)], [0]])
def test_ids_beyond_64_bits_are_422_not_500(client, auth, ids):
    response = client.post(
        "/api/v1/me/notifications/read", {"ids": ids}, content_type="application/json", **auth
    )
    _error(response, 422, "invalid")


def test_largest_id_is_accepted(client, auth):
    response = client.post(
        "/api/v1/me/notifications/read",
        {"ids": [2**63 - 1]},
        content_type="application/json",
        **auth,
    )
    assert response.json() == {"marked": 0}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/certificates/requests/99999999999999999999999",
        "/api/v1/reports/stats?category=99999999999999999999999",
    ],
)
def test_integer_query_and_path_values_are_bounded(client, admin_user, path):
    _token, raw = services.issue_api_token(user=admin_user, name="x", actor=admin_user)
    response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {raw}")
    _error(response, 422, "invalid")


# --- Open311: its own error shape, a list of {code, description} ---------------------------


def _open311_error(response, status: int) -> str:
    assert response.status_code == status, response.content
    body = response.json()
    assert isinstance(body, list) and body[0]["code"] == status
    return str(body[0]["description"])


def test_open311_deeply_nested_json_is_400(client, db):
    response = client.post(
        "/open311/v2/requests.json", '{"a": ' + DEEP_JSON + "}", content_type="application/json"
    )
    assert "JSON" in _open311_error(response, 400)


def test_open311_body_over_the_size_limit_is_413(client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"description": "' + "x" * 2000 + '"}'
    response = client.post("/open311/v2/requests.json", body, content_type="application/json")
    assert "larger" in _open311_error(response, 413)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"--x\r\nbroken", "multipart/form-data"),
        (b"\xff\xfe{", "application/json"),
        ("&".join(f"f{n}=1" for n in range(1500)).encode(), "application/x-www-form-urlencoded"),
    ],
)
def test_open311_unreadable_bodies_are_400(client, db, body, content_type):
    response = client.generic("POST", "/open311/v2/requests.json", body, content_type=content_type)
    _open311_error(response, 400)


def test_open311_xml_errors_keep_their_shape(client, db):
    response = client.post(
        "/open311/v2/requests.xml", '{"a": ' + DEEP_JSON + "}", content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/xml")
    assert b"<errors><error><code>400</code>" in response.content
