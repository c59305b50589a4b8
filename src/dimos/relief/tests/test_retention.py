"""Personal data: export and erasure of an account, and the retention rule without one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from dimos.core.models import Notification
from dimos.relief import services
from dimos.relief.models import Beneficiary, Need, ReliefRequest
from dimos.relief.personal_data import erase_for, export_for
from dimos.relief.tests.conftest import ask, mother

pytestmark = pytest.mark.django_db


def test_the_retention_task_erases_a_beneficiary_not_helped_for_a_year(
    scheduled: Any, courier: Any, settings: Any
) -> None:
    from dimos.deliveries.models import Delivery

    req, code = scheduled
    services.complete_with_code(req=req, code=code, actor=courier)
    beneficiary = Beneficiary.objects.get()
    assert not services.erase_if_lapsed(beneficiary_id=beneficiary.pk)  # helped just now
    later = timezone.now() + dt.timedelta(days=366)
    assert services.erase_lapsed(now=later) == 1
    beneficiary.refresh_from_db()
    assert beneficiary.erased_at is not None
    assert (beneficiary.full_name, beneficiary.address, beneficiary.phone) == ("", "", "")
    assert beneficiary.lat is None and beneficiary.access_notes == ""
    # The anonymous counts stay: the request, its district, what was needed, how it went.
    kept = ReliefRequest.objects.get()
    assert kept.status == "delivered" and beneficiary.district is not None
    assert Need.objects.get().kind == "medicine" and Need.objects.get().barcodes == []
    delivery = Delivery.objects.get()
    assert (delivery.recipient_name, delivery.address, delivery.phone) == ("", "", "")
    assert not Notification.objects.filter(kind="relief.code").exists()


def test_the_retention_period_is_configurable(scheduled: Any, courier: Any, settings: Any) -> None:
    req, code = scheduled
    services.complete_with_code(req=req, code=code, actor=courier)
    settings.DIMOS_RELIEF_RETENTION_MONTHS = 2
    assert services.erase_lapsed(now=timezone.now() + dt.timedelta(days=40)) == 0
    assert services.erase_lapsed(now=timezone.now() + dt.timedelta(days=70)) == 1


def test_asking_alone_does_not_start_the_year_a_person_never_helped_goes_sooner(
    asked: Any, settings: Any
) -> None:
    """A request never acted on: its day passing ends it; the shorter period runs from there."""
    settings.DIMOS_RELIEF_UNHELPED_RETENTION_DAYS = 30
    beneficiary = Beneficiary.objects.get()
    assert beneficiary.last_help_at is None
    day_ends = timezone.make_aware(dt.datetime.combine(asked.day, dt.time.min)) + dt.timedelta(
        days=1
    )
    assert services.retention_due(beneficiary) == day_ends + dt.timedelta(days=30)
    assert services.erase_lapsed(now=day_ends + dt.timedelta(days=29)) == 0
    assert services.erase_lapsed(now=day_ends + dt.timedelta(days=31)) == 1
    beneficiary.refresh_from_db()
    assert beneficiary.erased_at is not None and beneficiary.full_name == ""


def test_a_declined_request_ends_when_declined_and_plans_the_check(
    asked: Any, coordinator: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks import default_task_backend

    backend: Any = default_task_backend
    backend.deferred.clear()
    settings.DIMOS_RELIEF_UNHELPED_RETENTION_DAYS = 10
    with django_capture_on_commit_callbacks(execute=True):
        services.decline(req=asked, reason="Served by Help at Home already", actor=coordinator)
    asked.refresh_from_db()
    due = asked.closed_at + dt.timedelta(days=10)
    planned = [item for item in backend.deferred if item[0].name == "erase_if_lapsed"]
    assert [item[0].run_after for item in planned] == [due]
    assert not services.erase_if_lapsed(beneficiary_id=asked.beneficiary_id, now=due - _MINUTE)
    assert services.erase_if_lapsed(beneficiary_id=asked.beneficiary_id, now=due)


_MINUTE = dt.timedelta(minutes=1)


def test_a_person_helped_keeps_the_year_from_the_last_help_even_after_a_later_decline(
    scheduled: Any, courier: Any, coordinator: Any, citizen: Any, settings: Any
) -> None:
    req, code = scheduled
    services.complete_with_code(req=req, code=code, actor=courier)
    later = ask(
        citizen, person=None, beneficiary=req.beneficiary, day=req.day + dt.timedelta(days=2)
    ).request
    services.decline(req=later, reason="Asked twice", actor=coordinator)
    beneficiary = Beneficiary.objects.get()
    assert beneficiary.last_help_at is not None
    assert services.retention_due(beneficiary) == services.add_months(beneficiary.last_help_at, 12)
    assert services.erase_lapsed(now=timezone.now() + dt.timedelta(days=200)) == 0
    assert services.erase_lapsed(now=timezone.now() + dt.timedelta(days=370)) == 1


def test_a_planned_visit_keeps_the_data_past_the_due_time(scheduled: Any) -> None:
    req, _code = scheduled
    assert not services.erase_if_lapsed(
        beneficiary_id=req.beneficiary_id, now=timezone.now() + dt.timedelta(days=500)
    )
    assert Beneficiary.objects.get().erased_at is None


def test_a_person_asking_for_themself_exports_and_erases_it(
    citizen: Any, municipality: Any
) -> None:
    own = ask(citizen, person=mother(full_name="Alice Resident"), relation="self").request
    assert own.beneficiary.account == citizen
    exported = export_for(citizen)
    assert exported is not None
    assert exported["beneficiary"]["name"] == "Alice Resident"
    assert exported["requests"][0]["needs"][0]["barcodes"] == ["1234567890"]
    erase_for(citizen)
    own.beneficiary.refresh_from_db()
    assert own.beneficiary.full_name == "" and own.beneficiary.account is None


def test_a_request_for_someone_else_loses_who_asked_but_keeps_the_beneficiary(
    asked: Any, citizen: Any
) -> None:
    erase_for(citizen)
    asked.refresh_from_db()
    assert asked.requester is None
    assert asked.beneficiary.full_name == "Ευανθία Ρεσιντέντ"


def test_each_help_plans_the_retention_check_as_a_delayed_task(
    citizen: Any, municipality: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks import default_task_backend

    backend: Any = default_task_backend
    backend.deferred.clear()
    with django_capture_on_commit_callbacks(execute=True):
        req = ask(citizen).request
    planned = [item for item in backend.deferred if item[0].name == "erase_if_lapsed"]
    assert len(planned) == 1 and planned[0][1] == [req.beneficiary_id]
    due = planned[0][0].run_after
    # Never helped: the shorter period after the request's day.
    assert due == services.retention_due(req.beneficiary) > timezone.now() + dt.timedelta(days=90)
    backend.run_due(timezone.now())  # not yet: nothing runs, nothing is erased
    assert Beneficiary.objects.get().erased_at is None
    # At the due time the check runs (a worker would) and erases the person's data: here
    # the request's day is moved back so that "now" is past it.
    ReliefRequest.objects.update(day=timezone.localdate() - dt.timedelta(days=100))
    backend.run_due(due)
    assert Beneficiary.objects.get().erased_at is not None


def test_the_receipt_of_ones_own_help_is_in_the_archive(
    citizen: Any, municipality: Any, coordinator: Any, courier: Any
) -> None:
    from dimos.relief.personal_data import files_for
    from dimos.relief.tests.conftest import shopping

    own = ask(
        citizen, person=mother(full_name="Alice Resident"), relation="self", needs=shopping()
    ).request
    services.accept(req=own, actor=coordinator)
    code = services.schedule(req=own, actor=coordinator, courier=courier)
    services.complete_with_code(
        req=own,
        code=code,
        actor=courier,
        money=services.Money(services.Decimal("20"), b"\xff\xd8\xff clean", ".jpg"),
    )
    [receipt] = list(files_for(citizen))
    assert receipt.name == f"relief/receipt-{own.pk}.jpg" and receipt.read().endswith(b"clean")
    exported = export_for(citizen)
    assert exported is not None and exported["requests"][0]["receipt"] == receipt.name
    erase_for(citizen)
    assert not list(files_for(citizen))
