"""Ratings tied to completed transactions: the invitation (once, on the page and by email),
the signed link without an account, one rating per transaction, the bad inputs."""

from __future__ import annotations

import re

import pytest
from django.core import mail, signing
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import translation

from dimos.core import transactions
from dimos.core.registry import registry
from dimos.feedback import services
from dimos.feedback.models import Invitation, Rating
from dimos.feedback.selectors import performance, satisfaction

KIND = "reports.report"  # any declared kind; the feedback app never imports its app


def _complete(citizen, object_id=41, **kw):
    transactions.completed(KIND, object_id, user=citizen, **kw)
    return Invitation.objects.get(kind=KIND, object_id=str(object_id))


def _link(body: str) -> str:
    return re.search(r"https?://\S+(/feedback/rate/\S+/)", body).group(1)


def test_every_wired_service_declares_its_transaction():
    kinds = {k.key: k.service for k in registry.transactions.values()}
    assert kinds["reports.report"] == "report-problem"
    assert kinds["certificates.request"] == "certificates"
    assert kinds["appointments.booking"] == "book-appointment"
    assert kinds["deliveries.delivery"] == "home-delivery"
    assert kinds["advocate.complaint"] == "advocate"
    assert all(k.figures is not None for k in registry.transactions.values())


def test_unknown_kinds_are_refused(db):
    with pytest.raises(ValueError, match="Unknown transaction kind"):
        transactions.completed("nope.nothing", 1)


def test_completion_invites_once_by_email_with_a_signed_link(
    municipality, citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _complete(citizen)
        # Completed again (reopened and fixed again): still one invitation, one email.
        transactions.completed(KIND, 41, user=citizen)
    assert Invitation.objects.filter(kind=KIND).count() == 1
    emails = [m for m in mail.outbox if m.to == [citizen.email]]
    assert len(emails) == 1
    path = _link(emails[0].body)
    assert path == services.rate_path(invitation)
    # The in-app copy keeps no readable link (it carries the secret).
    assert "/feedback/rate/" not in emails[0].subject


def test_rating_from_the_link_needs_no_account(municipality, citizen):
    invitation = _complete(citizen)
    client = Client()
    path = services.rate_path(invitation)
    page = client.get(path)
    assert page.status_code == 200
    assert (
        "Πολύ ικανοποιημένος" in page.content.decode() or "Very satisfied" in page.content.decode()
    )
    answer = client.post(path, {"score": "4", "improve": "Πιο γρήγορα"})
    assert answer.status_code == 200
    rating = Rating.objects.get(invitation=invitation)
    assert (rating.score, rating.improve, rating.service) == (4, "Πιο γρήγορα", "report-problem")
    # The completion page no longer offers the link.
    assert transactions.invitation_url(KIND, 41) == ""


def test_a_retry_is_idempotent_and_a_second_rating_is_refused(municipality, citizen):
    invitation = _complete(citizen)
    client = Client()
    path = services.rate_path(invitation)
    client.post(path, {"score": "5", "improve": "Τέλεια"})
    again = client.post(path, {"score": "5", "improve": "Τέλεια"})  # the same form, retried
    assert again.status_code == 200
    other = client.post(path, {"score": "1", "improve": ""})
    assert other.status_code == 400
    with translation.override("en"):
        other = client.post(path, {"score": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert Rating.objects.filter(invitation=invitation).count() == 1
    assert Rating.objects.get(invitation=invitation).score == 5
    with pytest.raises(services.AlreadyRated):
        services.rate(invitation=invitation, score=2)


def test_the_database_keeps_one_rating_per_transaction(municipality, citizen):
    invitation = _complete(citizen)
    Rating.objects.create(invitation=invitation, service="report-problem", score=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(invitation=invitation, service="report-problem", score=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(kind=KIND, object_id="41", service="report-problem")


def test_bad_inputs_get_clear_messages(municipality, citizen):
    invitation = _complete(citizen)
    client = Client()
    path = services.rate_path(invitation)
    missing = client.post(path, {"improve": "x"})
    assert missing.status_code == 400
    assert "Διαλέξτε πόσο ικανοποιημένοι" in missing.content.decode()
    out_of_range = client.post(path, {"score": "9"})
    assert out_of_range.status_code == 400
    token = path.split("/")[-2]
    tampered = client.get(f"/feedback/rate/{token[:-2]}xx/")
    assert tampered.status_code == 400
    assert "δεν είναι έγκυρος" in tampered.content.decode()
    forged = signing.Signer(salt="another").sign_object(invitation.pk)
    assert client.get(f"/feedback/rate/{forged}/").status_code == 400
    gone = signing.Signer(salt=services.SALT).sign_object(999999, compress=True)
    assert client.get(f"/feedback/rate/{gone}/").status_code == 400
    client.cookies["django_language"] = "en"
    english = client.get(f"/feedback/rate/{token[:-2]}xx/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400
    assert not Rating.objects.exists()


def test_an_expired_link_is_refused(municipality, citizen):
    from datetime import timedelta

    from django.utils import timezone

    invitation = _complete(citizen)
    Invitation.objects.filter(pk=invitation.pk).update(
        completed_at=timezone.now() - timedelta(days=91)
    )
    response = Client().get(services.rate_path(invitation))
    assert response.status_code == 400
    assert "έληξε" in response.content.decode()


def test_anonymous_transactions_are_invited_at_their_email(
    municipality, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        transactions.completed(KIND, 7, email="anon@example.org", online=False)
    assert [m.to for m in mail.outbox] == [["anon@example.org"]]
    assert not Invitation.objects.get(object_id="7").online


def test_a_transaction_with_no_contact_is_counted_but_nobody_is_asked(municipality):
    transactions.completed(KIND, 8)
    assert Invitation.objects.get(object_id="8").sent_at is None
    assert mail.outbox == []


def test_satisfaction_moves_with_each_rating(municipality, citizen):
    for n, score in enumerate((5, 4, 1), start=1):
        services.rate(invitation=_complete(citizen, object_id=n), score=score)
    got = satisfaction()["report-problem"]
    # (100 + 75 + 0) / 3
    assert (got.score, got.count) == (58, 3)
    assert performance("report-problem").total.ratings == 3
    assert performance().total.satisfaction == 58
