"""Changing a survey's sections, questions and choices: everything while nobody has answered,
only the wording afterwards; results published by the close date passing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dimos.feedback import survey_services as services
from dimos.feedback.models import Question, Response, Section, Survey
from dimos.feedback.tests.test_surveys import _ids, _survey


def _questions(section: Section) -> list[str]:
    return list(section.questions.order_by("order").values_list("text_el", flat=True))


def test_staff_move_a_question_up_and_down_without_javascript(municipality, officer_client):
    survey = _survey()
    first = survey.sections.get(order=0)
    q = _ids(survey)
    page = officer_client.get(f"/staff/feedback/surveys/{survey.pk}/").content.decode()
    assert 'value="question_up"' in page and 'value="question_down"' in page
    moved = officer_client.post(
        f"/staff/feedback/surveys/{survey.pk}/", {"what": "question_up", "id": q["Πόσο;"]}
    )
    assert moved.status_code == 302
    assert _questions(first) == ["Πόσο;", "Τις χρησιμοποιήσατε;"]
    officer_client.post(
        f"/staff/feedback/surveys/{survey.pk}/", {"what": "question_down", "id": q["Πόσο;"]}
    )
    assert _questions(first) == ["Τις χρησιμοποιήσατε;", "Πόσο;"]


def test_moving_a_section_before_its_condition_is_refused(municipality, officer_client):
    survey = _survey()
    second = survey.sections.get(order=1)
    answer = officer_client.post(
        f"/staff/feedback/surveys/{survey.pk}/", {"what": "section_up", "id": second.pk}
    )
    assert answer.status_code == 400
    assert "depends on" in answer.content.decode() or "εξαρτάται" in answer.content.decode()
    assert list(survey.sections.order_by("order").values_list("title_el", flat=True)) == [
        "Α",
        "Β",
    ]


def test_sections_without_conditions_move(municipality, officer):
    survey = _survey()
    third = services.add_section(survey=survey, title_el="Γ", title_en="C", actor=officer)
    services.move_section(section=third, up=True, actor=officer)
    assert list(survey.sections.order_by("order").values_list("title_el", flat=True)) == [
        "Α",
        "Γ",
        "Β",
    ]


def test_deleting_a_question_others_depend_on_is_refused(municipality, officer):
    survey = _survey()
    used = Question.objects.get(pk=_ids(survey)["Τις χρησιμοποιήσατε;"])
    with pytest.raises(services.SurveyError) as refused:
        services.delete_question(question=used, actor=officer)
    assert "Γιατί όχι;" in str(refused.value.message)
    assert Question.objects.filter(pk=used.pk).exists()


def test_staff_delete_a_question_and_a_section(municipality, officer_client):
    survey = _survey()
    q = _ids(survey)
    page = officer_client.get(f"/staff/feedback/surveys/{survey.pk}/questions/{q['Πόσο;']}/")
    assert page.status_code == 200 and "Πόσο;" in page.content.decode()
    gone = officer_client.post(
        f"/staff/feedback/surveys/{survey.pk}/questions/{q['Πόσο;']}/", {"action": "delete"}
    )
    assert gone.status_code == 302 and not Question.objects.filter(pk=q["Πόσο;"]).exists()
    second = survey.sections.get(order=1)
    officer_client.post(
        f"/staff/feedback/surveys/{survey.pk}/sections/{second.pk}/", {"action": "delete"}
    )
    assert list(survey.sections.values_list("title_el", flat=True)) == ["Α"]
    assert not Question.objects.filter(text_el="Γιατί όχι;").exists()


def _edit(question: Question, **changes: str) -> dict[str, str]:
    from dimos.feedback.survey_forms import QuestionForm

    data = QuestionForm.initial_for(question) | changes
    out = {f"question-{k}": ("on" if v is True else str(v)) for k, v in data.items() if v}
    return out | {"action": "save"}


def test_reordering_choices_carries_the_conditions_along(municipality, officer_client):
    survey = _survey()
    q = _ids(survey)
    used = Question.objects.get(pk=q["Τις χρησιμοποιήσατε;"])
    answer = officer_client.post(
        f"/staff/feedback/surveys/{survey.pk}/questions/{used.pk}/",
        _edit(used, options_el="Όχι\nΝαι\nΔεν ξέρω", options_en="No\nYes\nDon't know"),
    )
    assert answer.status_code == 302
    used.refresh_from_db()
    assert [o["el"] for o in used.options] == ["Όχι", "Ναι", "Δεν ξέρω"]
    # "Why not?" was shown on "No" (choice 1); "No" is now choice 0.
    assert Question.objects.get(pk=q["Γιατί όχι;"]).condition_values == ["0"]


def test_once_answered_only_the_wording_changes(municipality, officer, officer_client):
    survey = _survey()
    q = _ids(survey)
    Response.objects.create(survey=survey, resume_hash="x")  # someone saved a draft
    used = Question.objects.get(pk=q["Τις χρησιμοποιήσατε;"])
    reordered = officer_client.post(
        f"/staff/feedback/surveys/{survey.pk}/questions/{used.pk}/",
        _edit(used, options_el="Όχι\nΝαι", options_en="No\nYes"),
    )
    assert reordered.status_code == 302  # same number of choices: read as a rewording
    used.refresh_from_db()
    added = officer_client.post(
        f"/staff/feedback/surveys/{survey.pk}/questions/{used.pk}/",
        _edit(used, options_el="Όχι\nΝαι\nΊσως"),
    )
    assert added.status_code == 400
    assert "έχει ήδη απαντήσεις" in added.content.decode()
    reworded = officer_client.post(
        f"/staff/feedback/surveys/{survey.pk}/questions/{used.pk}/",
        _edit(used, text_el="Χρησιμοποιήσατε τις υπηρεσίες;"),
    )
    assert reworded.status_code == 302
    assert Question.objects.get(pk=used.pk).text_el == "Χρησιμοποιήσατε τις υπηρεσίες;"
    page = officer_client.get(f"/staff/feedback/surveys/{survey.pk}/").content.decode()
    assert 'value="question_up"' not in page and "Προσθήκη της ενότητας" not in page
    moved = officer_client.post(
        f"/staff/feedback/surveys/{survey.pk}/", {"what": "question_up", "id": q["Πόσο;"]}
    )
    assert moved.status_code == 400 and "έχει ήδη απαντήσεις" in moved.content.decode()
    deleted = officer_client.post(
        f"/staff/feedback/surveys/{survey.pk}/sections/{survey.sections.get(order=1).pk}/",
        {"action": "delete"},
    )
    assert deleted.status_code == 400 and survey.sections.count() == 2
    with pytest.raises(services.SurveyError):
        services.add_section(survey=survey, title_el="Νέα", title_en="", actor=officer)


def test_section_titles_can_be_corrected_after_answers(municipality, officer_client):
    survey = _survey()
    Response.objects.create(survey=survey, resume_hash="x")
    first = survey.sections.get(order=0)
    answer = officer_client.post(
        f"/staff/feedback/surveys/{survey.pk}/sections/{first.pk}/",
        {"action": "save", "title_el": "Η χρήση", "title_en": "Use"},
    )
    assert answer.status_code == 302
    first.refresh_from_db()
    assert first.title_el == "Η χρήση"


def test_results_publish_when_the_close_date_passes(municipality, officer):
    survey = _survey()
    client = Client()
    assert client.get("/surveys/test-survey/results/").status_code == 404
    assert "test-survey/results" not in client.get("/surveys/").content.decode()
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/surveys/test-survey/results/").status_code == 200
    assert "test-survey/results" in client.get("/surveys/").content.decode()
    # Withdrawn by staff: gone, and the close date no longer publishes them.
    survey.refresh_from_db()
    services.publish_results(survey=survey, actor=officer, publish=False)
    assert client.get("/surveys/test-survey/results/").status_code == 404
    services.publish_results(survey=survey, actor=officer, publish=True)
    assert client.get("/surveys/test-survey/results/").status_code == 200


def test_without_publication_on_closing_staff_publish_by_hand(municipality, officer):
    survey = _survey(publish_on_close=False)
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    assert Client().get("/surveys/test-survey/results/").status_code == 404
    survey.refresh_from_db()
    services.publish_results(survey=survey, actor=officer)
    assert Client().get("/surveys/test-survey/results/").status_code == 200


def test_a_resident_with_an_account_finds_the_invitation_in_the_app(
    municipality, officer, citizen, django_capture_on_commit_callbacks
):
    from django.core import mail

    from dimos.core.models import Notification

    survey = _survey(slug="invited", access=Survey.Access.TOKEN)
    with django_capture_on_commit_callbacks(execute=True):
        services.invite(survey=survey, count=0, emails=[citizen.email.upper()], actor=officer)
    inbox = Notification.objects.get(recipient=citizen, kind="feedback.survey_invitation")
    assert inbox.url == "/surveys/invited/"
    # The email carries the link with the token; the in-app link carries none.
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [citizen.email]
    assert "?invitation=" in mail.outbox[0].body and "invitation=" not in inbox.url
    from dimos.testing.personas import login

    client = login(citizen)
    page = client.get(inbox.url)
    assert page.status_code == 200 and "Τις χρησιμοποιήσατε;" in page.content.decode()
    q = _ids(survey)
    client.post(inbox.url, {"page": "0", "action": "next", f"q{q['Τις χρησιμοποιήσατε;']}": "0"})
    client.post(inbox.url, {"page": "1", "action": "next"})
    response = Response.objects.get(survey=survey, submitted_at__isnull=False)
    assert response.invitation is not None and response.invitation.email == citizen.email.upper()
    # Someone else signed in, without an invitation: refused.
    assert Client().get("/surveys/invited/").status_code == 403
