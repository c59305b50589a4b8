"""A coordinator makes a run of a district's deliveries, reorders it, prints its sheet (to a
PDF, looked at as an image) and opens its map — with JavaScript, with tiles unreachable and
without JavaScript. In a real browser, on a phone and a desktop, checked by axe-core."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from dimos.accounts.models import User
from dimos.core.models import District
from dimos.deliveries import services
from dimos.deliveries.models import Delivery, Run
from dimos.testing.browser import (
    ARTIFACTS,
    click_visible,
    log_in_as,
    look,
    select_visible,
    use_language,
)
from dimos.testing.data import seed
from dimos.testing.personas import staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Serres: a few real streets around the town hall; the last one without a map point.
HOMES = [
    ("Ελένη Πέτρου", "Μεραρχίας 40, Σέρρες", (41.0925, 23.5500), "Πιστοποιητικό · 2026/118"),
    ("Νίκος Σταύρου", "Εθνικής Αντιστάσεως 5, Σέρρες", (41.0870, 23.5440), "Τρόφιμα"),
    ("Μαρία Γεωργίου", "Κωνσταντινουπόλεως 12, Σέρρες", (41.0980, 23.5560), "Φάρμακα"),
    ("Γιώργος Παππάς", "Αγίας Σοφίας 3, Σέρρες", None, "Τρόφιμα"),
]


def _schedule(serres: District) -> list[Delivery]:
    return [
        services.schedule_delivery(
            source="errands",
            reference=str(n),
            title=title,
            recipient_name=name,
            address=address,
            phone="+30 6912345678",
            instructions="Δεύτερος όροφος, χτυπήστε δύο φορές",
            date=timezone.localdate(),
            window_start=dt.time(9 + n),
            window_end=dt.time(11 + n),
            lat=point[0] if point else None,
            lon=point[1] if point else None,
            district=serres,
        )
        for n, (name, address, point, title) in enumerate(HOMES)
    ]


def _pdf_text(path: Any) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize("language", ["el", "en"])
def test_a_coordinator_makes_prints_and_maps_a_run(
    page: Page,
    live_server: Any,
    new_context: Callable[..., BrowserContext],
    language: str,
) -> None:
    seed()
    serres = District.objects.get(code="serres")
    coordinator = staff("coordinator@example.org", "delivery_staff")
    courier: User = staff("courier@example.org", "delivery_staff")
    courier.first_name, courier.last_name = "Kostas", "Courier"
    courier.save()
    _schedule(serres)
    url, journey = live_server.url, f"runs-{language}"
    use_language(page.context, live_server, language)
    log_in_as(page.context, live_server, coordinator)

    page.goto(f"{url}/staff/deliveries/")
    click_visible(page.locator("main a[href^='/staff/deliveries/runs/?date=']"))
    look(page, journey, "1-runs")
    click_visible(page.locator("main a[href*='/runs/new/']"))
    expect(page.locator("main input[name=deliveries]")).to_have_count(4)
    look(page, journey, "2-proposal")
    select_visible(page.locator("#id_courier"), label="Kostas Courier")
    click_visible(page.locator("main form[method=post] button[type=submit]"))

    run = Run.objects.get()
    expect(page).to_have_url(f"{url}/staff/deliveries/runs/{run.pk}/")
    stops = page.locator("main .dimos-run-stop h3")
    expect(stops).to_have_count(4)
    # Nearest first from the town hall, then along the way; the one without a point last.
    expect(stops.nth(0)).to_contain_text("Τρόφιμα")
    expect(stops.nth(1)).to_contain_text("Πιστοποιητικό")
    expect(stops.nth(2)).to_contain_text("Φάρμακα")
    expect(stops.nth(3)).to_contain_text("Τρόφιμα")
    assert set(Delivery.objects.values_list("assigned_to", flat=True)) == {courier.pk}
    look(page, journey, "3-run")
    # Move the third stop up, without JavaScript's help (a small form).
    click_visible(page.locator("#stop-3 form[action$='/up/'] button"))
    expect(page.locator("main .dimos-run-stop h3").nth(1)).to_contain_text("Φάρμακα")
    expect(page.locator("[role=status], .govgr-notification-banner--success").first).to_be_visible()

    # The run sheet, printed by the browser to A4 paper.
    page.goto(f"{url}/staff/deliveries/runs/{run.pk}/sheet/")
    expect(page.locator("main table tbody tr")).to_have_count(4)
    look(page, journey, "4-sheet")
    folder = ARTIFACTS / "pdf"
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / f"run-sheet-{language}.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    page.emulate_media(media="screen")
    text = _pdf_text(pdf)
    names = ["Νίκος", "Μαρία", "Ελένη", "Γιώργος"]  # a surname may wrap in its cell
    assert [text.index(n) for n in names] == sorted(text.index(n) for n in names)
    assert "Kostas Courier" in text
    assert "Staff home" not in text and "Αρχική προσωπικού" not in text  # no navigation
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
    assert size is not None and (round(float(size[1])), round(float(size[2]))) == (842, 595)
    assert re.search(r"Pages:\s+1\n", info)  # A4 landscape, one page for four stops
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf), str(folder / pdf.stem)],
        check=True,
    )

    # The map: numbered markers in order and the line of the way.
    page.goto(f"{url}/staff/deliveries/runs/{run.pk}/map/")
    markers = page.locator("#run-map .dimos-run-marker")
    expect(markers).to_have_count(4)  # the start and the three stops with a point
    expect(markers.nth(1)).to_have_text("1")
    expect(page.locator("#run-map path.leaflet-interactive")).to_have_count(1)
    look(page, journey, "5-map")

    # Tiles that cannot be reached leave the markers, the line and the list.
    offline = new_context()
    offline.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    use_language(offline, live_server, language)
    log_in_as(offline, live_server, coordinator)
    errors: list[str] = []
    cut_off = offline.new_page()
    cut_off.on("pageerror", lambda error: errors.append(str(error)))
    cut_off.goto(f"{url}/staff/deliveries/runs/{run.pk}/map/")
    expect(cut_off.locator("#run-map .dimos-run-marker")).to_have_count(4)
    expect(cut_off.locator("main ol.dimos-run-stops li")).to_have_count(4)
    assert errors == []

    # Without JavaScript: the ordered list with the coordinates.
    plain = new_context(java_script_enabled=False)
    use_language(plain, live_server, language)
    log_in_as(plain, live_server, coordinator)
    no_js = plain.new_page()
    no_js.goto(f"{url}/staff/deliveries/runs/{run.pk}/map/")
    expect(no_js.locator("#run-map")).to_be_hidden()
    expect(no_js.locator("main ol.dimos-run-stops")).to_contain_text("41.08700, 23.54400")
    look(no_js, journey, "6-map-without-javascript")

    # Undoing the run frees its deliveries.
    page.goto(f"{url}/staff/deliveries/runs/{run.pk}/")
    click_visible(page.locator("main form[action$='/dissolve/'] button"))
    expect(page).to_have_url(f"{url}/staff/deliveries/runs/?date={run.date:%Y-%m-%d}")
    assert not Run.objects.exists()
