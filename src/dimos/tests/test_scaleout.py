"""Scale-out, proven on one machine (issue 9, item 24; the recipe is in docs/deploy.md).

Two app servers (``dimos serve``) and two workers (``dimos worker``) in production mode share
one PostgreSQL database, one Redis cache and an S3-compatible object store (moto in server
mode, spoken to over real S3 HTTP). What one server does, the other shows at once; what is
queued on one runs anywhere; nothing but logs is written to a server's own disk.

The cluster needs PostgreSQL and Redis: it runs in the suite's PostgreSQL pass
(``DATABASE_URL=postgresql://… pytest``; CI runs it there) and skips on SQLite.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest

from dimos.testing.processes import wait_for
from dimos.tests import cluster as kit

pytestmark = pytest.mark.scaleout

ADMIN = ("admin@demo.dimos.gr", "demo-admin-2026", "KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF")
RESIDENT = ("resident@demo.dimos.gr", "demo-resident-2026")
CLERK = ("clerk@demo.dimos.gr", "demo-clerk-2026", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
ISSUER = ("issuer@demo.dimos.gr", "demo-issuer-2026", "ONSWG4TFOQ2GC3DFMRSW2ZLUMFXGI4TP")
REDIS_DB = 11
DEMO_CERTIFICATE = "DEMASERRESCERT26"  # issued by the demo data
REVOKED = "Revoked: this certificate is no longer valid."


def _postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("The scale-out cluster runs in the PostgreSQL pass (DATABASE_URL=postgresql…)")
    return url


def _require(what: str, check: Any) -> None:
    try:
        check()
    except Exception as exc:
        if os.environ.get("CI"):
            pytest.fail(f"The scale-out test needs {what} in CI: {exc}")
        pytest.skip(f"The scale-out test needs {what}: {exc}")


def _fresh_database(server_url: str, name: str) -> str:
    import psycopg

    maintenance = urlparse(server_url)._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlparse(server_url)._replace(path=f"/{name}").geturl()


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[kit.Cluster]:
    import redis
    from moto.server import ThreadedMotoServer

    server_url = _postgres_url()
    redis_url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    _require("Redis on 127.0.0.1:6379", lambda: redis.Redis.from_url(redis_url).flushdb())
    database_url = _fresh_database(server_url, "dimos_scaleout")

    s3_port = kit.free_port()
    s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=s3_port, verbose=False)
    s3.start()
    endpoint = f"http://127.0.0.1:{s3_port}"
    kit.make_buckets(endpoint)

    cluster = kit.Cluster(
        tmp_path_factory.mktemp("city"),
        database_url=database_url,
        redis_url=redis_url,
        s3_endpoint=endpoint,
    )
    cluster.s3_endpoint = endpoint  # type: ignore[attr-defined]
    try:
        # The release step, run once from anywhere: schema, static files, the demo's data
        # (the demo command is refused in production, so it runs in development mode).
        release = cluster.node("release")
        cluster.run(release, "demo", "--no-serve", DIMOS_ENV="development")
        for name in ("a", "b"):
            cluster.serve(name)
            cluster.worker(name)
        cluster.wait_until_up()
        yield cluster
    except BaseException:
        print(cluster.logs())
        raise
    finally:
        cluster.stop()
        s3.stop()


@pytest.fixture(scope="module")
def a(city: kit.Cluster) -> kit.Node:
    return city.nodes["a"]


@pytest.fixture(scope="module")
def b(city: kit.Cluster) -> kit.Node:
    return city.nodes["b"]


@pytest.fixture(scope="module")
def administrator(city: kit.Cluster, a: kit.Node) -> kit.Visitor:
    visitor = kit.Visitor(address="198.51.100.30")
    kit.log_in(visitor, a, ADMIN[0], ADMIN[1], ADMIN[2])
    return visitor


def _errors(page: str) -> list[str]:
    """The error messages a page shows (for a failing assertion's message)."""
    return re.findall(r"(?:error-message|errorlist)[^>]*>(.*?)<", page, re.S)


def _query(city: kit.Cluster, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(city.env["DATABASE_URL"]) as conn:
        return list(conn.execute(sql, params).fetchall())


def test_a_login_on_one_server_holds_on_the_other(administrator: kit.Visitor, b: kit.Node) -> None:
    # Sessions live in the database, signed with the one SECRET_KEY: the balancer may send
    # the next request anywhere.
    response = administrator.get(b, "/staff/")
    assert response.status_code == 200, response.status_code


def test_news_published_on_one_server_shows_on_the_other_at_once(
    administrator: kit.Visitor, a: kit.Node, b: kit.Node
) -> None:
    reader = kit.Visitor(address="198.51.100.40")
    before = reader.get(b, "/news/")
    assert before.status_code == 200
    # The anonymous page is now in the shared cache; a second read is served from it.
    assert reader.get(b, "/news/").text.count("<article") == before.text.count("<article")

    title = f"Water cut on Merarchias street {time.time_ns()}"
    published = administrator.post(
        a,
        "/admin/portal/newsitem/add/",
        {
            "kind": "announcement",
            "slug": f"water-cut-{time.time_ns()}",
            "title_el": title,
            "title_en": title,
            "summary_el": "Διακοπή υδροδότησης.",
            "summary_en": "The water is cut for repairs.",
            "body_el": "Διακοπή υδροδότησης για επισκευές.",
            "body_en": "The water is cut for repairs.",
            "is_published": "on",
            "published_at_0": time.strftime("%Y-%m-%d"),
            "published_at_1": time.strftime("%H:%M:%S", time.localtime(time.time() - 120)),
        },
    )
    assert published.status_code == 302, _errors(published.text)
    after = reader.get(b, "/news/")
    assert title in after.text


def test_a_login_throttle_counts_across_servers(
    city: kit.Cluster, a: kit.Node, b: kit.Node
) -> None:
    # DIMOS_RATE_LOGIN_FAILED_ACCOUNT=3/h/key for this cluster: three wrong passwords for one
    # account, from three addresses, through both servers…
    email, password = RESIDENT
    for n, node in enumerate((a, b, a)):
        guess = kit.Visitor(address=f"203.0.113.{n + 1}")
        refused = guess.post(node, "/accounts/login/", {"login": email, "password": "wrong"})
        assert refused.status_code == 200
    # …and the account is locked for guesses everywhere, the right password included,
    # though this address has never failed.
    late = kit.Visitor(address="203.0.113.99")
    response = late.post(b, "/accounts/login/", {"login": email, "password": password})
    assert response.status_code == 200, "the throttle did not count the other server's failures"
    assert "govgr-error-summary" in response.text
    # The counters are in Redis, shared: emptying it lifts the lock for both servers.
    import redis

    redis.Redis.from_url(city.env["CACHE_URL"]).flushdb()
    again = kit.Visitor(address="203.0.113.99")
    welcome = again.post(b, "/accounts/login/", {"login": email, "password": password})
    assert welcome.status_code == 302


def test_a_resident_signs_up_on_one_server_and_confirms_on_the_other(
    city: kit.Cluster, a: kit.Node, b: kit.Node
) -> None:
    visitor = _new_resident(city, "nikos@example.org", signup=b, confirm=a)
    assert visitor.get(b, "/my/").status_code == 200


def _new_resident(city: kit.Cluster, email: str, *, signup: kit.Node, confirm: kit.Node) -> Any:
    visitor = kit.Visitor(address="198.51.100.70")
    password = "a-long-pass-phrase-2026"
    joined = visitor.post(
        signup,
        "/accounts/signup/",
        {
            "email": email,
            "password1": password,
            "password2": password,
            "first_name": "Νίκος",
            "last_name": "Γεωργίου",
        },
    )
    assert joined.status_code == 302, _errors(joined.text)
    (mail,) = wait_for(
        lambda: [m for m in city.mail.to(email) if "/accounts/confirm-email/" in _text(m)],
        60,
        "the email address confirmation",
    )
    link = re.search(rf"{kit.ORIGIN}(/accounts/confirm-email/\S+)", _text(mail))
    assert link, _text(mail)
    assert visitor.post(confirm, link.group(1), {}).status_code == 302
    if visitor.get(confirm, "/my/").status_code != 200:
        kit.log_in(visitor, confirm, email, password)
    return visitor


def test_a_time_booked_on_one_server_is_gone_on_the_other_at_once(
    city: kit.Cluster, a: kit.Node, b: kit.Node
) -> None:
    anonymous = kit.Visitor(address="198.51.100.51")
    calendar = _a_calendar(anonymous, b)
    days = _free_days(anonymous.get(a, calendar).text)  # now in the shared page cache
    assert days, "the demo centre has no free time in the coming days"
    day_path, free_before = next(iter(days.items()))

    # The demo's centre has two desks: a time is gone when two residents have taken it, one
    # through each server.
    maria = kit.Visitor(address="198.51.100.50")
    kit.log_in(maria, a, *RESIDENT)
    nikos = _new_resident(city, "nikos.b@example.org", signup=a, confirm=b)
    offered = _free_slots(maria.get(b, day_path).text)
    assert len(offered) == free_before
    slot = offered[-1]
    for visitor, node in ((maria, a), (nikos, b)):
        held = _hold(visitor, node, day_path, slot)
        assert held.status_code == 302, _errors(held.text)
        confirm_path = urlparse(held.headers["Location"]).path
        confirmed = visitor.post(node, confirm_path, {"reason": "", "phone": ""})
        assert confirmed.status_code == 302, _errors(confirmed.text)

    # Neither server offers that time any more, and the public calendar cached through A
    # moved on at once.
    for node in (a, b):
        assert slot not in _free_slots(maria.get(node, day_path).text)
    assert _free_days(anonymous.get(a, calendar).text).get(day_path, 0) == free_before - 1


def _a_calendar(visitor: kit.Visitor, node: kit.Node) -> str:
    """The first public service's calendar at its first centre, found as a person would."""
    start = visitor.get(node, "/appointments/").text
    service = re.findall(r'href="(/appointments/book/[\w-]+/)"', start)
    assert service, "no bookable service on /appointments/"
    page = visitor.get(node, service[0])
    if page.status_code == 302:
        return urlparse(page.headers["Location"]).path
    centres = re.findall(rf'href="({re.escape(service[0])}[\w-]+/)"', page.text)
    assert centres, f"no centre offered on {service[0]}"
    return centres[0]


def _free_days(calendar: str) -> dict[str, int]:
    """The calendar's days with free times: {day page: number of free times}."""
    return {
        path: int(count)
        for path, count in re.findall(
            r'href="(/appointments/book/[\w-]+/[\w-]+/\d{4}-\d\d-\d\d/)">.*?</a> — (\d+) free',
            calendar,
        )
    }


def _free_slots(page: str) -> list[str]:
    return re.findall(r'name="slot" value="(\d+)"', page)


def _hold(visitor: kit.Visitor, node: kit.Node, day_path: str, slot: str) -> Any:
    page = visitor.get(node, day_path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token
    return visitor.submit(
        node, "/appointments/hold/", {"csrfmiddlewaretoken": token.group(1), "slot": slot}
    )


def test_tasks_queued_through_one_server_run_on_the_other_machines_worker(
    city: kit.Cluster, a: kit.Node, b: kit.Node
) -> None:
    (worker_a,) = [p for p in a.processes if p.args[3] == "worker"]  # type: ignore[index]
    (worker_b,) = [p for p in b.processes if p.args[3] == "worker"]  # type: ignore[index]
    os.kill(worker_a.pid, signal.SIGSTOP)  # machine A's worker is busy elsewhere
    try:
        since = _query(city, "SELECT now()")[0][0]
        visitor = kit.Visitor(address="198.51.100.60")
        asked = visitor.post(a, "/accounts/password/reset/", {"email": RESIDENT[0]})
        assert asked.status_code == 302
        wait_for(
            lambda: [m for m in city.mail.to(RESIDENT[0]) if "/password/reset/key/" in _text(m)],
            60,
            "the password reset email",
        )
        ran_on = _query(
            city,
            "SELECT worker_ids FROM django_tasks_database_dbtaskresult "
            "WHERE enqueued_at >= %s AND status = 'SUCCESSFUL'",
            since,
        )
        workers = {worker for (ids,) in ran_on for worker in ids}
        assert workers and all(f"-{worker_b.pid}-" in w for w in workers), workers
    finally:
        os.kill(worker_a.pid, signal.SIGCONT)


def test_a_certificate_approved_on_one_server_and_issued_on_the_other_downloads_anywhere(
    city: kit.Cluster, a: kit.Node, b: kit.Node
) -> None:
    # The demo's registry extract is under review by the clerk (the demo data).
    ((request_id,),) = _query(
        city,
        "SELECT r.id FROM certificates_certificaterequest r "
        "JOIN certificates_certificatetype t ON t.id = r.certificate_type_id "
        "WHERE t.code = 'registry-extract' AND r.status = 'review'",
    )
    staff = f"/staff/certificates/{request_id}/"
    clerk = kit.Visitor(address="198.51.100.90")
    kit.log_in(clerk, a, *CLERK)
    assert _act(clerk, a, staff, "approve").status_code == 302
    # Four eyes: another person issues it, through the other server.
    issuer = kit.Visitor(address="198.51.100.91")
    kit.log_in(issuer, b, *ISSUER)
    issued = _act(issuer, b, staff, "issue", language="el")
    assert issued.status_code == 302, _errors(issued.text)
    ((code, sha256),) = _query(
        city,
        "SELECT code, sha256 FROM certificates_issueddocument WHERE request_id = %s",
        request_id,
    )

    # The resident downloads it through server A: the bytes server B signed and stored.
    resident = kit.Visitor(address="198.51.100.92")
    kit.log_in(resident, a, *RESIDENT)
    pdf = resident.get(a, f"/certificates/{request_id}/pdf/{code}/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert hashlib.sha256(pdf.content).hexdigest() == sha256
    stored = kit.s3_objects(city.s3_endpoint, kit.BUCKET_PRIVATE)  # type: ignore[attr-defined]
    assert any(code in key for key in stored), stored

    # Anyone checks the file through server A: genuine, signed with the one municipal key.
    checker = kit.Visitor(address="198.51.100.93")
    page = checker.get(a, "/verify/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token
    verdict = checker.submit(
        a,
        "/verify/",
        {"csrfmiddlewaretoken": token.group(1)},
        files={"pdf": (f"{code}.pdf", pdf.content, "application/pdf")},
    )
    assert verdict.status_code == 200
    assert "Genuine: the file is the certificate the municipality issued" in verdict.text


def _act(visitor: kit.Visitor, node: kit.Node, staff_page: str, action: str, **data: str) -> Any:
    page = visitor.get(node, staff_page)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert page.status_code == 200 and token, page.status_code
    return visitor.submit(
        node, f"{staff_page}{action}/", {"csrfmiddlewaretoken": token.group(1), **data}
    )


def test_a_certificate_revoked_on_one_server_shows_revoked_on_the_other_at_once(
    city: kit.Cluster, administrator: kit.Visitor, a: kit.Node, b: kit.Node
) -> None:
    checker = kit.Visitor(address="198.51.100.80")
    verify = f"/verify/{DEMO_CERTIFICATE}/"
    before = checker.get(b, verify)
    assert before.status_code == 200 and REVOKED not in before.text
    assert checker.get(b, verify).text.count(REVOKED) == 0  # and now it is in the page cache

    ((request_id,),) = _query(
        city,
        "SELECT request_id FROM certificates_issueddocument WHERE code = %s",
        DEMO_CERTIFICATE,
    )
    page = administrator.get(a, f"/staff/certificates/{request_id}/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert page.status_code == 200 and token
    revoked = administrator.submit(
        a,
        f"/staff/certificates/documents/{DEMO_CERTIFICATE}/revoke/",
        {"csrfmiddlewaretoken": token.group(1), "reason": "Issued to the wrong person"},
    )
    assert revoked.status_code == 302, _errors(revoked.text)
    assert REVOKED in checker.get(b, verify).text


def _text(message: Any) -> str:
    return str(message.get_body(("plain",)).get_content())


def test_nothing_but_logs_is_written_to_a_servers_disk(city: kit.Cluster) -> None:
    # Public files (the demo's report photos) and private ones are in the object store.
    assert city.files_written() == []


def test_no_server_error_was_logged(city: kit.Cluster) -> None:
    assert "Traceback" not in city.logs()
