import pytest
from django.test import Client

from dimos.accounts import services
from dimos.testing.factories import NewsItemFactory


@pytest.fixture
def token(citizen, admin_user):
    _token, raw = services.issue_api_token(user=citizen, name="app", actor=admin_user)
    return raw


def test_openapi_is_3_1_and_lists_the_endpoints(client, db):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    for path in ("/api/v1/news", "/api/v1/me", "/api/v1/services", "/api/v1/locate"):
        assert path in spec["paths"]


def test_docs_page_serves_local_assets(client, db):
    html = client.get("/api/v1/docs").content.decode()
    assert "cdn." not in html
    assert "/static/ninja/" in html


def test_news_is_paginated(client, db):
    NewsItemFactory.create_batch(7)
    body = client.get("/api/v1/news", {"page_size": 5}).json()
    assert body["count"] == 7
    assert len(body["items"]) == 5
    assert "page=2" in body["next"] and "page_size=5" in body["next"]
    assert body["previous"] is None
    second = client.get("/api/v1/news", {"page": 2, "page_size": 5}).json()
    assert len(second["items"]) == 2 and second["next"] is None


@pytest.mark.parametrize(
    "params",
    [{"page_size": 100000}, {"page_size": 0}, {"page": 0}, {"page": "x"}, {"kind": "spam"}],
)
def test_bad_pagination_gets_the_error_shape(client, db, params):
    response = client.get("/api/v1/news", params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"]
    assert isinstance(error["details"], list)


def test_unknown_news_is_404_in_the_error_shape(client, db):
    response = client.get("/api/v1/news/nope")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_me_needs_authentication(client, db):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_bad_token_is_refused(client, db):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer dmt_forged")
    assert response.status_code == 401


def test_bearer_token_reads_own_profile(client, token, citizen):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json()["email"] == citizen.email


def test_api_key_header_also_works(client, token, citizen):
    response = client.get("/api/v1/me", HTTP_X_API_KEY=token)
    assert response.json()["email"] == citizen.email


def test_session_auth_works_for_the_browser(citizen_client, citizen):
    assert citizen_client.get("/api/v1/me").json()["email"] == citizen.email


def test_patch_me_validates_like_the_form(client, token, citizen):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    bad = client.patch("/api/v1/me", {"notify_sms": True}, content_type="application/json", **auth)
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "bad_request"
    assert "phone" in bad.json()["error"]["details"]
    ok = client.patch(
        "/api/v1/me",
        {"phone": "+30 6912345678", "notify_sms": True, "preferred_language": "en"},
        content_type="application/json",
        **auth,
    )
    assert ok.status_code == 200
    citizen.refresh_from_db()
    assert citizen.notify_sms and citizen.preferred_language == "en"


def test_patch_me_rejects_unknown_language(client, token):
    response = client.patch(
        "/api/v1/me",
        {"preferred_language": "xx"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422


def test_malformed_json_is_a_client_error(client, token):
    response = client.patch(
        "/api/v1/me",
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert 400 <= response.status_code < 500


def test_notifications_are_private(client, token, citizen, other_citizen):
    from dimos.core import notifications

    notifications.notify(kind="accounts.welcome", recipient=citizen)
    notifications.notify(kind="accounts.welcome", recipient=other_citizen)
    body = client.get("/api/v1/me/notifications", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert body["count"] == 1
    read = client.post(
        "/api/v1/me/notifications/read",
        {},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert read.json() == {"marked": 1}


def test_export_through_the_api(client, token, citizen):
    body = client.get("/api/v1/me/export", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert body["account"]["email"] == citizen.email


def test_locate_and_municipality(client, municipality):
    body = client.get("/api/v1/locate", {"lat": 41.09, "lon": 23.55}).json()
    assert body["inside"] and body["district"]["code"] == "serres"
    assert client.get("/api/v1/locate", {"lat": 123, "lon": 0}).status_code == 422
    info = client.get("/api/v1/municipality").json()
    assert info["name_el"] == "Δήμος Σερρών"
    assert len(info["districts"]) == 5
    geojson = client.get("/api/v1/municipality/districts.geojson").json()
    assert geojson["type"] == "FeatureCollection" and len(geojson["features"]) == 5


def test_services_catalogue(client, db):
    body = client.get("/api/v1/services").json()
    assert {"account", "news", "open-api"} <= {s["key"] for s in body}


def test_revoked_token_stops_working(client, citizen, admin_user):
    tok, raw = services.issue_api_token(user=citizen, name="x", actor=admin_user)
    services.revoke_api_token(token=tok, actor=admin_user)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_throttling_answers_429_in_the_error_shape(db, settings):
    client = Client()
    limit = int(settings.DIMOS_API_ANON_RATE.split("/")[0])
    codes = [client.get("/api/v1/services").status_code for _ in range(limit + 1)]
    assert codes[0] == 200
    assert codes[-1] == 429
    assert client.get("/api/v1/services").json()["error"]["code"] == "throttled"
