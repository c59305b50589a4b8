"""The cache primitive: versioned keys, stale-while-revalidate, one refresh as a task."""

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from dimos.core.cached import CachedAnswer, CachedBody, Version

# What the computes read: the test sets the data, a worker (the test task backend runs tasks
# at once) or the request computes from it.
DATA: dict[str, object] = {}
CALLS: list[str] = []


def _compute(city: str) -> str:
    CALLS.append(city)
    if DATA.get("fail"):
        raise RuntimeError("the database is away")
    nested = DATA.pop("during_compute", None)
    value = f"{city}:{DATA['value']}"
    if callable(nested):
        nested()  # another refresh starts and finishes while this one computes
    return value


VERSION = Version("test-cached")
ANSWER = CachedAnswer(
    "test:cached", compute=_compute, version=VERSION, seconds=60, stale_seconds=600
)
PLAIN = CachedAnswer("test:plain", compute=_compute, version=VERSION, seconds=60)


@pytest.fixture(autouse=True)
def _data(db: None) -> Iterator[None]:
    DATA.clear()
    CALLS.clear()
    DATA["value"] = 1
    yield
    DATA.clear()


def test_a_second_ask_is_a_hit_without_computing():
    first = ANSWER.get({"city": "serres"})
    second = ANSWER.get({"city": "serres"})
    assert (first.state, first.value) == ("miss", "serres:1")
    assert (second.state, second.value) == ("hit", "serres:1")
    assert CALLS == ["serres"]


def test_different_questions_are_different_answers():
    ANSWER.get({"city": "serres"})
    assert ANSWER.get({"city": "drama"}).value == "drama:1"
    assert CALLS == ["serres", "drama"]


def test_questions_that_share_an_answer_compute_it_once():
    PLAIN.get({"city": "serres"}, shared_by="everyone")
    assert PLAIN.get({"city": "drama"}, shared_by="everyone").value == "serres:1"


def test_a_version_bump_makes_the_next_ask_a_miss():
    PLAIN.get({"city": "serres"})
    DATA["value"] = 2
    assert PLAIN.get({"city": "serres"}).value == "serres:1"
    VERSION.bump()
    answer = PLAIN.get({"city": "serres"})
    assert (answer.state, answer.value) == ("miss", "serres:2")


def test_a_change_bumps_the_version_again_after_the_commit(django_capture_on_commit_callbacks):
    before = VERSION()
    with django_capture_on_commit_callbacks(execute=True):
        VERSION.changed()
        inside = VERSION()
    assert before != inside != VERSION()


def test_after_a_change_the_last_answer_is_served_while_one_refresh_runs(
    django_capture_on_commit_callbacks,
):
    ANSWER.get({"city": "serres"})
    DATA["value"] = 2
    VERSION.bump()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = ANSWER.get({"city": "serres"})
        second = ANSWER.get({"city": "serres"})
    # Both visitors get the last answer at once; one refresh only is queued.
    assert [first.state, second.state] == ["stale", "stale"]
    assert first.value == second.value == "serres:1"
    assert len(queued) == 1 and CALLS == ["serres"]
    queued[0]()  # the worker runs it
    fresh = ANSWER.get({"city": "serres"})
    assert (fresh.state, fresh.value) == ("hit", "serres:2")


def test_a_question_never_asked_is_computed_while_the_visitor_waits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        answer = ANSWER.get({"city": "kilkis"})
    assert answer.state == "miss" and not queued


def test_a_failed_refresh_keeps_the_last_answer_and_is_not_retried_at_once(
    django_capture_on_commit_callbacks,
):
    ANSWER.get({"city": "serres"})
    VERSION.bump()
    DATA["fail"] = True
    with django_capture_on_commit_callbacks(execute=True) as queued:
        ANSWER.get({"city": "serres"})  # queues the refresh, which fails in the worker
    assert len(queued) == 1 and CALLS == ["serres", "serres"]
    with django_capture_on_commit_callbacks(execute=True) as again:
        still = ANSWER.get({"city": "serres"})
    assert (still.state, still.value) == ("stale", "serres:1")
    assert not again  # bounded: the next try waits for the lock to expire
    cache.delete_many([k for k in _lock_keys("serres")])
    DATA.pop("fail")
    with django_capture_on_commit_callbacks(execute=True):
        ANSWER.get({"city": "serres"})
    assert ANSWER.get({"city": "serres"}).state == "hit"


def _lock_keys(city: str) -> list[str]:
    from dimos.core.cached import digest

    fresh, _last = ANSWER.keys(digest({"city": city}), VERSION())
    return [f"{fresh}:refreshing"]


def test_a_refresh_that_finishes_late_does_not_replace_a_newer_last_answer():
    ANSWER.get({"city": "serres"})
    from dimos.core.cached import digest

    name = digest({"city": "serres"})

    def newer_refresh() -> None:
        DATA["value"] = 3
        ANSWER.refresh({"city": "serres"}, name)

    DATA["value"] = 2
    DATA["during_compute"] = newer_refresh
    ANSWER.refresh({"city": "serres"}, name)  # started first, finished last
    VERSION.bump()
    # The last good answer is the newer one (3), not the one that finished last (2).
    assert ANSWER.get({"city": "serres"}).value == "serres:3"


def test_a_refresh_keeps_its_answer_under_the_version_it_started_from(
    django_capture_on_commit_callbacks,
):
    from dimos.core.cached import digest

    name = digest({"city": "serres"})
    started = VERSION()
    DATA["during_compute"] = VERSION.bump  # the data changes while it computes
    ANSWER.refresh({"city": "serres"}, name)
    fresh_then, _ = ANSWER.keys(name, started)
    fresh_now, _ = ANSWER.keys(name, VERSION())
    assert cache.get(fresh_then) is not None and cache.get(fresh_now) is None


def _body() -> tuple[bytes, str]:
    CALLS.append("body")
    return b'{"x": "' + b"a" * 2000 + b'"}', "application/json"


BODIES = CachedBody("test:bodies", version=VERSION, seconds=60)


def test_bodies_are_kept_plain_and_gzipped_and_computed_once():
    import gzip

    factory = RequestFactory()
    plain = BODIES.respond(factory.get("/"), shared_by="q", compute=_body)
    zipped = BODIES.respond(factory.get("/", HTTP_ACCEPT_ENCODING="gzip"), shared_by="q")
    assert plain["X-Dimos-Cache"] == "miss" and "Content-Encoding" not in plain
    assert zipped["X-Dimos-Cache"] == "hit" and zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert zipped["Vary"] == "Accept-Encoding" and CALLS == ["body"]


def test_a_stale_answer_needs_a_compute_a_worker_can_import():
    with pytest.raises(ValueError):
        CachedAnswer("test:bad", seconds=1, stale_seconds=10)
