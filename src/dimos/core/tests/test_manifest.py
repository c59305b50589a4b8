"""The app manifest (dimos.core.manifest, ADR 0023): what an app declares is registered, its URLs
are mounted under the one convention, its seeders run after those they name, its settings are
read when used."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from dimos.core import registry as r
from dimos.core.manifest import (
    ApiRouter,
    DemoSeeder,
    DimosAppConfig,
    HomeCard,
    Manifest,
    Mount,
    PersonalDataHandler,
    Role,
    StaffQueue,
    installed_manifests,
    manifest_urlpatterns,
    ref,
    register,
)
from dimos.core.registry import SeederOrderError, order_seeders
from dimos.core.tests.sampleapp.conf import conf as sample_conf


def _nothing() -> None:
    return None


def _seeder(key: str, *after: str) -> DemoSeeder:
    return DemoSeeder(key=key, seed=_nothing, after=after)


# --- Seeders -----------------------------------------------------------------------------------


def test_seeders_run_after_those_they_name_otherwise_in_the_order_declared() -> None:
    seeders = [
        _seeder("reports", "municipality", "report-categories"),
        _seeder("municipality"),
        _seeder("report-categories"),
        _seeder("accounts"),
        _seeder("report-staff", "accounts", "report-categories"),
    ]
    assert [s.key for s in order_seeders(seeders)] == [
        "municipality",
        "report-categories",
        "reports",
        "accounts",
        "report-staff",
    ]


def test_seeders_in_a_cycle_are_refused_by_name() -> None:
    with pytest.raises(SeederOrderError, match="cycle: a after c, b after a, c after b"):
        order_seeders([_seeder("a", "c"), _seeder("b", "a"), _seeder("c", "b"), _seeder("d")])


def test_a_seeder_after_an_unknown_one_is_refused_by_name() -> None:
    with pytest.raises(SeederOrderError, match="'reports' runs after 'categories'"):
        order_seeders([_seeder("reports", "categories")])


def test_the_installed_apps_seed_in_the_order_their_data_needs() -> None:
    keys = [seeder.key for seeder in r.sorted_demo_seeders()]
    assert keys[:2] == ["municipality", "accounts"]
    for seeder in r.sorted_demo_seeders():
        for needed in seeder.after:
            assert keys.index(needed) < keys.index(seeder.key)


# --- Registration ------------------------------------------------------------------------------


@pytest.fixture
def fresh_registry(monkeypatch: pytest.MonkeyPatch) -> r.Registry:
    fresh = r.Registry()
    monkeypatch.setattr(r, "registry", fresh)
    monkeypatch.setattr(r, "demo_seeders", {})
    monkeypatch.setattr(r, "api_routers", {})
    return fresh


def test_a_manifest_registers_what_it_declares_with_its_app_label(
    fresh_registry: r.Registry,
) -> None:
    register(
        Manifest(
            roles=(Role(key="clerk", name="Clerk", description="", permissions=("x.y",)),),
            queues=(
                StaffQueue(
                    key="q",
                    title="Q",
                    url_name="q:q",
                    permission="x.y",
                    counts=ref("dimos.core.tests.sampleapp.views.counts"),
                ),
            ),
            personal_data=(
                PersonalDataHandler(
                    key="things",
                    export=ref("dimos.core.tests.sampleapp.views.seed"),
                    erase=ref("dimos.core.tests.sampleapp.views.seed"),
                ),
            ),
            seeders=(_seeder("things"),),
            api=ApiRouter("/things", "dimos.core.tests.sampleapp.api.router"),
            audit_sentences="dimos.core.audit_sentences.SENTENCES",
        ),
        "things",
    )
    assert fresh_registry.roles["clerk"].app_label == "things"
    assert fresh_registry.personal_data["things"].app_label == "things"
    assert fresh_registry.queues["q"].counts(None).open == 1  # the lazy reference, called
    assert list(r.demo_seeders) == ["things"]
    assert [a.prefix for a in r.api_routers.values()] == ["/things"]
    assert fresh_registry.audit_sentences


def test_home_cards_show_in_order_only_with_something_to_show(
    fresh_registry: r.Registry,
) -> None:
    from django.test import RequestFactory

    register(
        Manifest(
            home_cards=(
                HomeCard("later", "a.html", context=lambda request: {"n": 1}, order=20),
                HomeCard("empty", "b.html", context=lambda request: {}, order=5),
                HomeCard("first", "c.html", context=lambda request: {"n": 2}, order=10),
            )
        ),
        "things",
    )
    request = RequestFactory().get("/")
    assert [(c.key, answer) for c, answer in r.home_cards(request)] == [
        ("first", {"n": 2}),
        ("later", {"n": 1}),
    ]
    # The home page's cache varies on what the cards show, not on the request.
    assert r.home_cards_state(request) == r.home_cards_state(RequestFactory().get("/"))


def test_a_wrong_reference_fails_when_the_app_is_ready(fresh_registry: r.Registry) -> None:
    manifest = Manifest(seeders=(DemoSeeder(key="x", seed=ref("dimos.core.demo.no_such")),))
    with pytest.raises(ImportError):
        register(manifest, "x")


def test_every_platform_app_has_a_manifest() -> None:
    labels = [label for label, _manifest in installed_manifests()]
    assert labels == [
        "core",
        "accounts",
        "portal",
        "api",
        "reports",
        "certificates",
        "deliveries",
        "appointments",
        "volunteers",
        "relief",
        "council",
        "budget",
        "advocate",
        "opendata",
        "activities",
        "feedback",
        "ideas",
    ]


def test_no_app_registers_by_hand() -> None:
    # What can be declared is declared; ready() keeps only what cannot (connecting signals).
    for config in apps.get_app_configs():
        if isinstance(config, DimosAppConfig):
            lines = inspect.getsource(type(config).ready).splitlines()
            assert len(lines) <= 20, f"{config.label}'s ready() has {len(lines)} lines"
            assert "registry" not in "\n".join(lines), config.label


# --- URLs --------------------------------------------------------------------------------------


def _routes(manifest: Manifest, label: str) -> list[tuple[str, str]]:
    return [
        (str(p.pattern), p.urlconf_name.__name__)  # type: ignore[union-attr]
        for p in manifest_urlpatterns(manifest, label)
    ]


def test_urls_mount_under_the_one_convention() -> None:
    sample = "dimos.core.tests.sampleapp"
    manifest = Manifest(
        urls=f"{sample}.urls",
        staff_urls=f"{sample}.staff_urls",
        mounts=(Mount("sample-feed/", f"{sample}.feed_urls"),),
    )
    assert _routes(manifest, "sample") == [
        ("sample/", f"{sample}.urls"),
        ("staff/sample/", f"{sample}.staff_urls"),
        ("sample-feed/", f"{sample}.feed_urls"),
    ]


def test_an_app_may_mount_its_pages_at_the_root_or_its_back_office_elsewhere() -> None:
    sample = "dimos.core.tests.sampleapp"
    manifest = Manifest(
        urls=f"{sample}.urls",
        url_prefix="",
        staff_urls=f"{sample}.staff_urls",
        staff_prefix="desk",
    )
    assert [route for route, _module in _routes(manifest, "sample")] == ["", "staff/desk/"]


# --- Settings ----------------------------------------------------------------------------------


def test_an_app_setting_is_its_default_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DIMOS_SAMPLE_LIMIT", raising=False)
    assert sample_conf.LIMIT == 3
    monkeypatch.setenv("DIMOS_SAMPLE_LIMIT", "8")
    monkeypatch.setenv("DIMOS_SAMPLE_ON", "yes")
    assert sample_conf.LIMIT == 8
    assert sample_conf.ON is True


def test_a_django_setting_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIMOS_SAMPLE_LIMIT", "8")
    with override_settings(DIMOS_SAMPLE_LIMIT=1):
        assert sample_conf.LIMIT == 1
    assert sample_conf.LIMIT == 8


def test_a_setting_that_does_not_parse_names_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIMOS_SAMPLE_LIMIT", "many")
    with pytest.raises(ImproperlyConfigured, match="DIMOS_SAMPLE_LIMIT='many' is not valid"):
        sample_conf.validate()


# --- One line in INSTALLED_APPS ----------------------------------------------------------------

SAMPLE_PROCESS = """
import json
import django

django.setup()
from django.test import Client
from django.urls import resolve, reverse

from dimos.core.registry import registry, sorted_demo_seeders
from dimos.core.tests.sampleapp.conf import conf

keys = [seeder.key for seeder in sorted_demo_seeders()]
print(json.dumps({
    "pages": [reverse("sample:hello"), reverse("sample_staff:desk"), reverse("sample_feed:all")],
    "hello": Client().get("/sample/").content.decode(),
    "api": resolve("/api/v1/sample/ping").url_name,
    "catalogue": "sample-service" in registry.catalogue,
    "queue": "sample-queue" in registry.queues,
    "role": registry.roles["sample_role"].app_label,
    "kind": "sample.hello" in registry.notification_kinds,
    "seeded_after_accounts": keys.index("sample") > keys.index("accounts"),
    "limit": conf.LIMIT,
    "still_there": reverse("reports:new"),
}))
"""


def test_an_app_plugs_in_with_one_line_in_installed_apps(tmp_path: Any) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dimos.core.tests.sample_settings",
        "DIMOS_VAR_DIR": str(tmp_path),
        "DIMOS_SAMPLE_LIMIT": "7",
        "DIMOS_SAMPLE_GREETING": "γεια",
    }
    done = subprocess.run(
        [sys.executable, "-c", SAMPLE_PROCESS],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {
        "pages": ["/sample/", "/staff/sample/", "/sample-feed/all.xml"],
        "hello": "γεια",
        "api": "ping",
        "catalogue": True,
        "queue": True,
        "role": "sample",
        "kind": True,
        "seeded_after_accounts": True,
        "limit": 7,
        "still_there": "/reports/new/",
    }
