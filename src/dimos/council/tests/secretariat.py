"""What the secretariat's tests build: a body with members (some with accounts), a
secretary, meetings prepared through the services, and small valid files to attach."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from reportlab.pdfgen import canvas

from dimos.accounts.models import User
from dimos.council import services
from dimos.council.models import (
    Location,
    Meeting,
    Membership,
    MembershipRole,
    Organization,
    OrganizationKind,
    Person,
)
from dimos.testing.factories import UserFactory
from dimos.testing.personas import staff

MEMBERS = (
    ("Ελένη", "Αθανασίου"),
    ("Γιώργος", "Βασιλείου"),
    ("Μαρία", "Γεωργίου"),
    ("Νίκος", "Δημητρίου"),
    ("Σοφία", "Ευαγγέλου"),
)


def secretary() -> User:
    return staff("secretary@example.org", "council_secretary")


def council(*, members: int = 5, with_accounts: int = 2) -> Organization:
    """The municipal council with ``members`` voting members; the first ``with_accounts``
    of them have an account (invitations reach them)."""
    body = Organization.objects.create(
        kind=OrganizationKind.COUNCIL,
        slug="dimotiko-symvoulio",
        name_el="Δημοτικό Συμβούλιο",
        name_en="Municipal Council",
    )
    faction = Organization.objects.create(
        kind=OrganizationKind.FACTION, slug="paratajh", name_el="Παράταξη Α", name_en="Faction A"
    )
    for n, (given, family) in enumerate(MEMBERS[:members]):
        user = (
            UserFactory.create(email=f"member{n}@example.org", preferred_language="en")
            if n < with_accounts
            else None
        )
        person = Person.objects.create(
            slug=f"member-{n}", given_name=given, family_name=family, user=user
        )
        Membership.objects.create(
            person=person,
            organization=body,
            role=MembershipRole.PRESIDENT if n == 0 else MembershipRole.MEMBER,
            on_behalf_of=faction,
            start_date=date(2024, 1, 1),
        )
    return body


def chamber() -> Location:
    return Location.objects.create(
        description_el="Αίθουσα του Δημοτικού Συμβουλίου", description_en="Council chamber"
    )


def plan(body: Organization, day: date, **changes: Any) -> services.MeetingPlan:
    values: dict[str, Any] = {
        "organization": body,
        "day": day,
        "start_time": time(18, 0),
        "end_time": time(21, 0),
    }
    values.update(changes)
    return services.MeetingPlan(**values)


def meeting_with_agenda(
    body: Organization, actor: User, *, day: date | None = None, items: int = 2
) -> Meeting:
    """A planned meeting with ``items`` agenda items."""
    day = day or timezone.localdate() + timedelta(days=7)
    meeting = services.prepare_meeting(plan=plan(body, day, from_last=False), actor=actor)
    for n in range(items):
        services.add_item(
            meeting=meeting,
            text=services.ItemText(title_el=f"Θέμα {n + 1}", title_en=f"Item {n + 1}"),
            actor=actor,
        )
    return meeting


def held(meeting: Meeting, actor: User) -> Meeting:
    """Publish the invitation, move the meeting into the past and mark it held."""
    services.publish_invitation(meeting=meeting, actor=actor)
    past = timezone.now() - timedelta(days=1)
    Meeting.objects.filter(pk=meeting.pk).update(start=past, end=past + timedelta(hours=3))
    return services.mark_held(meeting=meeting, actor=actor)


def pdf_bytes(text: str = "Εισήγηση για τον προϋπολογισμό") -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, text.encode("ascii", "replace").decode() + " budget 2026")
    page.save()
    return out.getvalue()


def upload(content: bytes, name: str = "report.pdf", kind: str = "application/pdf") -> Any:
    return SimpleUploadedFile(name, content, content_type=kind)


def aware(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))
