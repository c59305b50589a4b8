"""Surveys: staff build one with a condition; residents answer without JavaScript, save and
continue later; once per person or invitation; the bad inputs; results, exports, review."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from dimos.feedback import survey_services as services
from dimos.feedback.models import Answer, Participation, Question, Response, Section, Survey
from dimos.testing.personas import login


def _survey(**kw):
    now = timezone.now()
    fields = {
        "slug": "test-survey",
        "title_el": "Έρευνα",
        "title_en": "Survey",
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=10),
        "access": Survey.Access.OPEN,
        "anonymous": True,
        "published": True,
    } | kw
    survey = Survey.objects.create(**fields)
    first = Section.objects.create(survey=survey, order=0, title_el="Α", title_en="A")
    second = Section.objects.create(survey=survey, order=1, title_el="Β", title_en="B")
    used = Question.objects.create(
        section=first,
        order=0,
        kind=Question.Kind.SINGLE,
        text_el="Τις χρησιμοποιήσατε;",
        text_en="Did you use them?",
        required=True,
        options=[{"el": "Ναι", "en": "Yes"}, {"el": "Όχι", "en": "No"}],
    )
    Question.objects.create(
        section=first,
        order=1,
        kind=Question.Kind.SCALE10,
        text_el="Πόσο;",
        required=False,
    )
    Question.objects.create(
        section=second,
        order=0,
        kind=Question.Kind.LONG,
        text_el="Γιατί όχι;",
        text_en="Why not?",
        required=True,
        condition_question=used,
        condition_values=["1"],
    )
    Question.objects.create(
        section=second,
        order=1,
        kind=Question.Kind.MATRIX,
        text_el="Βαθμολογήστε",
        options=[{"el": "ευκολία", "en": "ease"}, {"el": "ταχύτητα", "en": "speed"}],
    )
    return survey


def _ids(survey):
    return {q.text_el: q.pk for q in Question.objects.filter(section__survey=survey)}


def test_answering_with_a_condition_and_saving_to_continue(municipality):
    survey = _survey()
    q = _ids(survey)
    client = Client()
    first = client.get("/surveys/test-survey/")
    assert first.status_code == 200 and "Τις χρησιμοποιήσατε;" in first.content.decode()
    # Missing the required answer.
    missing = client.post("/surveys/test-survey/", {"page": "0", "action": "next"})
    assert missing.status_code == 400
    assert "Απαντήστε στο «Τις χρησιμοποιήσατε;»" in missing.content.decode()
    # Answer "No", save and come back later with the link.
    saved = client.post(
        "/surveys/test-survey/",
        {"page": "0", "action": "save", f"q{q['Τις χρησιμοποιήσατε;']}": "1"},
    )
    link = re.search(
        r'href="https?://[^"]+(/surveys/test-survey/\?resume=[^"]+)"', saved.content.decode()
    ).group(1)
    later = Client()
    page = later.get(link)
    assert page.status_code == 200
    assert (
        'value="1"\n' in page.content.decode()
        or 'value="1" checked' in page.content.decode()
        or "checked" in page.content.decode()
    )
    nxt = later.post(
        "/surveys/test-survey/",
        {"page": "0", "action": "next", f"q{q['Τις χρησιμοποιήσατε;']}": "1"},
    )
    assert nxt.status_code == 302 and nxt["Location"].endswith("?page=1")
    second = later.get(nxt["Location"]).content.decode()
    assert "Γιατί όχι;" in second  # shown: the answer was "No"
    sent = later.post(
        "/surveys/test-survey/",
        {"page": "1", "action": "next", f"q{q['Γιατί όχι;']}": "Δεν ήξερα"},
    )
    assert sent.status_code == 302 and sent["Location"] == "/surveys/test-survey/done/"
    response = Response.objects.get(submitted_at__isnull=False)
    assert response.user is None and response.resume_hash == ""
    assert response.answers.count() == 2
    # The same link again: already sent, nothing counted twice.
    again = later.get(link)
    assert "δεν είναι έγκυρος" in again.content.decode() or again.status_code == 400


def test_a_hidden_question_is_not_asked_nor_kept(municipality):
    survey = _survey()
    q = _ids(survey)
    client = Client()
    client.post(
        "/surveys/test-survey/",
        {"page": "0", "action": "next", f"q{q['Τις χρησιμοποιήσατε;']}": "0"},
    )
    page = client.get("/surveys/test-survey/?page=1").content.decode()
    assert "Γιατί όχι;" not in page
    assert client.post("/surveys/test-survey/", {"page": "1", "action": "next"}).status_code == 302
    assert not Answer.objects.filter(question_id=q["Γιατί όχι;"]).exists()


def test_one_response_per_person(municipality, citizen):
    survey = _survey(slug="mine", access=Survey.Access.ACCOUNT, anonymous=True)
    q = _ids(survey)
    assert Client().get("/surveys/mine/").status_code == 302  # log in first
    client = login(citizen)
    client.post(
        "/surveys/mine/", {"page": "0", "action": "next", f"q{q['Τις χρησιμοποιήσατε;']}": "0"}
    )
    client.post("/surveys/mine/", {"page": "1", "action": "next"})
    assert Participation.objects.filter(survey=survey, user=citizen).exists()
    response = Response.objects.get(survey=survey)
    assert response.user is None and response.draft_owner is None  # anonymous: nobody named
    twice = client.get("/surveys/mine/")
    assert "Έχετε ήδη απαντήσει" in twice.content.decode()
    with pytest.raises(services.SurveyError):
        services.start_or_resume(survey=survey, user=citizen)
    assert Response.objects.filter(survey=survey, submitted_at__isnull=False).count() == 1


def test_invitation_links(municipality, officer, django_capture_on_commit_callbacks):
    survey = _survey(slug="invited", access=Survey.Access.TOKEN)
    with django_capture_on_commit_callbacks(execute=True):
        tokens = services.invite(survey=survey, count=1, emails=["a@example.org"], actor=officer)
    assert len(tokens) == 2 and mail.outbox[0].to == ["a@example.org"]
    assert "/surveys/invited/?invitation=" in mail.outbox[0].body
    client = Client()
    assert client.get("/surveys/invited/").status_code == 403
    assert client.get("/surveys/invited/?invitation=forged").status_code == 403
    q = _ids(survey)
    client.get(f"/surveys/invited/?invitation={tokens[0]}")
    client.post(
        "/surveys/invited/", {"page": "0", "action": "next", f"q{q['Τις χρησιμοποιήσατε;']}": "0"}
    )
    client.post("/surveys/invited/", {"page": "1", "action": "next"})
    other = Client()
    used = other.get(f"/surveys/invited/?invitation={tokens[0]}")
    assert "Έχετε ήδη απαντήσει" in used.content.decode()
    assert Response.objects.filter(survey=survey, submitted_at__isnull=False).count() == 1


def test_closed_and_not_yet_open(municipality):
    now = timezone.now()
    _survey(slug="closed", opens_at=now - timedelta(days=5), closes_at=now - timedelta(days=1))
    page = Client().get("/surveys/closed/")
    assert "έκλεισε" in page.content.decode()
    _survey(slug="later", opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=5))
    assert "δεν έχει ανοίξει" in Client().get("/surveys/later/").content.decode()
    english = Client()
    english.cookies["django_language"] = "en"
    assert Client().get("/surveys/nope/").status_code == 404


def test_answers_after_closing_are_refused(municipality):
    survey = _survey()
    q = _ids(survey)
    client = Client()
    client.post(
        "/surveys/test-survey/",
        {"page": "0", "action": "save", f"q{q['Τις χρησιμοποιήσατε;']}": "0"},
    )
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    late = client.post("/surveys/test-survey/", {"page": "1", "action": "next"})
    assert "έκλεισε" in late.content.decode()
    assert not Response.objects.filter(submitted_at__isnull=False).exists()


def _answered(survey, n=3):
    q = _ids(survey)
    for i in range(n):
        client = Client()
        client.post(
            f"/surveys/{survey.slug}/",
            {"page": "0", "action": "next", f"q{q['Τις χρησιμοποιήσατε;']}": "1"},
        )
        client.post(
            f"/surveys/{survey.slug}/",
            {
                "page": "1",
                "action": "next",
                f"q{q['Γιατί όχι;']}": f"Κλείστε με στο 69{i}1234567",
                f"q{q['Βαθμολογήστε']}_0": "4",
            },
        )


def test_staff_build_a_survey_with_a_condition(municipality, officer_client):
    made = officer_client.post(
        "/staff/feedback/surveys/new/",
        {
            "slug": "built",
            "title_el": "Νέα έρευνα",
            "opens_at": "2026-01-01T09:00",
            "closes_at": "2030-01-01T09:00",
            "access": "open",
            "anonymous": "on",
            "published": "on",
        },
    )
    assert made.status_code == 302
    survey = Survey.objects.get(slug="built")
    url = f"/staff/feedback/surveys/{survey.pk}/"
    officer_client.post(url, {"what": "section", "section-title_el": "Πρώτο"})
    officer_client.post(url, {"what": "section", "section-title_el": "Δεύτερο"})
    first, second = survey.sections.all()
    officer_client.post(
        url,
        {
            "what": "question",
            "question-section": first.pk,
            "question-kind": "single",
            "question-text_el": "Σας άρεσε;",
            "question-required": "on",
            "question-options_el": "Ναι\nΌχι",
            "question-options_en": "Yes\nNo",
        },
    )
    liked = Question.objects.get(text_el="Σας άρεσε;")
    assert liked.options == [{"el": "Ναι", "en": "Yes"}, {"el": "Όχι", "en": "No"}]
    # A condition on a question of the same section is refused.
    same = officer_client.post(
        url,
        {
            "what": "question",
            "question-section": first.pk,
            "question-kind": "long",
            "question-text_el": "Γιατί;",
            "question-condition_question": liked.pk,
            "question-condition_values": "2",
        },
    )
    assert same.status_code == 400 or not Question.objects.filter(text_el="Γιατί;").exists()
    officer_client.post(
        url,
        {
            "what": "question",
            "question-section": second.pk,
            "question-kind": "long",
            "question-text_el": "Τι δεν σας άρεσε;",
            "question-condition_question": liked.pk,
            "question-condition_values": "2",
        },
    )
    why = Question.objects.get(text_el="Τι δεν σας άρεσε;")
    assert why.condition_question == liked and why.condition_values == ["1"]
    bad = officer_client.post(
        "/staff/feedback/surveys/new/",
        {
            "slug": "x",
            "title_el": "Χ",
            "opens_at": "2026-02-01T09:00",
            "closes_at": "2026-01-01T09:00",
            "access": "open",
        },
    )
    assert bad.status_code == 400


def test_results_exports_and_review(municipality, officer, officer_client, citizen):
    survey = _survey()
    _answered(survey)
    live = officer_client.get(f"/staff/feedback/surveys/{survey.pk}/results/")
    assert live.status_code == 200 and "<svg" in live.content.decode()
    csv_answer = officer_client.get(f"/staff/feedback/surveys/{survey.pk}/export/csv/")
    rows = list(csv.reader(io.StringIO(csv_answer.content.decode())))
    assert len(rows) == 4
    assert rows[1][0] == "1"
    assert citizen.email not in csv_answer.content.decode()
    xlsx = officer_client.get(f"/staff/feedback/surveys/{survey.pk}/export/xlsx/")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.active.max_row == 4
    assert officer_client.get(f"/staff/feedback/surveys/{survey.pk}/export/pdf/").status_code == 404
    # Not published before it closes.
    assert Client().get("/surveys/test-survey/results/").status_code == 404
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    officer_client.post(f"/staff/feedback/surveys/{survey.pk}/", {"what": "publish"})
    text = Answer.objects.filter(question__kind="long").first()
    officer_client.post(f"/staff/feedback/surveys/{survey.pk}/review/", {"approved": [text.pk]})
    public = Client().get("/surveys/test-survey/results/").content.decode()
    assert "Κλείστε με στο" in public
    assert "6901234567" not in public and "691" not in public.split("Κλείστε με στο")[1][:20]
    assert Answer.objects.filter(approved=True).count() == 1


def test_identified_exports_name_the_respondent(municipality, officer_client, citizen):
    survey = _survey(slug="named", access=Survey.Access.ACCOUNT, anonymous=False)
    q = _ids(survey)
    client = login(citizen)
    client.post(
        "/surveys/named/", {"page": "0", "action": "next", f"q{q['Τις χρησιμοποιήσατε;']}": "0"}
    )
    client.post("/surveys/named/", {"page": "1", "action": "next"})
    body = officer_client.get(f"/staff/feedback/surveys/{survey.pk}/export/csv/").content.decode()
    assert citizen.email in body
