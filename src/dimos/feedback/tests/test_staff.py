"""Staff triage of free text: themes, a reply when contact was given, the issue it led to;
redaction of anything published."""

from __future__ import annotations

from django.core import mail
from django.test import Client

from dimos.core import transactions
from dimos.core.models import AuditEntry
from dimos.feedback import services
from dimos.feedback.models import Invitation, PageFeedback, Rating, Theme
from dimos.feedback.redact import redact
from dimos.feedback.selectors import published_comments


def _rating(citizen, text="Άργησαν πολύ"):
    transactions.completed("reports.report", 5, user=citizen)
    invitation = Invitation.objects.get(object_id="5")
    return services.rate(invitation=invitation, score=2, improve=text)[0]


def test_only_officers_see_the_queue(municipality, citizen_client, clerk_client, officer_client):
    assert citizen_client.get("/staff/feedback/").status_code in (302, 403)
    assert clerk_client.get("/staff/feedback/").status_code == 403
    assert officer_client.get("/staff/feedback/").status_code == 200
    assert Client().get("/staff/feedback/").status_code == 302


def test_triage_tags_replies_once_and_links_the_issue(
    municipality, citizen, officer, officer_client, django_capture_on_commit_callbacks
):
    rating = _rating(citizen)
    theme = Theme.objects.create(name_el="Χρόνοι αναμονής", name_en="Waiting times")
    queue = officer_client.get("/staff/feedback/").content.decode()
    assert "Άργησαν πολύ" in queue
    url = f"/staff/feedback/rating/{rating.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            url,
            {
                "themes": [theme.pk],
                "new_theme": "Ενημέρωση",
                "issue_url": "https://dimos.example/reports/9/",
                "publish": "on",
                "reply": "Ευχαριστούμε, αλλάξαμε τη σειρά.",
            },
        )
    assert response.status_code == 302
    rating.refresh_from_db()
    assert rating.state == "done" and rating.replied_at is not None
    assert {t.name_el for t in rating.themes.all()} == {"Χρόνοι αναμονής", "Ενημέρωση"}
    assert rating.issue_url == "https://dimos.example/reports/9/"
    assert [m.to for m in mail.outbox] == [[citizen.email]]
    assert "αλλάξαμε τη σειρά" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="feedback.triaged").exists()
    # A second save sends no second reply.
    officer_client.post(url, {"reply": "Ξανά"})
    assert len(mail.outbox) == 1


def test_no_reply_without_contact(municipality, officer_client):
    item = PageFeedback.objects.create(path="/", useful=False, what_wrong="Χάλασε")
    response = officer_client.post(f"/staff/feedback/page/{item.pk}/", {"reply": "Γεια"})
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.replied_at is None


def test_bad_staff_input(municipality, officer_client):
    assert officer_client.get("/staff/feedback/nothing/1/").status_code == 404
    assert officer_client.get("/staff/feedback/rating/999/").status_code == 404
    item = PageFeedback.objects.create(path="/", useful=False, what_wrong="x")
    bad = officer_client.post(f"/staff/feedback/page/{item.pk}/", {"issue_url": "not a url ::"})
    assert bad.status_code == 400


def test_redaction():
    text = (
        "Είμαι ο Γιώργος Παπαδόπουλος, τηλ. 6912345678 ή +30 210 123 4567, "
        "email giorgos@example.gr, ΑΜΚΑ 01018012345, ΑΦΜ 123456789, ο κ. Νικολάου με βοήθησε. "
        "My name is John Smith."
    )
    out = redact(text)
    for secret in (
        "Γιώργος",
        "6912345678",
        "210 123 4567",
        "giorgos@example.gr",
        "01018012345",
        "123456789",
        "Νικολάου",
        "John",
    ):
        assert secret not in out, secret
    assert "με βοήθησε" in out


def test_only_published_comments_show_and_redacted(municipality, citizen):
    rating = _rating(citizen, "Καλέστε με στο 6999999999, κ. Ιωάννου")
    assert published_comments("report-problem") == []
    Rating.objects.filter(pk=rating.pk).update(publish=True)
    (comment,) = published_comments("report-problem")
    text = str(comment["text"])
    assert "6999999999" not in text and "Ιωάννου" not in text
