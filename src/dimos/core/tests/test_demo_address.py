"""``dimos demo --addr HOST:PORT``: every link the demo sends points to where it serves."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from dimos.core.management.commands import demo


@pytest.fixture
def quick_demo(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    """The command without its minute of setup (migrations, static files, demo data)."""
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.setattr(demo, "call_command", lambda *args, **kwargs: None)
    monkeypatch.setattr(demo, "_static_is_stale", lambda: False)
    monkeypatch.setattr(demo, "sorted_demo_seeders", lambda: [])
    settings.SITE_URL = "http://127.0.0.1:8000"  # restored after the test


def test_the_demo_links_use_the_address_it_serves_on(
    quick_demo: None, settings: Any, db: Any, capsys: Any
) -> None:
    import os

    call_command("demo", "--no-serve", "--addr", "192.168.1.20:8080")
    assert settings.SITE_URL == "http://192.168.1.20:8080"
    assert os.environ["SITE_URL"] == "http://192.168.1.20:8080"  # the worker inherits it
    assert "http://192.168.1.20:8080" in capsys.readouterr().out


def test_an_explicit_site_url_wins(
    quick_demo: None, settings: Any, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITE_URL", "https://demo.example.org")
    settings.SITE_URL = "https://demo.example.org"
    call_command("demo", "--no-serve", "--addr", "0.0.0.0:8000")
    assert settings.SITE_URL == "https://demo.example.org"


@pytest.mark.parametrize(
    ("addr", "url"),
    [
        ("8001", "http://127.0.0.1:8001"),
        ("0.0.0.0:8000", "http://127.0.0.1:8000"),
        ("localhost:8002", "http://localhost:8002"),
        ("[::1]:8003", "http://[::1]:8003"),
    ],
)
def test_the_site_url_of_an_address(addr: str, url: str) -> None:
    assert demo.site_url_for(addr) == url
