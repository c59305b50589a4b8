"""Every model with personal data is declared, exported and erased: one realistic person with
data in every app, then a scan of every row of every model for what identifies them."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import models
from django.utils import translation

from dimos.accounts import services as accounts
from dimos.accounts.models import ApiToken, User
from dimos.core import audit, personal_data
from dimos.core.models import Delivery as MessageDelivery
from dimos.core.notifications import notify
from dimos.core.registry import PersonalDataHandler, registry

pytestmark = pytest.mark.django_db

FIRST, LAST = "Ξανθίππη", "Ζαφειρίου"
EMAIL = "xanthippi.zafeiriou@example.org"
PHONE = "+30 6944 123 987"
PHONE_DIGITS = "6944123987"
TAX_NUMBER = "148392765"
ADDRESS = "Κωνσταντινουπόλεως 117, Σέρρες"
FATHER = "Αριστοτέλης"
# Strings that name the person; numbers are also looked for among a value's digits.
TEXT_MARKERS = (LAST, EMAIL, "Κωνσταντινουπόλεως 117", FATHER, "xanthippi")
DIGIT_MARKERS = (PHONE_DIGITS, TAX_NUMBER)
# What a legal record may keep (the holder printed on an issued certificate): not contacts.
RETAINABLE = (LAST, "Κωνσταντινουπόλεως 117", FATHER, TAX_NUMBER)


def _markers_in(text: str, markers: tuple[str, ...] | None = None) -> set[str]:
    found = {m for m in TEXT_MARKERS if m.lower() in text.lower()}
    digits = re.sub(r"\D", "", text)
    found |= {m for m in DIGIT_MARKERS if m in digits}
    return found if markers is None else found & set(markers)


def _row_text(row: models.Model) -> str:
    parts = []
    for field in row._meta.concrete_fields:
        value = getattr(row, field.attname)
        if isinstance(value, bytes | memoryview):
            value = bytes(value).decode("utf-8", "ignore")
        elif isinstance(value, dict | list):
            value = json.dumps(value, ensure_ascii=False)
        parts.append(str(value))
    return " ".join(parts)


def _points_at(row: models.Model, user: User) -> bool:
    return any(
        getattr(row, field.attname) == user.pk
        for field in row._meta.concrete_fields
        if field.is_relation and field.related_model is User
    )


def _every_row() -> list[tuple[str, models.Model]]:
    rows = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        rows += [(model._meta.label_lower, row) for row in model._default_manager.all()]
    return rows


@pytest.fixture
def person(settings: Any, tmp_path: Any, municipality: Any) -> User:
    """Ξανθίππη: an account with an eID link, a report, certificates (one issued and
    delivered home), appointments (one a counselling session), volunteering, help at home
    for herself and a neighbour, messages to her address."""
    from dimos.appointments import services as appointments
    from dimos.appointments.models import SessionNote
    from dimos.appointments.tests.factories import make_setup
    from dimos.certificates import services as certificates
    from dimos.certificates.demo import seed_types
    from dimos.certificates.tests.conftest import PDF_BYTES
    from dimos.deliveries import services as deliveries
    from dimos.reports.models import ReportPhoto, ReportUpdate, Subscription
    from dimos.reports.tests.factories import ReportFactory
    from dimos.testing.personas import staff

    settings.DIMOS_PRIVATE_DIR = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    user = User.objects.create_user(
        email=EMAIL,
        password="correct-horse-battery-9",
        first_name=FIRST,
        last_name=LAST,
        phone=PHONE,
        address=ADDRESS,
        identity_verified=True,
    )
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    SocialAccount.objects.create(
        user=user,
        provider="openid_connect",
        uid=f"gr-{TAX_NUMBER}",
        extra_data={"name": f"{FIRST} {LAST}", "taxid": TAX_NUMBER, "father": FATHER},
    )
    ApiToken.objects.create(user=user, name=f"{LAST} home automation", key_hash="x" * 64)
    admin = staff("admin@example.org", "staff_admin", superuser=True)
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk),
        object_repr=str(user),
        action_flag=CHANGE,
        change_message="[]",
    )
    accounts.update_profile(user=user, preferred_language="el")

    # Reports: one filed logged in, one without an account, her photo, words and follows.
    report = ReportFactory.create(
        reporter=user, reporter_email=EMAIL, reporter_name=f"{FIRST} {LAST}", reporter_phone=PHONE
    )
    ReportFactory.create(reporter=None, reporter_email=EMAIL, reporter_name=LAST)
    ReportPhoto.objects.create(
        report=report,
        image=ContentFile(b"\xff\xd8\xff photo", name="p.jpg"),
        thumbnail=ContentFile(b"\xff\xd8\xff thumb", name="t.jpg"),
        width=1,
        height=1,
        uploaded_by=user,
    )
    ReportUpdate.objects.create(
        report=report, kind="status", actor=user, text=f"{LAST}: it is broken again"
    )
    Subscription.objects.create(report=report, user=user)
    Subscription.objects.create(report=report, email=EMAIL)

    # Certificates: an open request with her tax number and an upload (withdrawn on erasure),
    # and one issued and delivered at home (the registry keeps its holder).
    types = {t.code: t for t in seed_types()}
    open_request = certificates.submit_request(
        certificate_type=types["no-debt"],
        applicant=user,
        holder_name=f"{FIRST} {LAST}",
        holder_father_name=FATHER,
        holder_birth_date=dt.date(1941, 3, 2),
        holder_address=ADDRESS,
        data={"tax_number": TAX_NUMBER, "purpose": "Άλλο"},
        contact_email=EMAIL,
        contact_phone=PHONE,
        files={
            "id": (
                "ID",
                certificates.CheckedUpload(
                    PDF_BYTES, "application/pdf", ".pdf", f"{LAST}-ταυτότητα.pdf"
                ),
            )
        },
    )
    certificates._event(open_request, "reply", actor=user, message=f"{LAST}: here it is")
    issued_request = certificates.submit_request(
        certificate_type=types["permanent-residence"],
        applicant=user,
        holder_name=f"{FIRST} {LAST}",
        holder_father_name=FATHER,
        holder_birth_date=dt.date(1941, 3, 2),
        holder_address=ADDRESS,
        data={"years": 40},
        home_delivery=True,
        delivery_address=ADDRESS,
        contact_phone=PHONE,
    )
    issuer = staff("issuer@example.org", "certificates_issuer", "delivery_staff")
    certificates.issue(req=issued_request, actor=issuer)
    home = deliveries.schedule_delivery(
        source="certificates",
        reference=str(open_request.pk),
        title="Βεβαίωση",
        recipient_name=f"{FIRST} {LAST}",
        address=ADDRESS,
        phone=PHONE,
        date=dt.date.today() + dt.timedelta(days=3),
        window_start=dt.time(9),
        window_end=dt.time(12),
        person=user,
    )
    assert home.status == "scheduled"

    # Appointments: one booked online, one at the desk by phone, a counselling session.
    kep = make_setup(desks=1)
    appointments.book_slot(
        slot_id=kep.slot().slot_id, person=appointments.Person(user=user), reason=LAST
    )
    appointments.book_slot(
        slot_id=kep.slot(index=1).slot_id,
        person=appointments.Person(name=f"{FIRST} {LAST}", phone=PHONE),
        source="phone",
    )
    counsellor = staff("counsellor@example.org", "counsellor")
    counselling = make_setup(
        desks=1, slug="counselling", centre_slug="community", confidential=True, staff=counsellor
    )
    session = appointments.book_slot(
        slot_id=counselling.slot().slot_id,
        person=appointments.Person(user=user),
        reason="grief",
    )
    SessionNote.objects.create(booking=session, author=counsellor, text=f"{FIRST} {LAST} cried")

    appointments.make_feed_link(user=user)  # staff have these; the model is walked all the same

    # Volunteers: she applied, was vetted with a document, approved, and logged hours.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dimos.core.selectors import districts
    from dimos.volunteers import services as volunteers
    from dimos.volunteers.demo import seed_skills
    from dimos.volunteers.models import slot_bit

    skills = seed_skills()
    volunteer = volunteers.apply_to_volunteer(
        user=user,
        profile=volunteers.Profile(
            phone=PHONE,
            languages=["el"],
            skills=skills[:2],
            has_car=True,
            districts=list(districts()[:1]),
            availability=slot_bit(0, 0),
            about=f"{LAST}, {ADDRESS}",
        ),
        conduct_version=1,
    )
    coordinator = staff("coordinator@example.org", "volunteer_coordinator")
    volunteers.record_identity_check(
        volunteer=volunteer, method="id_document", notes=f"{LAST} ID", actor=coordinator
    )
    volunteers.add_document(
        volunteer=volunteer,
        label=f"{LAST} licence",
        document=volunteers.check_document(
            SimpleUploadedFile(f"{LAST}.pdf", PDF_BYTES, "application/pdf")
        ),
        actor=coordinator,
    )
    volunteers.approve(volunteer=volunteer, actor=coordinator)
    volunteers.log_hours(
        volunteer=volunteer,
        date=dt.date.today(),
        hours=volunteers.Decimal("2"),
        description=f"Shopping for {LAST}'s neighbour",
        actor=user,
    )

    # Relief: she asked for help for herself (delivered with her code, a receipt kept) and for
    # a neighbour, whose record is the neighbour's and stays.
    from dimos.relief import consent as relief_consent
    from dimos.relief import recurring as relief_recurring
    from dimos.relief import services as relief

    lat, lon = 41.09, 23.55  # in the town of Serres
    own = relief.ask_for_help(
        person=relief.Person(
            full_name=f"{FIRST} {LAST}",
            address=ADDRESS,
            lat=lat,
            lon=lon,
            phone=PHONE,
            vulnerabilities=["65plus"],
            access_notes=f"Bell: {LAST}",
        ),
        needs=[
            relief.NeedData(
                kind="shopping", description=f"Milk for {LAST}", ceiling=relief.Decimal("30")
            )
        ],
        day=dt.date.today() + dt.timedelta(days=1),
        window_start=dt.time(9),
        window_end=dt.time(13),
        actor=user,
        channel="online",
        relation="self",
        consent_version=relief_consent.CURRENT,
    ).request
    relief_coordinator = staff("relief@example.org", "relief_coordinator", "delivery_staff")
    relief.accept(req=own, actor=relief_coordinator)
    code = relief.schedule(req=own, actor=relief_coordinator, courier=relief_coordinator)
    relief.complete_with_code(
        req=own,
        code=code,
        actor=relief_coordinator,
        money=relief.Money(relief.Decimal("12"), b"\xff\xd8\xff receipt", ".jpg"),
    )
    # Her shopping, every day for two days (a recurring request: its needs are a template).
    relief_recurring.make_recurring(
        req=own, weekdays=list(range(7)), count=2, actor=relief_coordinator
    )
    neighbour = relief.ask_for_help(
        person=relief.Person(full_name="Γείτονας Άλλος", address="Μεραρχίας 1", lat=lat, lon=lon),
        needs=[relief.NeedData(kind="food")],
        day=dt.date.today() + dt.timedelta(days=2),
        window_start=dt.time(9),
        window_end=dt.time(13),
        actor=user,
        channel="online",
        relation="neighbour",
        consent_version=relief_consent.CURRENT,
    ).request
    # As a volunteer she was given the neighbour's visit and handed it back, with a reason.
    from dimos.relief import volunteering

    relief.accept(req=neighbour, actor=relief_coordinator, eligibility="grocery")
    relief.schedule(req=neighbour, actor=relief_coordinator)
    approved = volunteering.volunteer_of(user)
    assert approved is not None
    volunteering.claim(req=neighbour, volunteer=approved, actor=relief_coordinator)
    volunteering.hand_back(req=neighbour, volunteer=approved, reason=f"{LAST} is ill")

    # Council: she follows the council and a keyword, asked a question on an agenda item, and
    # her account is linked to a member's record (the record is the council's, her email not).
    import uuid

    from django.utils import timezone as dj_timezone

    from dimos.council.models import AgendaItem, Follow, Meeting, Organization, Person, Question

    body = Organization.objects.create(kind="council", slug="council", name_el="Δημοτικό")
    meeting = Meeting.objects.create(
        organization=body,
        year=2026,
        number=1,
        start=dj_timezone.now() + dt.timedelta(days=3),
        end=dj_timezone.now() + dt.timedelta(days=3, hours=3),
    )
    item = AgendaItem.objects.create(meeting=meeting, order=0, number="1", title_el="Πάρκο")
    Follow.objects.create(user=user, organization=body)
    Follow.objects.create(user=user, keyword="πάρκο")
    Question.objects.create(
        agenda_item=item, user=user, key=uuid.uuid4(), text=f"{FIRST} {LAST}: πότε;"
    )
    Person.objects.create(
        slug="member", given_name="Άννα", family_name="Μέλος", email=EMAIL, user=user
    )

    # Advocate: she complained about a service, wrote to the office with a document; the
    # office kept a note of a call with her (the office's, wiped on erasure all the same).
    from dimos.advocate import services as advocate
    from dimos.advocate.models import Body, Note

    office = staff("advocate.office@example.org", "advocate_office")
    service = Body.objects.create(code="planning", name_el="Πολεοδομία")
    complaint = advocate.submit_complaint(
        person=advocate.Complainant(
            kind="person", name=f"{FIRST} {LAST}", email=EMAIL, phone=PHONE
        ),
        details=advocate.Details(
            body=service,
            category="no_answer",
            description=f"{FIRST} {LAST}, {ADDRESS}: no answer",
            request=f"An answer to {LAST}",
            attachments=[
                advocate.check_attachment(
                    SimpleUploadedFile(f"{LAST}.pdf", PDF_BYTES, "application/pdf")
                )
            ],
        ),
        user=user,
    ).complaint
    advocate.admit(complaint=complaint, actor=office)
    advocate.ask_complainant(complaint=complaint, text=f"{FIRST}, send the receipt", actor=office)
    advocate.reply(complaint=complaint, text=f"{LAST}: here it is, {PHONE}", user=user)
    Note.objects.create(complaint=complaint, text=f"Called {LAST} on {PHONE}", author=office)

    # Activities: her grandson, registered for a lesson, was at its first session.
    from dimos.activities import services as activities
    from dimos.activities.conf import conf as activities_conf
    from dimos.activities.models import Attendance

    teacher = staff("teacher@example.org", "activities_organiser")
    lesson = activities.create_programme(
        actor=teacher,
        title_el="Ζωγραφική",
        organiser_name="Βιβλιοθήκη",
        capacity=5,
        first_start=dj_timezone.now() + dt.timedelta(days=2),
        registration_opens=dj_timezone.now() - dt.timedelta(days=1),
        registration_closes=dj_timezone.now() + dt.timedelta(days=1),
        age_min=5,
        age_max=12,
        video_url="https://meet.jit.si/x",
        publish=True,
    )
    grandson = activities.add_child(
        guardian=user,
        first_name=f"{FIRST[:4]}ος",
        birth_year=dj_timezone.localdate().year - 8,
        consent=True,
        consent_version=activities_conf.CONSENT_VERSION,
    )
    place = activities.register(programme=lesson, account=user, child=grandson)
    Attendance.objects.create(session=lesson.sessions.get(), registration=place, present=True)

    # Feedback: she rated a completed transaction and said what went wrong on a page.
    from dimos.feedback.models import Invitation, PageFeedback, Rating

    invitation = Invitation.objects.create(
        kind="reports.report",
        object_id="999999",
        service="report-problem",
        user=user,
        email=EMAIL,
    )
    Rating.objects.create(
        invitation=invitation,
        service="report-problem",
        score=2,
        improve=f"{FIRST} {LAST}: αργήσατε",
        reply=f"Κυρία {LAST}, ευχαριστούμε",
    )
    PageFeedback.objects.create(
        path="/reports/",
        useful=False,
        what_wrong=f"{FIRST} {LAST}: δεν φορτώνει",
        email=EMAIL,
        user=user,
    )
    # and answered an identified survey, invited at her address.
    from dimos.feedback.models import (
        Answer,
        Participation,
        Response,
        Section,
        Survey,
        SurveyInvitation,
    )
    from dimos.feedback.models import Question as SurveyQuestion

    survey = Survey.objects.create(
        slug="named",
        title_el="Έρευνα",
        opens_at=dj_timezone.now() - dt.timedelta(days=1),
        closes_at=dj_timezone.now() + dt.timedelta(days=1),
        access="account",
        anonymous=False,
        published=True,
    )
    question = SurveyQuestion.objects.create(
        section=Section.objects.create(survey=survey, title_el="Α"),
        kind="long",
        text_el="Σχόλια;",
    )
    SurveyInvitation.objects.create(survey=survey, token_hash="x" * 64, email=EMAIL)
    answered = Response.objects.create(survey=survey, user=user, submitted_at=dj_timezone.now())
    Answer.objects.create(response=answered, question=question, value=f"{FIRST} {LAST}, {PHONE}")
    Participation.objects.create(survey=survey, user=user)

    # Ideas: she proposed one idea that was published (others voted for it) and has a draft
    # naming her, commented, voted, and is in a team that entered an app.
    from dimos.ideas.models import (
        AppEntry,
        Comment,
        Competition,
        EntryMember,
        Idea,
        Theme,
        Vote,
    )

    now = dj_timezone.now()
    contest = Competition.objects.create(
        slug="apps",
        title_el="Ιδέες",
        submission_opens=now - dt.timedelta(days=10),
        submission_closes=now - dt.timedelta(days=1),
        voting_opens=now - dt.timedelta(days=1),
        voting_closes=now + dt.timedelta(days=5),
        building_opens=now + dt.timedelta(days=5),
        building_closes=now + dt.timedelta(days=10),
        judging_opens=now + dt.timedelta(days=10),
        judging_closes=now + dt.timedelta(days=12),
        results_at=now + dt.timedelta(days=12),
        is_published=True,
    )
    theme = Theme.objects.create(competition=contest, name_el="Πόλη")
    shared = Idea.objects.create(
        competition=contest,
        theme=theme,
        author=user,
        title="Παγκάκια στη λίμνη",
        description="Σκιά και παγκάκια",
        status="published",
        published_at=now,
    )
    Idea.objects.create(
        competition=contest,
        theme=theme,
        author=user,
        title="Πρόχειρο",
        description=f"Γράψτε μου, {FIRST} {LAST}, {PHONE}",
    )
    Comment.objects.create(idea=shared, author=user, body=f"{FIRST}: συμφωνώ")
    Vote.objects.create(competition=contest, idea=shared, person=user, slot=1)
    entry = AppEntry.objects.create(
        competition=contest,
        team_name="Λίμνη",
        contact_email=EMAIL,
        name="Παγκάκια",
        description="Εφαρμογή",
        created_by=user,
    )
    EntryMember.objects.create(entry=entry, account=user, is_contact=True)
    # Another team invited her address; she judges a competition and scored an app.
    from dimos.ideas.models import Criterion, EntryInvitation, JuryMember, Score

    other_entry = AppEntry.objects.create(
        competition=contest,
        team_name="Άλλοι",
        contact_email="others@example.org",
        name="Άλλη εφαρμογή",
        description="…",
        status="accepted",
    )
    EntryInvitation.objects.create(entry=other_entry, email=EMAIL, token_hash="y" * 64)
    juror = JuryMember.objects.create(competition=contest, account=user)
    Score.objects.create(
        juror=juror,
        entry=other_entry,
        criterion=Criterion.objects.create(competition=contest, name_el="Αντίκτυπος"),
        value=7,
    )

    # Messages: to her account, and one to her address not sent yet.
    notify(kind="accounts.welcome", recipient=user)
    notify(kind="accounts.welcome", email=EMAIL, phone=PHONE)
    audit.record(action="account.login", actor=user, target=user)
    return user


def _covered_models() -> dict[str, PersonalDataHandler]:
    return {
        label.lower(): handler
        for handler in registry.personal_data.values()
        for label in handler.models
    }


def test_every_model_with_personal_data_is_declared_by_its_app(db: Any) -> None:
    assert personal_data.check_declared() == []
    flagged = [m for m in personal_data.dimos_models() if personal_data.personal_fields(m)]
    assert {m._meta.label_lower for m in flagged} <= set(personal_data.declared())
    call_command("check")  # the same check fails `dimos serve`, `migrate` and `check`


def test_an_app_that_declares_no_handler_cannot_start(db: Any) -> None:
    removed = registry.personal_data.pop("deliveries")
    try:
        errors = personal_data.check_declared()
        # One error per model of the app (deliveries' runs name staff, so they count too).
        assert errors and {e.id for e in errors} == {"dimos.E010"}
        assert any("deliveries.Delivery " in e.msg for e in errors)
        with pytest.raises(SystemCheckError):
            call_command("check")
    finally:
        registry.personal_data["deliveries"] = removed


def test_the_export_covers_every_declared_model(person: User) -> None:
    exported = accounts.export_personal_data(user=person)
    covered = _covered_models()
    seen: set[str] = set()
    for label, row in _every_row():
        handler = covered.get(label)
        found = _markers_in(_row_text(row))
        if handler is None or not (found or _points_at(row, person)):
            continue
        seen.add(label)
        section = json.dumps(exported[handler.key], ensure_ascii=False)
        missing = found - _markers_in(section)
        assert not missing, f"{label} {row.pk}: {missing} not in the export's {handler.key!r}"
    # The person has data in every declared model (a new model needs a line in `person`).
    not_exercised = set(covered) - seen - {"core.notificationattachment"}
    assert not not_exercised, f"give the person data in {sorted(not_exercised)}"


def test_the_archive_holds_the_persons_files(person: User) -> None:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(accounts.export_archive(user=person))) as archive:
        names = archive.namelist()
        data = json.loads(archive.read("data.json"))
    listed = {
        item["file"]
        for request in data["certificates"]
        for item in (*request["attachments"], *request["documents"])
    } | {photo["file"] for photo in data["reports"]["photos"]}
    assert listed and listed <= set(names)
    assert any(n.endswith(".pdf") and "certificate-" in n for n in names)


def test_after_erasure_no_row_of_any_model_identifies_the_person(person: User) -> None:
    from dimos.certificates.models import Attachment

    retained = {
        (label, pk)
        for handler in registry.personal_data.values()
        if handler.retained
        for label, pk in handler.retained(person)
    }
    assert retained, "the issued certificate is a retained record"
    upload = Attachment.objects.get().file.path
    mail.outbox.clear()

    accounts.erase_account(user=person)

    leftovers = []
    for label, row in _every_row():
        found = _markers_in(_row_text(row))
        if (label, row.pk) in retained:
            found -= set(RETAINABLE)
        if found:
            leftovers.append((label, row.pk, sorted(found)))
    assert not leftovers, leftovers
    assert not Attachment.objects.exists()
    assert not os.path.exists(upload)
    entries = audit.AuditEntry.objects.filter(actor=person)
    with translation.override("en"):
        assert {line.actor for line in audit.sentences(entries)} == {f"Erased account {person.pk}"}


def test_erasure_logs_the_person_out_everywhere(person: User) -> None:
    from django.contrib.sessions.models import Session
    from django.test import Client

    phone, laptop = Client(), Client()
    phone.force_login(person)
    laptop.force_login(person)
    someone_else = Client()
    someone_else.force_login(User.objects.get(email="admin@example.org"))

    accounts.erase_account(user=person)

    left = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert str(person.pk) not in left and len(left) == 1


def test_nothing_is_sent_to_an_erased_address(
    person: User, django_capture_on_commit_callbacks: Any
) -> None:
    pending = MessageDelivery.objects.filter(address=EMAIL, status="pending")
    assert pending.exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        accounts.erase_account(user=person)
    assert not MessageDelivery.objects.filter(address__in=[EMAIL, PHONE]).exists()
    # A message about something of hers later (her report's status) goes nowhere.
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(kind="accounts.welcome", recipient=person) is None
    assert mail.outbox == []
