"""A person's reports in their data download, and what is left of them after account erasure."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from dimos.reports.models import Report, Subscription
from dimos.reports.tests.factories import ReportFactory
from dimos.testing.personas import confirmed_it_is_them


@pytest.fixture
def mine(citizen, municipality):
    logged_in = ReportFactory.create(
        reporter=citizen,
        reporter_email=citizen.email,
        reporter_name="Μαρία Π.",
        reporter_phone="6912345678",
        show_name=True,
        description="Λακκούβα",
    )
    anonymous = ReportFactory.create(reporter=None, reporter_email=citizen.email.upper())
    someone_else = ReportFactory.create(reporter=None, reporter_email="other@example.org")
    Subscription.objects.create(report=someone_else, user=citizen)
    Subscription.objects.create(report=logged_in, email=citizen.email)
    return logged_in, anonymous, someone_else


def test_the_download_has_the_persons_reports_and_what_they_follow(citizen_client, mine):
    logged_in, anonymous, someone_else = mine
    archive = zipfile.ZipFile(io.BytesIO(citizen_client.post(reverse("accounts:export")).content))
    data = json.loads(archive.read("data.json"))["reports"]
    assert [r["id"] for r in data["reports"]] == [logged_in.pk, anonymous.pk]
    assert data["reports"][0]["phone"] == "6912345678"
    assert data["following"] == [
        {"report": someone_else.pk, "district": None, "since": data["following"][0]["since"]}
    ]


def test_erasure_keeps_the_reports_on_the_map_without_the_person(citizen_client, citizen, mine):
    logged_in, anonymous, someone_else = mine
    before = Report.objects.get(pk=logged_in.pk).updated_at
    confirmed_it_is_them(citizen_client, citizen)
    response = citizen_client.post(reverse("accounts:delete"), {"confirm": citizen.email})
    assert response.status_code == 302
    for report in (logged_in, anonymous):
        report.refresh_from_db()
        assert report.reporter_id == citizen.pk and not report.show_name  # the erased stub
        assert (report.reporter_email, report.reporter_name, report.reporter_phone) == ("", "", "")
    assert Report.objects.get(pk=logged_in.pk).updated_at > before  # cached pages refresh
    someone_else.refresh_from_db()
    assert someone_else.reporter_email == "other@example.org"
    assert not Subscription.objects.exists()
    page = citizen_client.get(f"/reports/{logged_in.pk}/").content.decode()
    assert "Λακκούβα" in page and "Μαρία" not in page
