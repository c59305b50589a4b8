"""The annual report's figures are the year's cases counted right (no personal data), and its
PDF embeds its fonts and says them."""

from __future__ import annotations

import datetime as dt
import subprocess
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dimos.advocate import selectors, services
from dimos.advocate.models import AnnualReport, Complaint
from dimos.advocate.tests.conftest import file_complaint
from dimos.testing.browser import SCREENSHOTS

pytestmark = pytest.mark.django_db

YEAR = 2025


def _at(day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(YEAR, 3, 1, 10)) + dt.timedelta(days=day)


@pytest.fixture
def year_of_cases(bodies: dict[str, Any], citizen: Any, office: Any) -> None:
    """Five complaints of 2025: three answered (in 10, 20 and 40 days, one paused 12 days),
    one not admissible, one referred; a recommendation followed, a rating."""
    made = []
    for n in range(5):
        c = file_complaint(
            bodies,
            user=citizen,
            description=f"Case {n}",
            body=bodies["planning" if n < 3 else "water"],
            category="delay" if n % 2 else "no_answer",
        )
        made.append(c)
    for c, days in zip(made[:3], (10, 20, 40), strict=True):
        services.admit(complaint=c, actor=office)
        services.conclude(
            complaint=c,
            outcome="resolved" if days < 40 else "not_resolved",
            answer="Done.",
            recommendation="Answer on time." if days == 10 else "",
            service_reasons="Lawful." if days == 40 else "",
            actor=office,
        )
        Complaint.objects.filter(pk=c.pk).update(
            submitted_at=_at(0),
            admitted_at=_at(1),
            closed_at=_at(1 + days),
            due_on=(_at(1) + dt.timedelta(days=30 + (12 if days == 40 else 0))).date(),
            paused_days=12 if days == 40 else 0,
        )
    services.record_adoption(complaint=made[0], adoption="adopted", actor=office)
    # Rated through the platform's link (the feedback app), satisfied: 75 of 100.
    from dimos.core import transactions

    link = transactions.invitation_url("advocate.complaint", made[0].pk)
    assert Client().post(link, {"score": "4"}).status_code == 200
    services.reject(complaint=made[3], exclusion="private", actor=office)
    services.refer(complaint=made[4], referred_to="Ombudsman", explanation="State.", actor=office)
    Complaint.objects.filter(pk__in=[made[3].pk, made[4].pk]).update(submitted_at=_at(5))


def test_the_years_figures(year_of_cases: None) -> None:
    figures = selectors.compute_figures(YEAR, "en")
    assert figures["total"] == 5
    assert figures["admitted"] == 3 and figures["answered"] == 3
    assert {r["service"]: r["count"] for r in figures["by_body"]} == {
        "Urban Planning": 3,
        "Water": 2,
    }
    decisions = {r["decision"]: r["count"] for r in figures["admissibility"]}
    assert decisions["Not admissible"] == 1 and decisions["Referred elsewhere"] == 1
    assert {r["outcome"]: r["count"] for r in figures["outcomes"]} == {
        "resolved": 2,
        "not resolved: the service disagreed": 1,
    }
    # Days to answer from admission, the paused days taken off: 10, 20, 40 − 12 = 28.
    assert figures["median_days"] == 20 and figures["max_days"] == 28
    assert figures["deadline_kept"] == 3 and figures["deadline_kept_share"] == 100
    assert figures["recommendations"] == 1
    assert {r["follow_up"]: r["count"] for r in figures["adoption"]}["adopted"] == 1
    assert figures["satisfaction"] == 75 and figures["ratings"] == 1


def test_the_report_page_and_pdf(year_of_cases: None, office: Any, client: Client) -> None:
    services.save_report(
        year=YEAR,
        introduction_el="Η χρονιά του Συμπαραστάτη.",
        introduction_en="The Advocate's year.",
        highlights_el="Προτείνουμε απαντήσεις εντός προθεσμίας.",
        highlights_en="We propose answers on time.",
        publish=True,
        actor=office,
    )
    assert AnnualReport.objects.get(year=YEAR).published_at
    page = client.get(reverse("advocate:report", kwargs={"year": YEAR})).content.decode()
    assert "Η χρονιά του Συμπαραστάτη." in page and "Ελένη" not in page
    response = client.get(reverse("advocate:report_pdf", kwargs={"year": YEAR}))
    assert response["Content-Type"] == "application/pdf"
    folder = SCREENSHOTS / "advocate"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "report.pdf"
    path.write_bytes(response.content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    dejavu = [line for line in fonts.splitlines() if "DejaVuSans" in line]
    assert dejavu and all(" yes yes yes " in line for line in dejavu)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "Ετήσια έκθεση 2025" in text and "Διεύθυνση Πολεοδομίας" in text
    assert "Προτείνουμε απαντήσεις εντός προθεσμίας." in text


def test_an_unpublished_report_is_not_public(client: Client, office: Any) -> None:
    services.save_report(
        year=YEAR,
        introduction_el="Πρόχειρο",
        introduction_en="",
        highlights_el="",
        highlights_en="",
        publish=False,
        actor=office,
    )
    assert client.get(reverse("advocate:report", kwargs={"year": YEAR})).status_code == 404
    assert client.get(reverse("advocate:report_pdf", kwargs={"year": YEAR})).status_code == 404
    with pytest.raises(services.AdvocateError):
        services.save_report(
            year=YEAR,
            introduction_el="",
            introduction_en="",
            highlights_el="",
            highlights_en="",
            publish=True,
            actor=office,
        )
