"""Greek a native reader accepts: one term per concept (docs/glossary.md), in our catalogues,
in the libraries' Greek as the site shows it, and in the templates."""

from __future__ import annotations

import os
import re
from pathlib import Path

import allauth
import django
import polib
import pytest
from django.test import Client
from django.utils import translation

SRC = Path(__file__).resolve().parents[2]  # src/dimos
OVERRIDES = SRC / "locale_overrides" / "el" / "LC_MESSAGES" / "django.po"
OUR_CATALOGUES = [
    SRC / "locale" / "el" / "LC_MESSAGES" / "django.po",
    *sorted(SRC.glob("*/locale/el/LC_MESSAGES/django.po")),
    OVERRIDES,
]
LIBRARY_CATALOGUES = [
    Path(allauth.__file__).parent / "locale" / "el" / "LC_MESSAGES" / "django.po",
    Path(django.__file__).parent
    / "contrib"
    / "auth"
    / "locale"
    / "el"
    / "LC_MESSAGES"
    / "django.po",
    Path(django.__file__).parent
    / "contrib"
    / "admin"
    / "locale"
    / "el"
    / "LC_MESSAGES"
    / "django.po",
]

# The forms docs/glossary.md says to avoid, each with the reason a reviewer gives.
BAD_FORMS = {
    r"[Σσ]υνθηματικ": "the password is «κωδικός πρόσβασης»",
    r"(?<![A-Za-z])[Ee]-mail": "write «email»",
    r"ηλεκτρονικ(?:ού|ό) ταχυδρομεί": "write «email» / «διεύθυνση email»",
    r"διέυθυνση": "misspelt «διεύθυνση»",
    r"Επιβεβαίωση διεύθυνση\b": "genitive after a noun: «Επιβεβαίωση διεύθυνσης»",
    r"\bπρωτεύον διεύθυνση": "«κύρια διεύθυνση»",
}
BAD = re.compile("|".join(f"(?:{pattern})" for pattern in BAD_FORMS))


def _why(text: str) -> str:
    return "; ".join(why for pattern, why in BAD_FORMS.items() if re.search(pattern, text))


def _strings(entry: polib.POEntry) -> list[str]:
    return [entry.msgstr, *entry.msgstr_plural.values()]


@pytest.mark.parametrize("path", OUR_CATALOGUES, ids=lambda p: str(p.relative_to(SRC)))
def test_our_catalogues_use_the_glossarys_terms(path: Path) -> None:
    found = [
        f"{entry.msgid[:60]!r} → {text[:80]!r} ({_why(text)})"
        for entry in polib.pofile(str(path))
        if not entry.obsolete
        for text in _strings(entry)
        if BAD.search(text)
    ]
    assert not found, "\n".join(found)


def _library_entries() -> list[polib.POEntry]:
    return [
        entry
        for path in LIBRARY_CATALOGUES
        for entry in polib.pofile(str(path))
        if not entry.obsolete and entry.translated()
    ]


def test_the_libraries_greek_as_our_site_shows_it_uses_the_glossarys_terms() -> None:
    found = []
    with translation.override("el"):
        for entry in _library_entries():
            if entry.msgid_plural:
                shown = [translation.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
            elif entry.msgctxt:
                shown = [translation.pgettext(entry.msgctxt, entry.msgid)]
            else:
                shown = [translation.gettext(entry.msgid)]
            found += [f"{entry.msgid[:60]!r} → {text[:80]!r}" for text in shown if BAD.search(text)]
    assert not found, "add these to locale_overrides/el (docs/glossary.md):\n" + "\n".join(found)


def test_every_override_corrects_a_string_of_a_library() -> None:
    known = {(e.msgctxt, e.msgid) for e in _library_entries()}
    extra_admin = {"Toggle theme", "Model name", "Add link", "Change or view", "Show counts"}
    extra_admin |= {
        "Hide counts",
        "Task Result",
        "This password is too short. It must contain at least %d",
    }
    # django-tasks (no Greek of its own) and admin strings Django's Greek lacks.
    extra_admin |= {
        "Ready",
        "Running",
        "Failed",
        "Successful",
        "enqueued at",
        "started at",
        "finished at",
        "args kwargs",
        "task path",
        "worker id",
        "queue name",
        "backend name",
        "run after",
        "return value",
        "exception class path",
        "traceback",
        "Sidebar",
        "After you’ve created a user",
        "Start typing to filter",
        "Filter navigation items",
        "Select all objects on this page",
        "Select this object for an action",
    }
    stale = [
        entry.msgid
        for entry in polib.pofile(str(OVERRIDES))
        if (entry.msgctxt, entry.msgid) not in known
        and not any(entry.msgid.startswith(prefix) for prefix in extra_admin)
    ]
    assert not stale, stale


def test_the_scanner_knows_the_bad_forms() -> None:
    for text in ("Συνθηματικό", "Διεύθυνση e-mail", "Επιβεβαίωση διεύθυνση email"):
        assert BAD.search(text), text
    for text in ("Κωδικός πρόσβασης", "Επιβεβαίωση διεύθυνσης email", "email"):
        assert not BAD.search(text), text


def test_templates_and_code_use_the_glossarys_terms() -> None:
    found = [
        f"{path.relative_to(SRC)}: {match.group(0)!r}"
        for path in SRC.rglob("*")
        if path.suffix in {".html", ".txt", ".py", ".md"}
        and not {"tests", "vendor", "locale", "locale_overrides"} & set(path.parts)
        for match in BAD.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, "\n".join(found)


@pytest.mark.django_db
def test_sign_up_in_greek_has_one_password_term_and_greek_validator_messages(
    municipality: object,
) -> None:
    client = Client(headers={"accept-language": "el"})
    page = client.get("/accounts/signup/").content.decode()
    assert "Κωδικός πρόσβασης" in page and not BAD.search(page), _why(page)
    answer = client.post(
        "/accounts/signup/",
        {
            "email": "nikos@example.org",
            "first_name": "Νίκος",
            "last_name": "Νικολάου",
            "password1": "1234",
            "password2": "1234",
        },
    ).content.decode()
    assert "πολύ σύντομος" in answer and "μόνο από αριθμούς" in answer
    assert "This password" not in answer and not BAD.search(answer), _why(answer)


def test_the_overrides_catalogue_is_compiled() -> None:
    mo = OVERRIDES.with_suffix(".mo")
    assert mo.exists() and os.path.getmtime(mo) >= os.path.getmtime(OVERRIDES) - 1
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(mo))}
    for entry in polib.pofile(str(OVERRIDES)):
        if not entry.msgid_plural:
            assert compiled.get((entry.msgctxt, entry.msgid)) == entry.msgstr, entry.msgid
