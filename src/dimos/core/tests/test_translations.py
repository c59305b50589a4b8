"""The Greek translation is complete, current with the source, compiled, and used.

The project catalogue is src/dimos/locale; an app may keep its own catalogue in
src/dimos/<app>/locale (makemessages files each string under the nearest `locale` folder),
so that work on separate apps does not collide in one file. To update them, from src/dimos:

    ../../.venv/bin/dimos makemessages -l el --no-obsolete --no-location \\
        --ignore "*/tests/*" --ignore "static/vendor/*"
    # translate every empty or fuzzy entry in */locale/el/LC_MESSAGES/django.po
    ../../.venv/bin/dimos compilemessages

and commit every django.po and django.mo (an install from source has no gettext to compile).
"""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings

SRC = Path(__file__).resolve().parents[2]  # src/dimos
PO_PATH = SRC / "locale" / "el" / "LC_MESSAGES" / "django.po"
# The project catalogue first, then the apps' own.
APP_CATALOGUES = sorted(p for p in SRC.glob("*/locale/el/LC_MESSAGES/django.po") if p != PO_PATH)
CATALOGUES = [PO_PATH, *APP_CATALOGUES]

# The same options as the makemessages command in the module docstring.
IGNORE_PATTERNS = ["*/tests/*", "static/vendor/*"]
SOURCE_SUFFIXES = (".py", ".html", ".txt")
SKIPPED_DIRS = {"locale", "tests", "__pycache__", "vendor", "var", "node_modules"}

# A Python %-format placeholder: %(name)s, %s, %d, %.2f, and the literal %%.
PYTHON_FORMAT = re.compile(
    r"%(?:\([^)]*\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]"
)
NAMED_PLACEHOLDER = re.compile(r"%\([^)]*\)[diouxXeEfFgGcrsa]")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def _key(entry: Any) -> tuple[str | None, str, str | None]:
    return (entry.msgctxt or None, entry.msgid, entry.msgid_plural or None)


def _po(path: Path = PO_PATH) -> polib.POFile:
    return polib.pofile(str(path))


catalogues = pytest.mark.parametrize(
    "po_path", CATALOGUES, ids=[str(p.relative_to(SRC).parents[2]) for p in CATALOGUES]
)


def _entries(catalogue: Any) -> list[Any]:
    return [e for e in catalogue if not e.obsolete]


def _label(entry: Any) -> str:
    return f"{entry.msgctxt + ' | ' if entry.msgctxt else ''}{entry.msgid!r}"


def _translations(entry: Any) -> list[tuple[str, str]]:
    """(source, translation) pairs; Greek's two plural forms map to msgid and msgid_plural."""
    if entry.msgid_plural:
        forms = entry.msgstr_plural
        return [
            (entry.msgid if n == 0 else entry.msgid_plural, forms.get(n, ""))
            for n in range(max(2, len(forms)))
        ]
    return [(entry.msgid, entry.msgstr)]


@catalogues
def test_greek_catalogue_declares_greek_plural_forms(po_path: Path) -> None:
    po = _po(po_path)
    assert po.metadata.get("Language") == "el"
    assert po.metadata.get("Plural-Forms") == "nplurals=2; plural=(n != 1);"
    assert not po.metadata_is_fuzzy


@catalogues
def test_every_greek_entry_is_translated_and_not_fuzzy(po_path: Path) -> None:
    problems = []
    for entry in _entries(_po(po_path)):
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {_label(entry)}")
        if any(not translation.strip() for _, translation in _translations(entry)):
            problems.append(f"untranslated: {_label(entry)}")
    assert not problems, "Greek .po needs work:\n" + "\n".join(problems)


@catalogues
def test_greek_translations_keep_placeholders_and_markup(po_path: Path) -> None:
    problems = []
    for entry in _entries(_po(po_path)):
        python_format = "python-format" in entry.flags
        for source, translation in _translations(entry):
            if not translation:
                continue  # reported by the completeness test
            pattern = PYTHON_FORMAT if python_format else NAMED_PLACEHOLDER
            if Counter(pattern.findall(source)) != Counter(pattern.findall(translation)):
                problems.append(f"placeholders differ: {_label(entry)} -> {translation!r}")
            if Counter(HTML_TAG.findall(source)) != Counter(HTML_TAG.findall(translation)):
                problems.append(f"markup differs: {_label(entry)} -> {translation!r}")
    assert not problems, "\n".join(problems)


@catalogues
def test_compiled_greek_catalogue_matches_the_po(po_path: Path) -> None:
    """django.mo is committed; it must be compiled from the committed django.po."""
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), "run `dimos compilemessages` in src/dimos and commit django.mo"
    po = {_key(e): _translations(e) for e in _entries(_po(po_path)) if "fuzzy" not in e.flags}
    mo = {_key(e): _translations(e) for e in polib.mofile(str(mo_path)) if e.msgid}
    stale = sorted(repr(key[1]) for key in po.keys() | mo.keys() if po.get(key) != mo.get(key))
    assert not stale, (
        "django.mo is out of date: run `dimos compilemessages` in src/dimos. Differs: "
        + ", ".join(stale[:20])
    )


def _copy_sources(destination: Path) -> None:
    def ignore(directory: str, names: list[str]) -> set[str]:
        return {
            name
            for name in names
            if name in SKIPPED_DIRS
            or (
                not os.path.isdir(os.path.join(directory, name))
                and not name.endswith(SOURCE_SUFFIXES)
            )
        }

    shutil.copytree(SRC, destination, ignore=ignore)


@pytest.mark.skipif(
    shutil.which("xgettext") is None and not os.environ.get("CI"),
    reason="gettext is not installed (apt-get install gettext); CI always runs this test",
)
def test_greek_catalogue_has_every_string_in_the_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert shutil.which("xgettext"), "CI must install gettext (see .ci/run)"
    tree = tmp_path / "dimos"
    _copy_sources(tree)
    locale = tree / "locale"
    monkeypatch.chdir(tree)
    with override_settings(LOCALE_PATHS=[locale]):
        call_command(
            "makemessages",
            locale=["el"],
            no_obsolete=True,
            no_location=True,
            ignore_patterns=IGNORE_PATTERNS,
            verbosity=0,
        )
    extracted = {_key(e) for e in polib.pofile(str(locale / "el/LC_MESSAGES/django.po"))}
    committed = {_key(e) for path in CATALOGUES for e in _entries(_po(path))}
    missing = sorted(repr(msgid) for _, msgid, _ in extracted - committed)
    assert not missing, (
        "These strings are not in the Greek .po: run makemessages, translate and compile "
        "(see this test's docstring):\n" + "\n".join(missing)
    )


@pytest.mark.parametrize(("language", "log_in"), [("el", "Σύνδεση"), ("en", "Log in")])
def test_home_page_speaks_the_chosen_language(
    client: Any, municipality: Any, settings: Any, language: str, log_in: str
) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get("/").content.decode()
    assert f'<html lang="{language}"' in html
    assert f">{log_in}</a>" in html
