"""The Advocate's services: submitting, the workflow and its refusals, the 30-day clock with
pauses (time travel), mediation, deadline warnings, reminders and escalation, retention."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dimos.advocate import selectors, services
from dimos.advocate.models import (
    Complaint,
    ComplaintEvent,
    Mediation,
    Message,
    Status,
)
from dimos.advocate.tests.conftest import PDF, file_complaint, pdf_file
from dimos.core.models import AuditEntry, Notification

pytestmark = pytest.mark.django_db

# A Monday in Athens, far from holidays; the 30 days are calendar days all the same.
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_a_logged_in_complaint_is_numbered_and_the_complainant_told(
    complaint: Complaint, citizen: Any
) -> None:
    assert complaint.status == Status.SUBMITTED
    assert complaint.number == 1 and complaint.reference.endswith("/0001")
    assert complaint.user == citizen and complaint.email == citizen.email
    assert Notification.objects.filter(recipient=citizen, kind="advocate.update").exists()
    assert complaint.events.filter(kind=ComplaintEvent.Kind.SUBMITTED).exists()
    assert AuditEntry.objects.filter(action="complaint.created", confidential=True).exists()


def test_an_email_complaint_waits_for_confirmation(bodies: dict[str, Any]) -> None:
    complaint = file_complaint(bodies, email="nikos@example.org")
    assert complaint.status == Status.UNCONFIRMED and complaint.number == 0
    assert Notification.objects.filter(kind="advocate.confirm").count() == 1
    confirmed = services.confirm_email(token=complaint.token)
    assert confirmed.status == Status.SUBMITTED and confirmed.number == 1
    assert confirmed.email_confirmed_at is not None
    # The link again: nothing changes.
    assert services.confirm_email(token=complaint.token).number == 1


def test_a_second_identical_submission_answers_the_first(
    bodies: dict[str, Any], citizen: Any
) -> None:
    first = file_complaint(bodies, user=citizen)
    again = file_complaint(bodies, user=citizen)
    assert again.pk == first.pk
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"body": None}, "Choose the service"),
        ({"tax_number": "123456789"}, "tax number"),
        ({"business_name": ""}, "business's name"),
        ({"category": "weather"}, "what went wrong"),
        ({"description": "  "}, "what happened"),
        ({"email": "", "phone": ""}, "email address or a phone"),
    ],
)
def test_bad_complaints_are_refused_with_a_message(
    bodies: dict[str, Any], changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(services.AdvocateError) as refused:
        file_complaint(bodies, **changes)
    assert message.lower() in str(refused.value.message).lower()
    assert not Complaint.objects.exists()


def test_an_inactive_service_is_unknown(bodies: dict[str, Any]) -> None:
    bodies["water"].is_active = False
    bodies["water"].save()
    with pytest.raises(services.AdvocateError):
        file_complaint(bodies, body=bodies["water"])


def test_attachments_are_checked_by_content(settings: Any) -> None:
    checked = services.check_attachment(pdf_file())
    assert checked.content_type == "application/pdf"
    with pytest.raises(services.AdvocateError, match="not accepted"):
        services.check_attachment(SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf"))
    with pytest.raises(services.AdvocateError, match="empty"):
        services.check_attachment(SimpleUploadedFile("x.pdf", b""))
    settings.DIMOS_ADVOCATE_UPLOAD_MAX_BYTES = 20
    with pytest.raises(services.AdvocateError, match="larger"):
        services.check_attachment(SimpleUploadedFile("x.pdf", PDF))


def test_attachments_are_kept_in_private_storage(bodies: dict[str, Any], citizen: Any) -> None:
    complaint = file_complaint(
        bodies, user=citizen, attachments=[services.check_attachment(pdf_file())]
    )
    item = complaint.attachments.get()
    with item.file.open("rb") as handle:
        assert handle.read().startswith(b"%PDF")
    assert item.shared is False


def test_admission_starts_30_calendar_days(complaint: Complaint, office: Any) -> None:
    with time_machine.travel(START, tick=False):
        admitted = services.admit(complaint=complaint, actor=office)
    assert admitted.status == Status.ADMITTED
    assert admitted.due_on == dt.date(2026, 4, 1)  # 30 days, weekends and Easter included


def test_only_the_office_admits(complaint: Complaint, liaison: Any, citizen: Any) -> None:
    for who in (liaison, citizen):
        with pytest.raises(services.AdvocateError, match="permission"):
            services.admit(complaint=complaint, actor=who)


def test_the_clock_pauses_while_waiting_and_resumes_when_they_answer(
    complaint: Complaint, office: Any, citizen: Any
) -> None:
    with time_machine.travel(START, tick=False):
        services.admit(complaint=complaint, actor=office)
    with time_machine.travel(START + dt.timedelta(days=10), tick=False):
        waiting = services.ask_complainant(
            complaint=complaint, text="Send us your earlier request.", actor=office
        )
        assert waiting.status == Status.WAITING
        state = selectors.deadline_state(waiting)
        assert state.state == "paused" and state.days == 20
    # Twelve days later the complainant answers: the date moves on by twelve days.
    with time_machine.travel(START + dt.timedelta(days=22), tick=False):
        state = selectors.deadline_state(Complaint.objects.get(pk=complaint.pk))
        assert state.state == "paused" and state.due == dt.date(2026, 4, 13)
        services.reply(complaint=complaint, text="Here it is.", user=citizen)
    resumed = Complaint.objects.get(pk=complaint.pk)
    assert resumed.status == Status.ADMITTED
    assert resumed.due_on == dt.date(2026, 4, 13)
    assert resumed.paused_days == 12 and resumed.paused_since is None
    assert Message.objects.filter(complaint=complaint).count() == 2
    with time_machine.travel(dt.datetime(2026, 4, 10, 9, tzinfo=dt.UTC), tick=False):
        assert selectors.deadline_state(resumed).state == "soon"
    with time_machine.travel(dt.datetime(2026, 4, 20, 9, tzinfo=dt.UTC), tick=False):
        state = selectors.deadline_state(resumed)
        assert state.state == "overdue" and state.late == 7
    with time_machine.travel(dt.datetime(2026, 5, 20, 9, tzinfo=dt.UTC), tick=False):
        assert selectors.deadline_state(resumed).state == "very_overdue"


def test_warnings_ahead_of_the_date_not_while_paused_and_once(
    complaint: Complaint, office: Any, citizen: Any
) -> None:
    with time_machine.travel(START, tick=False):
        services.admit(complaint=complaint, actor=office)
    warned = Notification.objects.filter(kind="advocate.deadline", recipient=office)
    # Five days before 1 April: the office is warned, once however often the check runs.
    done = services.check_deadlines(today=dt.date(2026, 3, 27))
    assert done.warned == 1
    services.check_deadlines(today=dt.date(2026, 3, 28))
    assert warned.count() == 1
    # Paused: nobody is warned; resumed later, the new date warns again.
    with time_machine.travel(dt.datetime(2026, 3, 28, 9, tzinfo=dt.UTC), tick=False):
        services.ask_complainant(complaint=complaint, text="A receipt, please.", actor=office)
    assert services.check_deadlines(today=dt.date(2026, 4, 2)).overdue == 0
    with time_machine.travel(dt.datetime(2026, 4, 7, 9, tzinfo=dt.UTC), tick=False):
        services.reply(complaint=complaint, text="Attached.", user=citizen)
    resumed = Complaint.objects.get(pk=complaint.pk)
    assert resumed.due_on == dt.date(2026, 4, 11)
    assert services.check_deadlines(today=dt.date(2026, 4, 7)).warned == 1
    assert services.check_deadlines(today=dt.date(2026, 4, 12)).overdue == 1
    assert services.check_deadlines(today=dt.date(2026, 4, 13)).overdue == 0
    assert warned.count() == 3


def test_not_admissible_with_the_laws_reason_and_where_to_turn(
    complaint: Complaint, office: Any
) -> None:
    closed = services.reject(complaint=complaint, exclusion="court", actor=office)
    assert closed.status == Status.INADMISSIBLE and closed.closed_at
    assert "court" in closed.decision_text
    with pytest.raises(services.AdvocateError):
        services.admit(complaint=closed, actor=office)


def test_an_unknown_reason_is_refused(complaint: Complaint, office: Any) -> None:
    with pytest.raises(services.AdvocateError, match="reason from the law"):
        services.reject(complaint=complaint, exclusion="bored", actor=office)
    assert Complaint.objects.get(pk=complaint.pk).status == Status.SUBMITTED


def test_referred_needs_where(complaint: Complaint, office: Any) -> None:
    with pytest.raises(services.AdvocateError, match="where"):
        services.refer(complaint=complaint, referred_to=" ", explanation="x", actor=office)
    done = services.refer(
        complaint=complaint,
        referred_to="The Greek Ombudsman",
        explanation="A state service.",
        actor=office,
    )
    assert done.status == Status.REFERRED


def test_mediation_reminds_then_escalates_to_the_head(
    admitted: Complaint, office: Any, liaison: Any, head: Any
) -> None:
    with time_machine.travel(START, tick=False):
        mediation = services.request_mediation(
            complaint=admitted, question="Why no answer?", days=10, actor=office
        )
    assert mediation.due_on == dt.date(2026, 3, 12)
    assert Notification.objects.filter(kind="advocate.mediation", recipient=liaison).exists()
    assert services.check_deadlines(today=dt.date(2026, 3, 12)).reminded == 0
    assert services.check_deadlines(today=dt.date(2026, 3, 13)).reminded == 1
    assert services.check_deadlines(today=dt.date(2026, 3, 14)).reminded == 0
    assert Notification.objects.filter(kind="advocate.reminder", recipient=liaison).count() == 1
    assert services.check_deadlines(today=dt.date(2026, 3, 17)).escalated == 0
    assert services.check_deadlines(today=dt.date(2026, 3, 18)).escalated == 1
    assert Notification.objects.filter(kind="advocate.escalated", recipient=head).count() == 1
    assert admitted.events.filter(kind=ComplaintEvent.Kind.ESCALATED).exists()


def test_the_service_answers_inside_dimos(admitted: Complaint, office: Any, liaison: Any) -> None:
    mediation = services.request_mediation(complaint=admitted, question="Why?", actor=office)
    answered = services.answer_mediation(
        mediation=mediation, answer="It was lost; issued today.", agrees=True, actor=liaison
    )
    assert answered.status == Mediation.Status.ANSWERED
    with pytest.raises(services.AdvocateError, match="already been answered"):
        services.answer_mediation(mediation=mediation, answer="Again", agrees=True, actor=liaison)


def test_another_services_liaison_cannot_answer(
    admitted: Complaint, office: Any, other_liaison: Any
) -> None:
    mediation = services.request_mediation(complaint=admitted, question="Why?", actor=office)
    with pytest.raises(services.AdvocateError, match="permission"):
        services.answer_mediation(mediation=mediation, answer="x", agrees=None, actor=other_liaison)


def test_a_service_answering_after_closure_is_refused_and_nothing_lost(
    admitted: Complaint, office: Any, liaison: Any
) -> None:
    mediation = services.request_mediation(complaint=admitted, question="Why?", actor=office)
    services.conclude(
        complaint=admitted, outcome="resolved", answer="The certificate was issued.", actor=office
    )
    with pytest.raises(services.AdvocateError, match="already closed"):
        services.answer_mediation(mediation=mediation, answer="Late", agrees=True, actor=liaison)
    mediation.refresh_from_db()
    assert mediation.status == Mediation.Status.CANCELLED and mediation.answer == ""
    assert Complaint.objects.get(pk=admitted.pk).answer == "The certificate was issued."


def test_mediation_only_once_admitted(complaint: Complaint, office: Any) -> None:
    with pytest.raises(services.AdvocateError, match="admitted"):
        services.request_mediation(complaint=complaint, question="Why?", actor=office)


def test_concluding_needs_an_outcome_and_reasons_when_the_service_disagreed(
    admitted: Complaint, office: Any
) -> None:
    with pytest.raises(services.AdvocateError, match="outcome"):
        services.conclude(complaint=admitted, outcome="", answer="x", actor=office)
    with pytest.raises(services.AdvocateError, match="reasons"):
        services.conclude(complaint=admitted, outcome="not_resolved", answer="x", actor=office)
    done = services.conclude(
        complaint=admitted,
        outcome="not_resolved",
        answer="The service disagreed.",
        service_reasons="The fee is lawful.",
        recommendation="Refund the fee.",
        actor=office,
    )
    assert done.status == Status.CONCLUDED and done.adoption == "pending"
    assert done.due_on is not None and done.paused_since is None


def test_messages_to_a_closed_case_are_refused(
    admitted: Complaint, office: Any, citizen: Any
) -> None:
    services.conclude(complaint=admitted, outcome="resolved", answer="Done.", actor=office)
    with pytest.raises(services.AdvocateError, match="closed"):
        services.reply(complaint=admitted, text="One more thing", user=citizen)
    with pytest.raises(services.AdvocateError, match="closed"):
        services.write_to_complainant(complaint=admitted, text="Hello", actor=office)
    assert not Message.objects.filter(text="One more thing").exists()


def test_the_answer_asks_for_a_rating_through_the_platform_once(
    admitted: Complaint, office: Any, citizen: Any
) -> None:
    """The complainant rates the answered complaint where every service is rated (the
    feedback app, through core.transactions), not on a form of the Advocate's own."""
    from dimos.core import transactions

    assert transactions.invitation_url("advocate.complaint", admitted.pk) == ""
    services.conclude(complaint=admitted, outcome="resolved", answer="Done.", actor=office)
    link = transactions.invitation_url("advocate.complaint", admitted.pk)
    assert link.startswith("/feedback/rate/")
    assert not hasattr(admitted, "rating") and not hasattr(services, "rate")


def test_the_complainant_withdraws_but_not_someone_else(
    complaint: Complaint, citizen: Any, other_citizen: Any
) -> None:
    with pytest.raises(services.AdvocateError, match="permission"):
        services.withdraw(complaint=complaint, actor=other_citizen)
    done = services.withdraw(complaint=complaint, actor=citizen)
    assert done.status == Status.WITHDRAWN and done.outcome == "withdrawn"


def test_notes_stay_inside_the_office(admitted: Complaint, office: Any, liaison: Any) -> None:
    services.add_note(complaint=admitted, kind="call", text="Called her at noon", actor=office)
    with pytest.raises(services.AdvocateError, match="permission"):
        services.add_note(complaint=admitted, kind="note", text="x", actor=liaison)
    assert not admitted.events.filter(message__contains="noon").exists()


def test_assignment_only_within_the_office(complaint: Complaint, office: Any, liaison: Any) -> None:
    with pytest.raises(services.AdvocateError, match="office"):
        services.assign(complaint=complaint, to=liaison, actor=office)
    assert services.assign(complaint=complaint, to=office, actor=office).assigned_to == office


def test_a_summary_is_published_only_checked_and_without_the_persons_details(
    admitted: Complaint, office: Any
) -> None:
    services.conclude(complaint=admitted, outcome="resolved", answer="Done.", actor=office)
    with pytest.raises(services.AdvocateError, match="Confirm"):
        services.publish_summary(
            complaint=admitted, title="Late certificate", summary="x", checked=False, actor=office
        )
    with pytest.raises(services.AdvocateError, match="details"):
        services.publish_summary(
            complaint=admitted,
            title="Late certificate",
            summary="Ελένη Μαυρίδου waited",
            checked=True,
            actor=office,
        )
    services.publish_summary(
        complaint=admitted,
        title="A certificate five months late",
        summary="A business waited five months for a land-use certificate.",
        checked=True,
        actor=office,
    )
    assert selectors.published_summaries().count() == 1


def test_retention_anonymises_old_closed_complaints(admitted: Complaint, office: Any) -> None:
    services.conclude(complaint=admitted, outcome="resolved", answer="Done.", actor=office)
    Complaint.objects.filter(pk=admitted.pk).update(
        closed_at=timezone.now() - dt.timedelta(days=6 * 366)
    )
    assert services.erase_lapsed() == 1
    erased = Complaint.objects.get(pk=admitted.pk)
    assert erased.erased_at and erased.name == "—" and erased.email == "" and erased.user is None
    assert erased.outcome == "resolved"  # the figures keep the case
