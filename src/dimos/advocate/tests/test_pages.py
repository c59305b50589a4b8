"""The Advocate's pages: the complainant's journey without a browser, the office's actions,
confidentiality towards the services (and its audit), the PDFs, the report and the API."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dimos.advocate import services
from dimos.advocate.models import AnnualReport, Complaint, Mediation, Status
from dimos.advocate.tests.conftest import PDF, file_complaint
from dimos.core.models import AuditEntry
from dimos.testing.personas import login

pytestmark = pytest.mark.django_db


def _screened(client: Client) -> None:
    answers = {
        "court": "no",
        "private": "no",
        "staff": "no",
        "legal_advice": "no",
        "municipal": "yes",
    }
    response = client.post(reverse("advocate:screening"), answers)
    assert response.status_code == 302 and response["Location"] == reverse("advocate:new")


def _form(bodies: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data = {
        "kind": "business",
        "name": "Ελένη Μαυρίδου",
        "business_name": "Καφέ Ροτόντα Ο.Ε.",
        "tax_number": "094014201",
        "email": "eleni@example.org",
        "phone": "6944123456",
        "language": "en",
        "body": str(bodies["planning"].pk),
        "category": "no_answer",
        "description": "No answer to my request of March.",
        "request": "An answer.",
        "share_identity": "no",
    }
    data.update(changes)
    return data


def test_the_catalogue_lists_the_advocate(client: Client, bodies: Any) -> None:
    response = client.get("/services/")
    assert reverse("advocate:start") in response.content.decode()
    assert client.get(reverse("advocate:start")).status_code == 200


def test_screening_explains_each_exclusion_and_where_to_turn(client: Client) -> None:
    client.cookies["dimos_language"] = "en"
    response = client.post(
        reverse("advocate:screening"),
        {"court": "yes", "private": "no", "staff": "no", "legal_advice": "yes", "municipal": "no"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "pending before a court" in page and "legal aid" in page and "Ombudsman" in page
    assert reverse("advocate:new") in page  # nothing is refused silently: they may still send
    assert client.post(reverse("advocate:screening"), {}).status_code == 400


def test_the_form_asks_for_screening_first(client: Client) -> None:
    assert client.get(reverse("advocate:new"))["Location"] == reverse("advocate:screening")


def test_an_anonymous_complaint_by_email_then_confirmed(client: Client, bodies: Any) -> None:
    client.cookies["dimos_language"] = "en"
    _screened(client)
    response = client.post(
        reverse("advocate:new"),
        {**_form(bodies), "attachments": SimpleUploadedFile("a.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 200 and "Check your email" in response.content.decode()
    complaint = Complaint.objects.get()
    assert complaint.status == Status.UNCONFIRMED and complaint.attachments.count() == 1
    confirm = reverse("advocate:confirm", kwargs={"token": complaint.token})
    assert client.get(confirm).status_code == 200  # a mail scanner's GET confirms nothing
    assert Complaint.objects.get().status == Status.UNCONFIRMED
    response = client.post(confirm)
    assert response["Location"] == services.tracking_path(complaint)
    page = client.get(response["Location"]).content.decode()
    assert Complaint.objects.get().reference in page and "Submitted" in page


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        ({"body": "99999"}, "not known"),
        ({"tax_number": "123"}, "ΑΦΜ"),
        (
            {"attachments": SimpleUploadedFile("x.pdf", b"GIF89a....", "application/pdf")},
            "not accepted",
        ),
    ],
)
def test_bad_input_on_the_form_is_explained(
    client: Client, bodies: Any, changes: dict[str, Any], field_error: str
) -> None:
    client.cookies["dimos_language"] = "en"
    _screened(client)
    response = client.post(reverse("advocate:new"), _form(bodies, **changes))
    assert response.status_code == 400
    assert field_error in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_too_large_attachment_is_explained(client: Client, bodies: Any, settings: Any) -> None:
    settings.DIMOS_ADVOCATE_UPLOAD_MAX_BYTES = 30
    client.cookies["dimos_language"] = "en"
    _screened(client)
    big = SimpleUploadedFile("big.pdf", PDF * 3, "application/pdf")
    response = client.post(reverse("advocate:new"), {**_form(bodies), "attachments": big})
    assert response.status_code == 400 and "larger than" in response.content.decode()


def test_the_same_complaint_twice_shows_the_first(citizen: Any, bodies: Any) -> None:
    client = login(citizen)
    client.cookies["dimos_language"] = "en"
    _screened(client)
    first = client.post(reverse("advocate:new"), _form(bodies))
    again = client.post(reverse("advocate:new"), _form(bodies))
    assert first["Location"] == again["Location"]
    assert Complaint.objects.count() == 1


def test_the_office_admits_asks_the_service_and_answers(
    office_client: Client, liaison_client: Client, complaint: Complaint, office: Any
) -> None:
    act = lambda action, **data: office_client.post(  # noqa: E731
        reverse("advocate_staff:act", kwargs={"pk": complaint.pk, "action": action}), data
    )
    queue = office_client.get(reverse("advocate_staff:queue")).content.decode()
    assert complaint.reference in queue
    assert act("admit").status_code == 302
    assert act("mediate", question="Why no answer since March?", days="10").status_code == 302
    mediation = Mediation.objects.get()
    page = liaison_client.get(
        reverse("advocate_staff:service_request", kwargs={"pk": mediation.pk})
    )
    assert "Why no answer since March?" in page.content.decode()
    liaison_client.post(
        reverse("advocate_staff:service_request", kwargs={"pk": mediation.pk}),
        {"agrees": "yes", "answer": "Issued today."},
    )
    assert Mediation.objects.get().status == Mediation.Status.ANSWERED
    response = act("conclude", outcome="resolved", answer="The certificate was issued.")
    assert response.status_code == 302
    assert Complaint.objects.get().status == Status.CONCLUDED
    # A form with errors shows the page again with them, nothing lost.
    assert act("note", kind="call", text="").status_code == 400
    assert act("frobnicate").status_code == 404


def test_what_a_service_sees_and_does_not(
    admitted: Complaint, office: Any, liaison_client: Client, other_liaison: Any
) -> None:
    services.add_note(complaint=admitted, kind="note", text="Secret office note", actor=office)
    hidden = services.add_office_document  # noqa: F841
    mediation = services.request_mediation(
        complaint=admitted, question="What happened to request 1432?", actor=office
    )
    url = reverse("advocate_staff:service_request", kwargs={"pk": mediation.pk})
    page = liaison_client.get(url).content.decode()
    assert "What happened to request 1432?" in page
    for secret in (
        "Ελένη",
        "Μαυρίδου",
        "eleni@",
        "6944123456",
        "094014201",
        "Secret office note",
        "land-use certificate",
    ):
        assert secret not in page, secret
    assert "stay anonymous" in page
    assert AuditEntry.objects.filter(action="mediation.viewed", confidential=True).exists()
    # Another service's liaison sees nothing; the office's pages are not theirs.
    other = login(other_liaison)
    assert other.get(url).status_code == 404
    assert (
        liaison_client.get(reverse("advocate_staff:detail", kwargs={"pk": admitted.pk})).status_code
        == 403
    )
    assert liaison_client.get(reverse("advocate_staff:queue")).status_code == 403


def test_with_consent_the_service_sees_the_name(
    bodies: Any, citizen: Any, office: Any, liaison_client: Client
) -> None:
    complaint = file_complaint(bodies, user=citizen, share_identity=True)
    services.admit(complaint=complaint, actor=office)
    mediation = services.request_mediation(complaint=complaint, question="Why?", actor=office)
    page = liaison_client.get(
        reverse("advocate_staff:service_request", kwargs={"pk": mediation.pk})
    ).content.decode()
    assert "Καφέ Ροτόντα" in page


def test_shared_documents_only(
    bodies: Any, citizen: Any, office: Any, liaison_client: Client
) -> None:
    checked = [services.check_attachment(SimpleUploadedFile(f"{n}.pdf", PDF)) for n in "ab"]
    complaint = file_complaint(bodies, user=citizen, attachments=checked)
    services.admit(complaint=complaint, actor=office)
    shared, kept = complaint.attachments.all()
    mediation = services.request_mediation(
        complaint=complaint, question="Why?", share=[shared.pk], actor=office
    )
    url = lambda d: reverse(  # noqa: E731
        "advocate_staff:service_document", kwargs={"pk": mediation.pk, "document_pk": d.pk}
    )
    assert liaison_client.get(url(shared)).status_code == 200
    assert liaison_client.get(url(kept)).status_code == 404


def test_every_reading_by_the_office_is_audited(
    office_client: Client, complaint: Complaint
) -> None:
    office_client.get(reverse("advocate_staff:detail", kwargs={"pk": complaint.pk}))
    entry = AuditEntry.objects.get(action="complaint.viewed")
    assert entry.confidential and entry.target_id == str(complaint.pk)


def test_the_tracking_page_shows_the_pause_and_the_answer_pdf(
    client: Client, admitted: Complaint, office: Any, tmp_path: Path
) -> None:
    client.cookies["dimos_language"] = "en"
    track = services.tracking_path(admitted)
    services.ask_complainant(complaint=admitted, text="Send the receipt.", actor=office)
    page = client.get(track).content.decode()
    assert "paused" in page and "Send the receipt." in page
    client.post(reverse("advocate:reply", kwargs={"token": admitted.token}), {"text": "Sent."})
    assert Complaint.objects.get(pk=admitted.pk).status == Status.ADMITTED
    services.conclude(
        complaint=admitted,
        outcome="resolved",
        answer="The service issued the certificate.\n\nThank you for your patience.",
        recommendation="Answer requests within the legal deadline.",
        actor=office,
    )
    page = client.get(track).content.decode()
    assert "The service issued the certificate." in page
    response = client.get(reverse("advocate:answer_pdf", kwargs={"token": admitted.token}))
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "answer.pdf"
    pdf.write_bytes(response.content)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    # The text's fonts are embedded (reportlab lists Helvetica, a standard font no text uses).
    dejavu = [line for line in fonts.splitlines() if "DejaVuSans" in line]
    assert dejavu and all(" yes yes yes " in line for line in dejavu)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert admitted.reference in text and "issued the certificate" in text
    assert "Καφέ Ροτόντα" in text
    # Messages to a closed case are refused on the page, nothing lost.
    response = client.post(
        reverse("advocate:reply", kwargs={"token": admitted.token}), {"text": "More"}
    )
    assert response.status_code == 400 and "closed" in response.content.decode()
    # The rating is asked for with the platform's link, once.
    tracked = client.get(reverse("advocate:track", kwargs={"token": admitted.token}))
    rate_link = re.search(r'href="(/feedback/rate/[^"]+)"', tracked.content.decode())
    assert rate_link is not None
    rated = client.post(rate_link.group(1), {"score": "4", "improve": "Faster, please."})
    assert rated.status_code == 200
    again = client.get(reverse("advocate:track", kwargs={"token": admitted.token}))
    assert "/feedback/rate/" not in again.content.decode()


def test_an_unknown_tracking_link_is_404(client: Client) -> None:
    assert client.get("/advocate/c/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_staff_file_for_a_caller(office_client: Client, bodies: Any) -> None:
    response = office_client.post(
        reverse("advocate_staff:file"), {**_form(bodies, email=""), "channel": "phone"}
    )
    complaint = Complaint.objects.get()
    assert response["Location"] == reverse("advocate_staff:detail", kwargs={"pk": complaint.pk})
    assert complaint.status == Status.SUBMITTED and complaint.channel == "phone"


def test_the_annual_report_edited_published_with_figures(
    office_client: Client, client: Client, admitted: Complaint, office: Any, tmp_path: Path
) -> None:
    services.conclude(complaint=admitted, outcome="resolved", answer="Done.", actor=office)
    year = admitted.submitted_at.year  # type: ignore[union-attr]
    assert client.get(reverse("advocate:report", kwargs={"year": year})).status_code == 404
    response = office_client.post(
        reverse("advocate_staff:report", kwargs={"year": year}),
        {"introduction_el": "Εισαγωγή", "introduction_en": "Introduction", "publish": "1"},
    )
    assert response.status_code == 302 and AnnualReport.objects.get().published_at
    client.cookies["dimos_language"] = "en"
    page = client.get(reverse("advocate:report", kwargs={"year": year})).content.decode()
    assert "Introduction" in page and "Urban Planning" in page
    assert "Ελένη" not in page and "eleni" not in page
    csv = client.get(
        reverse("advocate:report", kwargs={"year": year}),
        {"chart": "advocate-by-service", "format": "csv"},
    )
    assert csv.status_code == 200 and "Urban Planning,1" in csv.content.decode()
    pdf = client.get(reverse("advocate:report_pdf", kwargs={"year": year}))
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf.content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "DejaVuSans" in fonts


def test_the_api(client: Client, citizen: Any, bodies: Any, office: Any) -> None:
    assert sorted(b["code"] for b in client.get("/api/v1/advocate/services").json()) == [
        "planning",
        "water",
    ]
    api = login(citizen)
    body = {
        "name": "Alice Resident",
        "service": "planning",
        "category": "no_answer",
        "description": "No answer.",
        "request": "An answer.",
    }
    created = api.post(
        "/api/v1/advocate/complaints", json.dumps(body), content_type="application/json"
    )
    assert created.status_code == 201, created.content
    again = api.post(
        "/api/v1/advocate/complaints", json.dumps(body), content_type="application/json"
    )
    assert again.status_code == 200 and again.json()["token"] == created.json()["token"]
    unknown = api.post(
        "/api/v1/advocate/complaints",
        json.dumps({**body, "service": "mars"}),
        content_type="application/json",
    )
    assert unknown.status_code == 400 and unknown.json()["error"]["message"] == "Unknown service."
    token = created.json()["token"]
    tracked = client.get(f"/api/v1/advocate/complaints/{token}").json()
    assert tracked["status"] == "submitted" and tracked["service"] == "planning"
    assert len(api.get("/api/v1/advocate/complaints/mine").json()) == 1
    assert api.get("/api/v1/advocate/office/complaints").status_code == 403
    queue = login(office).get("/api/v1/advocate/office/complaints").json()
    assert queue[0]["reference"] == tracked["reference"]
    assert client.get("/api/v1/advocate/figures").json()["total"] == 1
    assert client.get("/api/v1/advocate/figures?year=1900").status_code == 400


def test_the_staff_home_and_my_account_show_the_advocate(
    office_client: Client, liaison_client: Client, admitted: Complaint, office: Any, citizen: Any
) -> None:
    services.request_mediation(complaint=admitted, question="Why?", actor=office)
    assert "Complaints to the Advocate" in office_client.get("/staff/").content.decode()
    home = liaison_client.get("/staff/").content.decode()
    assert "requests to your service" in home and "Complaints to the Advocate" not in home
    mine = login(citizen)
    mine.cookies["dimos_language"] = "en"
    assert admitted.reference in mine.get("/my/").content.decode()
