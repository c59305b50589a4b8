"""The API's rate limits count in fixed windows: constant work per call, shared by every
process that shares the cache, with an honest Retry-After."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from dimos.api.throttling import AnonThrottle, AuthThrottle


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _request(address: str = "192.0.2.7"):
    request = RequestFactory().get("/api/v1/services", REMOTE_ADDR=address)
    request.auth = None
    return request


def test_the_limit_holds_across_processes_sharing_the_cache():
    # Two throttle objects stand for two worker processes: the count is the cache's.
    first, second = AnonThrottle("3/m"), AnonThrottle("3/m")
    answers = [t.allow_request(_request()) for t in (first, second, first, second)]
    assert answers == [True, True, True, False]
    wait = second.wait()
    assert wait is not None and 0 < wait <= 60
    # Another address has its own window.
    assert first.allow_request(_request("192.0.2.8"))


def test_a_call_stores_one_count_not_a_list_of_times():
    throttle = AnonThrottle("1000/m")
    for _ in range(50):
        assert throttle.allow_request(_request())
    assert cache.get(throttle._key) == 50


def test_a_list_left_by_ninjas_own_throttle_is_not_read_as_a_count():
    throttle = AuthThrottle("5/m")
    request = _request()
    cache.set(throttle.get_cache_key(request), [1.0, 2.0], 60)  # ninja's history list
    assert throttle.allow_request(request)


def test_over_the_limit_the_api_answers_429_with_retry_after(db, settings):
    client = Client()
    limit = int(settings.DIMOS_API_ANON_RATE.split("/")[0])
    for _ in range(limit):
        client.get("/api/v1/services")
    response = client.get("/api/v1/services")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60
