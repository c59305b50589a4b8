"""The request's workflow: asking, merging, refusals, scheduling through deliveries, codes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from dimos.core.models import Notification
from dimos.relief import services
from dimos.relief.models import Beneficiary, ReliefRequest, Status
from dimos.relief.tests.conftest import OUTSIDE, ask, mother, shopping, tomorrow

pytestmark = pytest.mark.django_db


def test_a_request_is_received_with_its_beneficiary_and_district(asked: Any, citizen: Any) -> None:
    assert asked.status == Status.RECEIVED
    assert asked.urgent  # medicine first
    beneficiary = asked.beneficiary
    assert beneficiary.district is not None and beneficiary.district.code == "serres"
    assert beneficiary.account is None  # asked for her mother, not for herself
    assert beneficiary.consent_method == "online" and beneficiary.consent_recorded_by == citizen
    assert Notification.objects.filter(recipient=citizen, kind="relief.received").exists()


def test_an_address_outside_the_municipality_is_refused(citizen: Any, municipality: Any) -> None:
    with pytest.raises(services.ReliefError) as refused:
        ask(citizen, person=mother(lat=OUTSIDE[0], lon=OUTSIDE[1]))
    assert refused.value.code == "outside"
    assert "outside the municipality" in str(refused.value.message)
    assert not Beneficiary.objects.exists()


def test_the_same_person_and_day_twice_is_merged(coordinator: Any, asked: Any) -> None:
    again = ask(
        coordinator, beneficiary=asked.beneficiary, person=None, needs=shopping(), channel="phone"
    )
    assert again.merged and again.request.pk == asked.pk
    assert ReliefRequest.objects.count() == 1
    assert sorted(n.kind for n in asked.needs.all()) == ["medicine", "shopping"]


def test_the_database_refuses_a_second_request_for_the_same_day(asked: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ReliefRequest.objects.create(
            beneficiary=asked.beneficiary,
            channel="phone",
            day=asked.day,
            window_start=dt.time(13),
            window_end=dt.time(17),
        )


def test_a_retried_submission_answers_the_request_it_made(citizen: Any, municipality: Any) -> None:
    first = ask(citizen, submission_key="k" * 32)
    second = ask(citizen, submission_key="k" * 32)
    assert second.repeated and second.request.pk == first.request.pk
    assert ReliefRequest.objects.count() == 1 and Beneficiary.objects.count() == 1


def test_a_delivered_day_is_not_merged_into(scheduled: Any, coordinator: Any, courier: Any) -> None:
    req, code = scheduled
    services.complete_with_code(req=req, code=code, actor=courier)
    with pytest.raises(services.ReliefError) as refused:
        ask(coordinator, beneficiary=req.beneficiary, person=None, channel="phone")
    assert refused.value.code == "duplicate"


def test_refusals_of_the_workflow(asked: Any, coordinator: Any, citizen: Any) -> None:
    with pytest.raises(services.ReliefError, match="permission"):
        services.accept(req=asked, actor=citizen)
    with pytest.raises(services.ReliefError, match="cannot be done"):
        services.schedule(req=asked, actor=coordinator)  # not accepted yet
    with pytest.raises(services.ReliefError, match="reason"):
        services.decline(req=asked, reason=" ", actor=coordinator)
    services.decline(req=asked, reason="Served by Help at Home", actor=coordinator)
    with pytest.raises(services.ReliefError):
        services.accept(req=asked, actor=coordinator)
    # A declined day is free again.
    again = ask(citizen)
    assert again.request.pk != asked.pk


def test_scheduling_plans_a_delivery_and_texts_the_code(scheduled: Any, courier: Any) -> None:
    from dimos.deliveries.models import Delivery

    req, code = scheduled
    assert req.status == Status.SCHEDULED and len(code) == 4
    delivery = Delivery.objects.get(source="relief", reference=str(req.pk))
    assert req.delivery == delivery and delivery.assigned_to == courier
    assert delivery.address == "Μεραρχίας 40, Σέρρες"
    assert delivery.instructions == "Ring twice, third floor"
    sms = Notification.objects.get(kind="relief.code")
    assert sms.deliveries.get().address == "6944 111 222"
    assert code not in req.code_digest
    # The code is never stored readable (ADR 0011): the row keeps the kind's title, the
    # message itself only sealed, until it is sent; the text message carries it.
    assert code not in sms.subject + sms.body and sms.sealed_body


def test_the_code_goes_by_text_message_and_is_then_forgotten(scheduled: Any, settings: Any) -> None:
    from dimos.core.notifications import deliver
    from dimos.core.sms import MemorySmsBackend

    settings.DIMOS_SMS_BACKEND = "dimos.core.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    _req, code = scheduled
    sms = Notification.objects.get(kind="relief.code")
    deliver(delivery_id=sms.deliveries.get().pk)
    assert MemorySmsBackend.outbox[-1][0] == "6944 111 222"
    assert code in MemorySmsBackend.outbox[-1][1]
    sms.refresh_from_db()
    assert sms.sealed_body == ""
    MemorySmsBackend.outbox.clear()


def test_the_courier_completes_with_the_code(
    scheduled: Any, courier: Any, citizen: Any, django_capture_on_commit_callbacks: Any
) -> None:
    req, code = scheduled
    with django_capture_on_commit_callbacks(execute=True):
        done = services.complete_with_code(req=req, code=code, actor=courier)
    assert done.status == Status.DELIVERED and done.proof == "code"
    assert done.delivery.status == "delivered"
    assert any("Delivered" in m.subject for m in mail.outbox if citizen.email in m.to)


def test_wrong_codes_are_limited_and_alert_the_coordinator(
    scheduled: Any, courier: Any, coordinator: Any, settings: Any
) -> None:
    settings.DIMOS_RELIEF_CODE_TRIES = 2
    req, code = scheduled
    wrong = "0000" if code != "0000" else "1111"
    with pytest.raises(services.ReliefError) as first:
        services.complete_with_code(req=req, code=wrong, actor=courier)
    assert first.value.code == "wrong_code" and "Tries left: 1" in str(first.value.message)
    with pytest.raises(services.ReliefError) as second:
        services.complete_with_code(req=req, code=wrong, actor=courier)
    assert second.value.code == "locked"
    assert Notification.objects.filter(recipient=coordinator, kind="relief.code_alert").exists()
    with pytest.raises(services.ReliefError):  # even the right code, now
        services.complete_with_code(req=req, code=code, actor=courier)
    done = services.complete_with_name(
        req=req, received_by="Ευανθία", note="Code lost", actor=courier
    )
    assert done.status == Status.DELIVERED and done.proof == "name"


def test_only_the_courier_of_the_delivery_completes_it(scheduled: Any, citizen: Any) -> None:
    from dimos.testing.personas import staff

    req, code = scheduled
    other = staff("other-courier@example.org", "delivery_staff")
    for actor in (other, citizen):
        with pytest.raises(services.ReliefError, match="permission"):
            services.complete_with_code(req=req, code=code, actor=actor)


def test_a_failed_delivery_comes_back_and_is_scheduled_again(
    scheduled: Any, courier: Any, coordinator: Any
) -> None:
    req, _code = scheduled
    failed = services.fail_delivery(req=req, reason="Nobody home", actor=courier)
    assert failed.status == Status.FAILED and failed.status_reason == "Nobody home"
    first_delivery = failed.delivery_id
    day = tomorrow() + dt.timedelta(days=1)
    services.schedule(req=failed, actor=coordinator, day=day, courier=courier)
    failed.refresh_from_db()
    assert failed.status == Status.SCHEDULED and failed.day == day
    assert failed.delivery_id != first_delivery


def test_the_delivery_sheet_moves_the_request(scheduled: Any, courier: Any) -> None:
    from dimos.deliveries import services as deliveries

    req, _code = scheduled
    deliveries.set_out(delivery=req.delivery, actor=courier)
    req.refresh_from_db()
    assert req.status == Status.OUT
    deliveries.mark_delivered(delivery=req.delivery, received_by="Ο γείτονας", actor=courier)
    req.refresh_from_db()
    assert req.status == Status.DELIVERED and req.proof == "name"
    assert req.received_by == "Ο γείτονας"


def test_money_on_delivery_is_recorded_with_a_clean_receipt(
    asked: Any, coordinator: Any, courier: Any
) -> None:
    import io

    from PIL import Image

    ask(
        coordinator,
        beneficiary=asked.beneficiary,
        person=None,
        needs=shopping("40"),
        channel="phone",
    )
    services.accept(req=asked, actor=coordinator)
    code = services.schedule(req=asked, actor=coordinator, courier=courier)
    photo = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    Image.new("RGB", (40, 30), "white").save(photo, "JPEG", exif=exif)
    from django.core.files.uploadedfile import SimpleUploadedFile

    content, extension = services.check_receipt(
        SimpleUploadedFile("r.jpg", photo.getvalue(), "image/jpeg")
    )
    assert b"PhoneMaker" not in content
    with pytest.raises(services.ReliefError, match="more than"):
        services.complete_with_code(
            req=asked, code=code, actor=courier, money=services.Money(services.Decimal("41"))
        )
    done = services.complete_with_code(
        req=asked,
        code=code,
        actor=courier,
        money=services.Money(services.Decimal("37.50"), content, extension),
    )
    assert done.money_amount == services.Decimal("37.50") and done.receipt


def test_prescriptions_are_numbers_only(citizen: Any, municipality: Any) -> None:
    with pytest.raises(services.ReliefError, match="barcodes"):
        ask(citizen, needs=[services.NeedData(kind="medicine", pharmacy="X", barcodes=["12ab34"])])
