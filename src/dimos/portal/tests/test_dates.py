"""Dates read as Greek writes them: the month of a day in the genitive («30 Νοεμβρίου 2026»),
on pages and in emails (docs/glossary.md)."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format, get_format

SRC = Path(__file__).resolve().parents[2]  # src/dimos
# A Django date format with a day (j, d, l, D) before the nominative month name (F, or N).
DAY_THEN_F = re.compile(r"(?<!\\)[jdlD][^A-Za-z]*(?<!\\)[FN](?![a-z])")
TEMPLATE_FORMAT = re.compile(r"""\|(?:date|time):(["'])(.*?)\1""")
PYTHON_FORMAT = re.compile(
    r"""(?:date_format|dateformat\.format|time_format)\([^()]*?,\s*(["'])(.*?)\1"""
)
STRFTIME = re.compile(r"""strftime\((["'])(.*?)\1""")


def _sources(*suffixes: str) -> list[Path]:
    return [
        path
        for path in SRC.rglob("*")
        if path.suffix in suffixes
        and not {"tests", "vendor", "migrations", "node_modules"} & set(path.parts)
    ]


def test_no_template_writes_a_day_with_the_nominative_month() -> None:
    found = [
        f"{path.relative_to(SRC)}: {match.group(2)!r}"
        for path in _sources(".html", ".txt")
        for match in TEMPLATE_FORMAT.finditer(path.read_text(encoding="utf-8"))
        if DAY_THEN_F.search(match.group(2))
    ]
    assert not found, "use E (genitive) with a day, not F:\n" + "\n".join(found)


def test_no_code_formats_a_day_with_the_nominative_month() -> None:
    found = []
    for path in _sources(".py"):
        text = path.read_text(encoding="utf-8")
        found += [
            f"{path.relative_to(SRC)}: {m.group(2)!r}"
            for m in PYTHON_FORMAT.finditer(text)
            if DAY_THEN_F.search(m.group(2))
        ]
        found += [
            f"{path.relative_to(SRC)}: {m.group(2)!r}"
            for m in STRFTIME.finditer(text)
            if "%B" in m.group(2) and re.search("%[de]", m.group(2))
        ]
    assert not found, "use date_format with E, not F or %B, for a day:\n" + "\n".join(found)


def test_the_scanners_catch_the_forms_they_look_for() -> None:
    assert DAY_THEN_F.search("j F Y") and DAY_THEN_F.search("l j F") and DAY_THEN_F.search("d. F")
    assert not DAY_THEN_F.search("j E Y") and not DAY_THEN_F.search("F Y")
    assert TEMPLATE_FORMAT.search('{{ x|date:"j F Y" }}')
    assert PYTHON_FORMAT.search('date_format(value, "j F Y")')


@pytest.mark.parametrize(
    "name", ["DATE_FORMAT", "DATETIME_FORMAT", "MONTH_DAY_FORMAT", "SHORT_DATE_FORMAT"]
)
@pytest.mark.parametrize("language", ["el", "en"])
def test_the_named_formats_put_a_day_with_the_genitive(name: str, language: str) -> None:
    with translation.override(language):
        assert not DAY_THEN_F.search(get_format(name)), get_format(name)


def test_greek_dates_use_the_genitive_and_english_the_month_name() -> None:
    day = date(2026, 11, 30)
    moment = datetime(2026, 12, 2, 10, 30, tzinfo=ZoneInfo("Europe/Athens"))
    with translation.override("el"):
        assert date_format(day) == "30 Νοεμβρίου 2026"
        assert date_format(moment, "l j E Y, H:i") == "Τετάρτη 2 Δεκεμβρίου 2026, 10:30"
        assert date_format(moment, "DATETIME_FORMAT") == "2 Δεκεμβρίου 2026, 10:30"
        assert date_format(day, "YEAR_MONTH_FORMAT") == "Νοέμβριος 2026"
        rendered = Template('{{ d|date }} · {{ d|date:"j E" }}').render(Context({"d": day}))
        assert rendered == "30 Νοεμβρίου 2026 · 30 Νοεμβρίου"
    with translation.override("en"):
        assert date_format(day) == "30 November 2026"
        assert date_format(moment, "l j E Y, H:i") == "Wednesday 2 December 2026, 10:30"
