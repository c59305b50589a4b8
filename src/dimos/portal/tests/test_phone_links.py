"""Phone numbers are call links: a tap on a phone dials them (docs/glossary.md)."""

from __future__ import annotations

import pytest
from django.test import Client

from dimos.core.templatetags.dimos import tel, tel_links


def test_tel_makes_a_call_link_that_dials_the_digits() -> None:
    assert tel("+30 23213 50100") == (
        '<a class="govgr-link" href="tel:+302321350100">+30 23213 50100</a>'
    )
    assert tel("112") == '<a class="govgr-link" href="tel:112">112</a>'
    assert tel("") == "" and tel(None) == ""
    assert tel("<b>") == "&lt;b&gt;"


def test_tel_links_links_the_numbers_in_a_notice_and_escapes_the_rest() -> None:
    text = "Κίνδυνος! <Απομακρυνθείτε> και καλέστε το 199 ή το 2321 350100."
    assert tel_links(text) == (
        "Κίνδυνος! &lt;Απομακρυνθείτε&gt; και καλέστε το "
        '<a class="govgr-link" href="tel:199">199</a> ή το '
        '<a class="govgr-link" href="tel:2321350100">2321 350100</a>.'
    )


@pytest.mark.parametrize(
    "text", ["Μεραρχίας 120", "στις 12/3/2026", "1.500 ευρώ", "ώρα 10:30", "112,5 τ.μ."]
)
def test_tel_links_leaves_house_numbers_dates_and_amounts_alone(text: str) -> None:
    assert "href" not in tel_links(text)


@pytest.mark.django_db
def test_the_support_pages_helplines_are_call_links(municipality: object) -> None:
    html = Client().get("/appointments/support/").content.decode()
    for number in ("10306", "1018", "15900", "1056", "112"):
        assert f'href="tel:{number}"' in html, number


@pytest.mark.django_db
def test_the_municipalitys_phone_is_a_call_link(municipality: object) -> None:
    html = Client().get("/accessibility/").content.decode()
    assert 'href="tel:+302321350100"' in html
