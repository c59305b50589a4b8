"""docs/configuration.md names every environment variable the code reads.

The test reads the source as text (no Django needed), so a new ``os.environ.get("X")`` or
``envbool("X")`` in settings.py, or a new ``Setting("X", …)`` in an app's ``conf.py``
(``dimos.core.conf``), fails here until the variable is documented.
"""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2]  # src/dimos
DOC = SRC.parents[1] / "docs" / "configuration.md"

# os.environ["X"], os.environ.get("X"), envbool("X"), envint("X"), envlist("X"), with the
# name possibly on the next line after the parenthesis.
ENV_READ = re.compile(
    r"""(?:os\.environ\[\s*|os\.environ\.get\(\s*|os\.getenv\(\s*|env(?:bool|int|list)\(\s*)"""
    r"""["']([A-Z][A-Z0-9_]*)["']"""
)
# An app's own settings, declared in its conf.py: Setting("DIMOS_X", int, 3).
CONF_DECLARATION = re.compile(r"""\bSetting\(\s*["']([A-Z][A-Z0-9_]*)["']""")
# Settings other modules read with a default: getattr(settings, "DIMOS_X", …).
SETTING_READ = re.compile(r"""getattr\(\s*settings,\s*["'](DIMOS_[A-Z0-9_]+)["']""")


def _documented() -> str:
    return DOC.read_text(encoding="utf-8")


def _missing(names: set[str]) -> list[str]:
    doc = _documented()
    return sorted(name for name in names if f"`{name}`" not in doc)


def _runtime_modules() -> list[Path]:
    """Every module that runs in production: not tests, not migrations."""
    return [
        path
        for path in SRC.rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and path.name != "conftest.py"
    ]


def test_the_pattern_finds_settings_variables() -> None:
    names = set(ENV_READ.findall((SRC / "settings.py").read_text(encoding="utf-8")))
    # A guard against a pattern that silently matches nothing.
    assert {"SECRET_KEY", "DATABASE_URL", "DIMOS_ENV", "OIDC_VERIFIED_PROVIDERS"} <= names


def test_every_settings_variable_is_documented() -> None:
    names = set(ENV_READ.findall((SRC / "settings.py").read_text(encoding="utf-8")))
    missing = _missing(names)
    assert not missing, f"Document these in docs/configuration.md: {', '.join(missing)}"


def _app_conf_names() -> set[str]:
    names: set[str] = set()
    for path in SRC.glob("*/conf.py"):
        names |= set(CONF_DECLARATION.findall(path.read_text(encoding="utf-8")))
    return names


def test_the_pattern_finds_the_apps_own_settings() -> None:
    # A guard, as above: one setting of each app that has a conf.py.
    assert {
        "DIMOS_REPORT_MAX_PHOTOS",
        "DIMOS_VERIFY_RATE",
        "DIMOS_APPOINTMENTS_HOLD_MINUTES",
    } <= _app_conf_names()


def test_every_app_setting_is_documented() -> None:
    missing = _missing(_app_conf_names())
    assert not missing, f"Document these in docs/configuration.md: {', '.join(missing)}"


def test_every_variable_read_elsewhere_is_documented() -> None:
    names: set[str] = set()
    for path in _runtime_modules():
        text = path.read_text(encoding="utf-8")
        names |= set(ENV_READ.findall(text)) | set(SETTING_READ.findall(text))
        names |= set(CONF_DECLARATION.findall(text))
    missing = _missing(names)
    assert not missing, f"Document these in docs/configuration.md: {', '.join(missing)}"
