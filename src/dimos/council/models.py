"""The council: its bodies and members, its meetings, agendas, decisions and votes, papers.

The public record of every meeting of the municipal council and its committees, and what the
OParl 1.1 API (``/oparl/v1/``) serves. The names follow OParl where Greek practice has the
same thing (an :class:`Organization` is a body, a faction or a committee; a :class:`Paper` is a
proposal or a report put to a body; a :class:`Consultation` links a paper to the agenda item
that discusses it), so the API is a thin mapping.

Every model here is an OParl object (:class:`OParlObject`): it keeps ``created`` and
``modified``, and is deleted softly — a deleted row keeps its id and answers on the API with
``deleted: true`` (the OParl rule), while the public pages and the other queries see only
:meth:`OParlQuerySet.live` rows.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dimos.core.diavgeia import ADA_RE as ADA_RE  # the format, for the demo and tests
from dimos.core.diavgeia import decision_url, validate_ada
from dimos.core.fulltext import FullTextIndex
from dimos.core.models import TimelineEntry, Translated

# --- Soft-deleted OParl objects ------------------------------------------------------------


class OParlQuerySet(models.QuerySet[Any]):
    def live(self) -> OParlQuerySet:
        """The rows not deleted: what the public pages show."""
        return self.filter(deleted=False)


class OParlObject(models.Model):
    """``created``, ``modified`` and soft deletion, as OParl 1.1 requires of every object."""

    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    modified = models.DateTimeField(_("modified"), default=timezone.now, db_index=True)
    deleted = models.BooleanField(_("deleted"), default=False)

    objects: ClassVar[Any] = OParlQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.modified = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "modified"}
        super().save(*args, **kwargs)

    def soft_delete(self) -> None:
        """Mark it deleted: it keeps its id and answers ``deleted: true`` from now on."""
        self.deleted = True
        self.save(update_fields=["deleted"])


# --- Where and when ------------------------------------------------------------------------


class LegislativeTerm(OParlObject):
    """A council's term of office (δημοτική περίοδος), e.g. 2024–2028."""

    name_el = models.CharField(_("name (Greek)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))

    class Meta:
        ordering = ("-start_date",)
        verbose_name = _("legislative term")
        verbose_name_plural = _("legislative terms")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="council_term_ends_after"
            ),
        ]

    def __str__(self) -> str:
        return self.name_el

    name = Translated("name")


class Location(OParlObject):
    """Where a meeting takes place (the council chamber, a room), as OParl's Location."""

    description_el = models.CharField(_("description (Greek)"), max_length=300)
    description_en = models.CharField(_("description (English)"), max_length=300, blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    room = models.CharField(_("room"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    locality = models.CharField(_("locality"), max_length=100, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        ordering = ("description_el",)
        verbose_name = _("meeting place")
        verbose_name_plural = _("meeting places")

    def __str__(self) -> str:
        return self.description_el

    description = Translated("description")


# --- Files (OParl File) ------------------------------------------------------------------


def council_upload_to(instance: CouncilFile, filename: str) -> str:
    return f"council/{timezone.now():%Y/%m}/{filename}"


class CouncilFile(OParlObject):
    """A public document (an invitation, a report, minutes, a decision) or an outside resource
    such as a meeting's recording on YouTube (``external_service_url``, no stored bytes).

    ``sha512`` and ``size`` are taken when the bytes are stored; ``text`` is the plain-text
    extract used by the search and served as OParl's ``text``.
    """

    name_el = models.CharField(_("title (Greek)"), max_length=300)
    name_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    file = models.FileField(_("file"), upload_to=council_upload_to, blank=True, max_length=300)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    mime_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    sha512 = models.CharField(_("SHA-512"), max_length=128, blank=True)
    text = models.TextField(_("text"), blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    external_service_url = models.URLField(_("outside address"), max_length=500, blank=True)

    class Meta:
        ordering = ("-created", "-pk")
        verbose_name = _("council document")
        verbose_name_plural = _("council documents")
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(external_service_url=""),
                name="council_file_has_bytes_or_url",
            ),
        ]

    def __str__(self) -> str:
        return self.name_el

    name = Translated("name")


# --- Bodies, people and memberships --------------------------------------------------------


class OrganizationKind(models.TextChoices):
    COUNCIL = "council", _("Municipal council")
    MUNICIPAL_COMMITTEE = "municipal_committee", _("Municipal committee")
    COMMITTEE = "committee", _("Committee")
    FACTION = "faction", _("Faction")


# OParl's organizationType for each kind (the spec's German vocabulary).
OPARL_ORGANIZATION_TYPE = {
    OrganizationKind.COUNCIL: "Gremium",
    OrganizationKind.MUNICIPAL_COMMITTEE: "Gremium",
    OrganizationKind.COMMITTEE: "Gremium",
    OrganizationKind.FACTION: "Fraktion",
}


class Organization(OParlObject):
    """A body that meets (the council, the municipal committee, another committee) or a
    faction (παράταξη) its members belong to."""

    kind = models.CharField(_("kind"), max_length=30, choices=OrganizationKind.choices)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    name_el = models.CharField(_("name (Greek)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    description_el = models.TextField(_("description (Greek)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    sub_organization_of = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_organizations",
    )
    # A faction's colour on the pages (seats, votes); ignored for bodies.
    color = models.CharField(_("colour"), max_length=7, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ("order", "name_el")
        verbose_name = _("council body or faction")
        verbose_name_plural = _("council bodies and factions")

    def __str__(self) -> str:
        return self.name_el

    name = Translated("name")
    description = Translated("description")

    def get_absolute_url(self) -> str:
        return reverse("council:body", kwargs={"slug": self.slug})

    @property
    def meets(self) -> bool:
        """A body holds meetings; a faction does not."""
        return self.kind != OrganizationKind.FACTION


def person_photo_to(instance: Person, filename: str) -> str:
    return f"council/people/{filename}"


class Person(OParlObject):
    """A member of the council or a committee (or a rapporteur from the administration).

    ``user`` links the member's own account when there is one, so invitations reach their
    inbox. Their email is published only when ``email_public`` says they agreed.
    """

    slug = models.SlugField(_("short name in addresses"), max_length=120, unique=True)
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    title = models.CharField(_("title"), max_length=50, blank=True)
    role_el = models.CharField(_("role (Greek)"), max_length=150, blank=True)
    role_en = models.CharField(_("role (English)"), max_length=150, blank=True)
    photo = models.ImageField(_("photo"), upload_to=person_photo_to, blank=True, max_length=300)
    email = models.EmailField(_("email"), blank=True)
    email_public = models.BooleanField(_("email may be published"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_person",
    )

    class Meta:
        ordering = ("family_name", "given_name")
        verbose_name = _("council member")
        verbose_name_plural = _("council members")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("council:person", kwargs={"slug": self.slug})

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    role = Translated("role")


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    PRESIDENT = "president", _("President")
    VICE_PRESIDENT = "vice_president", _("Vice-president")
    SECRETARY = "secretary", _("Secretary")
    MAYOR = "mayor", _("Mayor")
    LEADER = "leader", _("Faction leader")


class Membership(OParlObject):
    """A person's seat in a body or a faction over a period (``end_date`` empty: still on)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("body or faction"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(
        _("role"), max_length=30, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    voting_right = models.BooleanField(_("votes"), default=True)
    # The faction a member sits for in a body (OParl's onBehalfOf).
    on_behalf_of = models.ForeignKey(
        Organization,
        verbose_name=_("for the faction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": OrganizationKind.FACTION},
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ("organization__order", "start_date", "pk")
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="council_membership_ends_after",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.organization}"


# --- Meetings and their agendas --------------------------------------------------------------


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular")
    EXTRAORDINARY = "extraordinary", _("Extraordinary")
    URGENT = "urgent", pgettext_lazy("meeting kind", "Urgent")


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("By video")
    HYBRID = "hybrid", _("Hybrid")


class MeetingState(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("meeting", "Planned")
    INVITED = "invited", pgettext_lazy("meeting", "Invitation published")
    HELD = "held", pgettext_lazy("meeting", "Held")
    CANCELLED = "cancelled", pgettext_lazy("meeting", "Cancelled")


class Meeting(OParlObject):
    """One meeting of a body: number and kind, when and where, its agenda, the live stream and
    the recording, and its minutes once approved.

    ``state`` moves planned → invited (the invitation and agenda published) → held; a meeting
    not held may be cancelled (with a reason). The number is per body and year (the 12th
    meeting of the council in 2026).
    """

    organization = models.ForeignKey(
        Organization, verbose_name=_("body"), on_delete=models.PROTECT, related_name="meetings"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(
        _("kind"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.REGULAR
    )
    mode = models.CharField(
        _("held"), max_length=20, choices=MeetingMode.choices, default=MeetingMode.IN_PERSON
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=MeetingState.choices,
        default=MeetingState.PLANNED,
        db_index=True,
    )
    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"))
    location = models.ForeignKey(
        Location,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    title_el = models.CharField(_("title (Greek)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    invitation_text = models.TextField(_("invitation"), blank=True)
    invitation = models.ForeignKey(
        CouncilFile,
        verbose_name=_("invitation document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("invitation published"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    # The live stream while it is on, and the recording once it is up (YouTube or another
    # configured provider); the recording's length bounds the agenda items' time-codes.
    stream_url = models.URLField(_("live stream"), max_length=500, blank=True)
    recording_url = models.URLField(_("recording"), max_length=500, blank=True)
    recording_seconds = models.PositiveIntegerField(
        _("recording length (seconds)"), null=True, blank=True
    )
    recording = models.ForeignKey(
        CouncilFile,
        verbose_name=_("recording (document)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    minutes = models.ForeignKey(
        CouncilFile,
        verbose_name=_("minutes"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    minutes_published_at = models.DateTimeField(_("minutes published"), null=True, blank=True)
    auxiliary_files = models.ManyToManyField(
        CouncilFile, verbose_name=_("other documents"), blank=True, related_name="meetings"
    )

    class Meta:
        ordering = ("-start", "-pk")
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(
                fields=("organization", "year", "number"),
                condition=Q(deleted=False),
                name="council_meeting_number_per_body_year",
            ),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="council_meeting_ends_after"
            ),
            models.CheckConstraint(
                condition=~Q(state="cancelled") | ~Q(cancel_reason=""),
                name="council_meeting_cancel_has_reason",
            ),
        ]
        indexes = [models.Index(fields=("organization", "start"))]

    def __str__(self) -> str:
        return f"{self.number}/{self.year} {self.organization}"

    title = Translated("title")

    def get_absolute_url(self) -> str:
        return reverse("council:meeting", kwargs={"pk": self.pk})

    @property
    def cancelled(self) -> bool:
        return self.state == MeetingState.CANCELLED


class MeetingEvent(TimelineEntry):
    """A step in a meeting's life: planned, invitation published, moved, held, cancelled,
    minutes published — with the note the secretariat wrote (why it was moved, cancelled)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"{self.meeting} {self.action}"

    @classmethod
    def for_move(cls, move: Any) -> MeetingEvent:
        return cls(
            meeting=move.case,
            actor=move.actor,
            action=move.action,
            from_state=move.previous,
            to_state=move.target,
            note=move.note,
        )


class ItemResult(models.TextChoices):
    ADOPTED = "adopted", pgettext_lazy("decision", "Adopted")
    ADOPTED_BY_MAJORITY = "majority", pgettext_lazy("decision", "Adopted by majority")
    REJECTED = "rejected", pgettext_lazy("decision", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("decision", "Withdrawn")
    POSTPONED = "postponed", pgettext_lazy("decision", "Postponed")
    NOTED = "noted", pgettext_lazy("decision", "Noted (no vote)")


class AgendaItem(OParlObject):
    """One item of a meeting's agenda, in order: its number ("10.1"), title, rapporteur, report
    (εισήγηση), whether it is discussed in public, and after the meeting its result and its
    start and end in the recording (seconds from the start of the video)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    order = models.PositiveIntegerField(_("order"))
    number = models.CharField(_("number"), max_length=20)
    title_el = models.TextField(_("title (Greek)"))
    title_en = models.TextField(_("title (English)"), blank=True)
    rapporteur = models.ForeignKey(
        Person,
        verbose_name=_("rapporteur"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_items",
    )
    public = models.BooleanField(_("discussed in public"), default=True)
    report_el = models.TextField(_("report (Greek)"), blank=True)
    report_en = models.TextField(_("report (English)"), blank=True)
    # Why an item was moved, added or withdrawn after the invitation went out.
    change_note = models.TextField(_("note on a change after the invitation"), blank=True)
    result = models.CharField(_("result"), max_length=20, choices=ItemResult.choices, blank=True)
    start_seconds = models.PositiveIntegerField(
        _("starts in the recording at"), null=True, blank=True
    )
    end_seconds = models.PositiveIntegerField(_("ends in the recording at"), null=True, blank=True)
    auxiliary_files = models.ManyToManyField(
        CouncilFile, verbose_name=_("documents"), blank=True, related_name="agenda_items"
    )

    class Meta:
        ordering = ("meeting", "order", "pk")
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=("meeting", "number"),
                condition=Q(deleted=False),
                name="council_item_number_per_meeting",
            ),
            models.CheckConstraint(
                condition=Q(end_seconds__isnull=True)
                | Q(start_seconds__isnull=True)
                | Q(end_seconds__gt=models.F("start_seconds")),
                name="council_item_timecodes_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title_el[:60]}"

    title = Translated("title")
    report = Translated("report")


class Decision(OParlObject):
    """The decision taken on an agenda item: its number per body and year (123/2026), text,
    result and, once posted, its Diavgeia ADA."""

    agenda_item = models.OneToOneField(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="decision"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("body"), on_delete=models.PROTECT, related_name="decisions"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("decision number"))
    text_el = models.TextField(_("text (Greek)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    result = models.CharField(_("result"), max_length=20, choices=ItemResult.choices)
    ada = models.CharField(_("Diavgeia ADA"), max_length=20, blank=True, validators=[validate_ada])
    file = models.ForeignKey(
        CouncilFile,
        verbose_name=_("decision document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ("-year", "-number")
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(
                fields=("organization", "year", "number"),
                condition=Q(deleted=False),
                name="council_decision_number_per_body_year",
            ),
            models.UniqueConstraint(
                fields=("ada",), condition=~Q(ada=""), name="council_decision_ada_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}/{self.year}"

    text = Translated("text")

    @property
    def reference(self) -> str:
        return f"{self.number}/{self.year}"

    @property
    def diavgeia_url(self) -> str:
        return decision_url(self.ada)


class Attendance(models.Model):
    """Whether a member was at a meeting (recorded by the secretariat at the roll call)."""

    class Status(models.TextChoices):
        PRESENT = "present", pgettext_lazy("attendance", "Present")
        ABSENT = "absent", pgettext_lazy("attendance", "Absent")
        EXCUSED = "excused", pgettext_lazy("attendance", "Absent with leave")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)

    class Meta:
        ordering = ("meeting", "person")
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=("meeting", "person"), name="council_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.status}"


class VoteChoice(models.TextChoices):
    FOR = "for", pgettext_lazy("vote", "For")
    AGAINST = "against", pgettext_lazy("vote", "Against")
    ABSTAIN = "abstain", pgettext_lazy("vote", "Abstain")
    ABSENT = "absent", pgettext_lazy("vote", "Absent")


class Vote(models.Model):
    """How one member voted on one agenda item: one row per member and item."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(_("vote"), max_length=10, choices=VoteChoice.choices)

    class Meta:
        ordering = ("agenda_item", "person")
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=("agenda_item", "person"), name="council_vote_once")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.choice}"


# --- Papers -------------------------------------------------------------------------------


class PaperType(models.TextChoices):
    PROPOSAL = "proposal", _("Proposal")
    REPORT = "report", pgettext_lazy("paper type", "Report")
    QUESTION = "question", _("Question")
    MOTION = "motion", _("Motion")
    REPLY = "reply", _("Reply")
    OTHER = "other", _("Other")


class Paper(OParlObject):
    """A proposal or a report put to a body (an εισήγηση of a department, a faction's motion),
    with its main document and attachments; :class:`Consultation` says where it is discussed."""

    reference = models.CharField(pgettext_lazy("paper", "reference"), max_length=60, unique=True)
    name_el = models.CharField(_("title (Greek)"), max_length=500)
    name_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    paper_type = models.CharField(
        _("kind"), max_length=20, choices=PaperType.choices, default=PaperType.PROPOSAL
    )
    date = models.DateField(_("date"))
    main_file = models.ForeignKey(
        CouncilFile,
        verbose_name=_("main document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    auxiliary_files = models.ManyToManyField(
        CouncilFile, verbose_name=_("attachments"), blank=True, related_name="papers"
    )
    originator_persons = models.ManyToManyField(
        Person, verbose_name=_("put by (people)"), blank=True, related_name="papers"
    )
    originator_organizations = models.ManyToManyField(
        Organization, verbose_name=_("put by (bodies)"), blank=True, related_name="papers"
    )
    related_papers = models.ManyToManyField("self", verbose_name=_("related papers"), blank=True)

    class Meta:
        ordering = ("-date", "-pk")
        verbose_name = _("paper")
        verbose_name_plural = _("papers")

    def __str__(self) -> str:
        return f"{self.reference} {self.name_el[:60]}"

    name = Translated("name")


class Consultation(OParlObject):
    """A paper discussed at an agenda item (``authoritative``: the decision is taken there)."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="consultations")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="consultations"
    )
    authoritative = models.BooleanField(_("decided here"), default=True)
    role = models.CharField(_("role"), max_length=100, blank=True)

    class Meta:
        ordering = ("pk",)
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.UniqueConstraint(
                fields=("paper", "agenda_item"),
                condition=Q(deleted=False),
                name="council_consultation_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.paper} @ {self.agenda_item}"


# --- Residents: follows and questions ----------------------------------------------------------


class Follow(models.Model):
    """A resident follows a body or a keyword: an email when a matching agenda is published."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="council_follows"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("body"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followers",
    )
    keyword = models.CharField(_("keyword"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "pk")
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.CheckConstraint(
                condition=(Q(organization__isnull=False) & Q(keyword=""))
                | (Q(organization__isnull=True) & ~Q(keyword="")),
                name="council_follow_body_or_keyword",
            ),
            models.UniqueConstraint(
                fields=("user", "organization"),
                condition=Q(organization__isnull=False),
                name="council_follow_body_once",
            ),
            models.UniqueConstraint(
                fields=("user", "keyword"),
                condition=~Q(keyword=""),
                name="council_follow_keyword_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organization or self.keyword)


class Question(models.Model):
    """A resident's question on an upcoming agenda item; shown once the secretariat approves it.

    ``key`` is the form's idempotency key, so a resubmitted form stores one question.
    """

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("question", "Waiting for moderation")
        APPROVED = "approved", pgettext_lazy("question", "Published")
        REJECTED = "rejected", pgettext_lazy("question", "Not published")

    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="council_questions",
    )
    key = models.UUIDField(unique=True)
    text = models.TextField(_("question"), max_length=2000)
    status = models.CharField(
        _("state"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    reason = models.TextField(_("reason for not publishing"), blank=True)
    answer = models.TextField(_("answer"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("created_at", "pk")
        verbose_name = _("question from a resident")
        verbose_name_plural = _("questions from residents")

    def __str__(self) -> str:
        return self.text[:60]


# --- The search index --------------------------------------------------------------------


class SearchKind(models.TextChoices):
    ITEM = "item", _("Agenda item")
    DECISION = "decision", _("Decision")
    PAPER = "paper", _("Paper")


class SearchDocument(models.Model):
    """What the council's search finds: an agenda item, a decision or a paper, with its text
    folded (lowercase, without accents) for the full-text index that :mod:`dimos.council.search`
    keeps beside it (PostgreSQL: a ``tsvector`` column with a GIN index; SQLite: FTS5)."""

    kind = models.CharField(max_length=10, choices=SearchKind.choices)
    object_id = models.PositiveBigIntegerField()
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title_el = models.TextField()
    title_en = models.TextField(blank=True)
    text_el = models.TextField(blank=True)
    text_en = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    date = models.DateField(null=True, blank=True)
    folded = models.TextField()

    class Meta:
        ordering = ("-date", "-pk")
        constraints = [
            models.UniqueConstraint(fields=("kind", "object_id"), name="council_search_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"

    title = Translated("title")
    text = Translated("text")


# The index over the documents' folded words (migration 0005; dimos.core.fulltext).
SEARCH_INDEX = FullTextIndex("council_searchdocument", column="folded", vector="vector")
