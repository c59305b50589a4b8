"""The social grocery: a food parcel is accepted only for a person who qualifies; the
coordinator records the decision (who, when, until when), a person who does not qualify has the
food parcel declined with the reason and is told; other needs are not checked."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dimos.core.audit import AuditEntry
from dimos.core.models import Notification
from dimos.relief import services
from dimos.relief.models import Beneficiary, Need, ReliefRequest, Status
from dimos.relief.tests.conftest import ask, medicine, tomorrow
from dimos.testing.personas import login

pytestmark = pytest.mark.django_db


def food() -> list[Any]:
    return [services.NeedData(kind="food")]


@pytest.fixture
def food_asked(citizen: Any, municipality: Any) -> ReliefRequest:
    citizen.preferred_language = "en"
    citizen.save()
    return ask(citizen, needs=food(), food_claim="kea").request  # type: ignore[no-any-return]


def test_a_food_parcel_without_a_decision_is_refused_and_nothing_is_written(
    food_asked: ReliefRequest, coordinator: Any
) -> None:
    assert food_asked.food_claim == "kea"  # what the daughter said, for the coordinator
    with pytest.raises(services.ReliefError) as refused:
        services.accept(req=food_asked, actor=coordinator)
    assert refused.value.code == "eligibility"
    assert "record first whether the person qualifies" in str(refused.value.message)
    food_asked.refresh_from_db()
    assert food_asked.status == Status.RECEIVED
    assert Beneficiary.objects.get().food_eligibility == ""


def test_accepting_with_the_decision_records_who_when_and_until_when(
    food_asked: ReliefRequest, coordinator: Any, settings: Any
) -> None:
    settings.DIMOS_RELIEF_FOOD_ELIGIBILITY_MONTHS = 2
    services.accept(req=food_asked, actor=coordinator, eligibility="kea")
    food_asked.refresh_from_db()
    assert food_asked.status == Status.ACCEPTED
    beneficiary = Beneficiary.objects.get()
    assert beneficiary.food_eligibility == "kea" and beneficiary.food_eligibility_by == coordinator
    assert beneficiary.food_eligibility_at is not None
    today = timezone.localdate()
    assert (
        beneficiary.food_eligible_until
        == services.add_months(dt.datetime.combine(today, dt.time.min), 2).date()
    )
    assert beneficiary.food_eligible() and not beneficiary.food_eligible(today + dt.timedelta(70))
    entry = AuditEntry.objects.get(action="relief.accepted")
    assert entry.details["eligibility_recorded"] is True
    # The next food parcel while the decision holds needs nothing more.
    again = ask(
        coordinator, beneficiary=beneficiary, person=None, needs=food(), channel="phone",
        day=tomorrow() + dt.timedelta(days=3),
    ).request  # fmt: skip
    services.accept(req=again, actor=coordinator)
    assert ReliefRequest.objects.get(pk=again.pk).status == Status.ACCEPTED


def test_a_decision_no_longer_valid_is_asked_again(
    food_asked: ReliefRequest, coordinator: Any
) -> None:
    beneficiary = food_asked.beneficiary
    services.record_eligibility(beneficiary=beneficiary, decision="grocery", actor=coordinator)
    Beneficiary.objects.update(food_eligible_until=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(services.ReliefError) as refused:
        services.accept(req=food_asked, actor=coordinator)
    assert refused.value.code == "eligibility"
    audit = AuditEntry.objects.get(action="relief.eligibility_recorded")
    assert audit.details == {"eligible": True}  # whether, never on what basis


def test_not_qualifying_needs_a_reason(food_asked: ReliefRequest, coordinator: Any) -> None:
    with pytest.raises(services.ReliefError) as refused:
        services.accept(req=food_asked, actor=coordinator, eligibility="not_eligible")
    assert refused.value.code == "reason"
    with pytest.raises(services.ReliefError):
        services.accept(req=food_asked, actor=coordinator, eligibility="maybe")
    assert Beneficiary.objects.get().food_eligibility == ""


def test_only_a_food_parcel_for_a_person_who_does_not_qualify_is_to_be_declined(
    food_asked: ReliefRequest, coordinator: Any
) -> None:
    with pytest.raises(services.ReliefError) as refused:
        services.accept(
            req=food_asked,
            actor=coordinator,
            eligibility="not_eligible",
            eligibility_reason="Not registered and income above the limit",
        )
    assert refused.value.code == "not_eligible"
    assert "decline the request" in str(refused.value.message)
    # Nothing half-written: no decision, no declined need, still received.
    assert Beneficiary.objects.get().food_eligibility == ""
    assert Need.objects.get().declined_reason == ""
    services.decline(
        req=food_asked, reason="Not registered and income above the limit", actor=coordinator
    )
    assert ReliefRequest.objects.get().status == Status.DECLINED


def test_the_food_parcel_is_declined_with_the_reason_and_the_rest_accepted(
    citizen: Any, municipality: Any, coordinator: Any, courier: Any
) -> None:
    citizen.preferred_language = "en"
    citizen.save()
    req = ask(citizen, needs=[*food(), *medicine()], food_claim="unsure").request
    services.accept(
        req=req,
        actor=coordinator,
        eligibility="not_eligible",
        eligibility_reason="Income above the social grocery's limit",
    )
    req.refresh_from_db()
    assert req.status == Status.ACCEPTED
    parcel = req.needs.get(kind="food")
    assert parcel.declined_reason == "Income above the social grocery's limit"
    assert req.needs.get(kind="medicine").declined_reason == ""
    told = Notification.objects.filter(recipient=citizen, kind="relief.updated").last()
    assert told is not None
    assert "does not qualify for it: Income above the social grocery's limit" in told.body
    # The visit is planned without the food parcel.
    services.schedule(req=req, actor=coordinator, courier=courier)
    req.refresh_from_db()
    assert req.delivery is not None and "food" not in req.delivery.title.lower()
    assert "Medicine" in req.delivery.title


def test_other_needs_are_not_checked(asked: ReliefRequest, coordinator: Any) -> None:
    services.accept(req=asked, actor=coordinator)
    assert ReliefRequest.objects.get().status == Status.ACCEPTED
    assert Beneficiary.objects.get().food_eligibility == ""


def test_a_food_parcel_joining_later_is_checked_when_scheduled_or_refused_for_a_planned_visit(
    asked: ReliefRequest, coordinator: Any, courier: Any
) -> None:
    services.accept(req=asked, actor=coordinator)
    ask(coordinator, beneficiary=asked.beneficiary, person=None, needs=food(), channel="phone")
    with pytest.raises(services.ReliefError) as refused:
        services.schedule(req=asked, actor=coordinator, courier=courier)
    assert refused.value.code == "eligibility"
    assert ReliefRequest.objects.get().status == Status.ACCEPTED
    services.record_eligibility(
        beneficiary=asked.beneficiary, decision="social_service", actor=coordinator
    )
    services.schedule(req=asked, actor=coordinator, courier=courier)
    # Another food parcel for a person whose decision no longer holds: not into a planned visit.
    Beneficiary.objects.update(food_eligible_until=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(services.ReliefError) as joined:
        ask(coordinator, beneficiary=asked.beneficiary, person=None, needs=food(), channel="phone")
    assert joined.value.code == "eligibility"
    assert Need.objects.filter(kind="food").count() == 1


def test_only_coordinators_record_a_decision(food_asked: ReliefRequest, citizen: Any) -> None:
    with pytest.raises(services.ReliefError):
        services.record_eligibility(
            beneficiary=food_asked.beneficiary, decision="kea", actor=citizen
        )


# --- Pages -------------------------------------------------------------------------------------


def test_the_online_form_asks_about_the_social_grocery_with_a_food_parcel(
    resident_client: Client, municipality: Any
) -> None:
    from dimos.relief.tests.test_pages import _form

    answer = resident_client.post("/relief/ask/", _form(kinds=["food"], barcodes=""))
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "Say whether the person qualifies for the social grocery." in page
    assert not ReliefRequest.objects.exists()
    answer = resident_client.post("/relief/ask/", _form(kinds=["food"], food_claim="grocery"))
    assert answer.status_code == 302
    assert ReliefRequest.objects.get().food_claim == "grocery"


def test_the_coordinator_records_the_decision_with_the_acceptance(
    food_asked: ReliefRequest, coordinator_client: Client, citizen: Any
) -> None:
    url = f"/staff/relief/{food_asked.pk}/"
    page = coordinator_client.get(url).content.decode()
    assert 'name="eligibility"' in page and "Yes, receives the minimum guaranteed income" in page
    # Accepting without choosing: the field's error, in English, nothing written.
    answer = coordinator_client.post(url + "accept/", {})
    assert answer.status_code == 400
    assert "This field is required." in answer.content.decode()
    assert ReliefRequest.objects.get().status == Status.RECEIVED
    answer = coordinator_client.post(
        url + "accept/", {"eligibility": "not_eligible", "eligibility_reason": ""}
    )
    assert answer.status_code == 400
    assert "Say why the person does not qualify" in answer.content.decode()
    answer = coordinator_client.post(url + "accept/", {"eligibility": "grocery"})
    assert ReliefRequest.objects.get().status == Status.ACCEPTED
    page = coordinator_client.get(url).content.decode()
    assert "Registered with the municipal social grocery" in page and "valid until" in page
    # The requester never sees the basis; a resident cannot record a decision.
    resident = login(citizen)
    assert resident.post(url + "eligibility/", {"eligibility": "kea"}).status_code in (302, 403)
    assert Beneficiary.objects.get().food_eligibility == "grocery"


def test_a_declined_food_parcel_shows_why_to_the_person(
    citizen: Any, municipality: Any, coordinator: Any, resident_client: Client
) -> None:
    req = ask(citizen, needs=[*food(), *medicine()], food_claim="unsure").request
    services.accept(
        req=req, actor=coordinator, eligibility="not_eligible", eligibility_reason="Income limit"
    )
    page = resident_client.get(f"/relief/mine/{req.pk}/").content.decode()
    assert "not given, because the person does not qualify for the social grocery" in page
    assert "Income limit" in page


def test_the_api_asks_about_the_social_grocery(citizen: Any, municipality: Any) -> None:
    from dimos.relief.tests.test_api import _body

    client = login(citizen)
    body = _body()
    body["needs"] = [{"kind": "food"}]
    refused = client.post("/api/v1/relief/requests", body, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "invalid"
    body["food_claim"] = "kea"
    made = client.post("/api/v1/relief/requests", body, content_type="application/json")
    assert made.status_code == 201 and made.json()["food_claim"] == "kea"
