"""The council's models as OParl 1.1 objects: one function per type, each a dict for JSON.

Every object carries ``id`` (its canonical address under ``SITE_URL``), ``type``,
``created`` and ``modified``; a deleted one keeps only those, ``deleted: true`` and what its
schema requires (an AgendaItem's ``order``, a File's ``accessUrl``). Fields OParl has no
name for are vendor extensions prefixed ``dimos:`` (docs/api.md lists them).

The querysets the views page through are here too (:func:`meetings` and the others), with
the joins and prefetches their functions read, so a page costs a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Choices, Max, Min, Model, Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse

from dimos.core.models import Municipality
from dimos.core.selectors import current_municipality
from dimos.council.models import (
    OPARL_ORGANIZATION_TYPE,
    AgendaItem,
    Attendance,
    Consultation,
    CouncilFile,
    Decision,
    ItemResult,
    LegislativeTerm,
    Location,
    Meeting,
    MeetingState,
    Membership,
    MembershipRole,
    Organization,
    OrganizationKind,
    Paper,
    PaperType,
    Person,
    Vote,
    VoteChoice,
)
from dimos.council.video import video_of

OPARL = "https://schema.oparl.org/1.1/"
# The vendor prefix of the fields OParl has no name for (OParl's rule for extensions).
EXT = "dimos:"
# What a deleted object keeps, besides what its schema requires.
DELETED_KEEPS = ("id", "type", "created", "modified", "deleted")

Json = dict[str, Any]


@cache
def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def iso(value: datetime | None) -> str | None:
    """A date and time in ISO 8601 with the local offset, to the second."""
    if value is None:
        return None
    return value.astimezone(_zone()).isoformat(timespec="seconds")


def day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass
class Context:
    """What every object of one answer shares: the API's root address and the request's
    ``omit_internal``; it remembers which public pages exist (``web`` links)."""

    omit_internal: bool = False
    root: str = ""
    site: str = ""
    body_url: str | None = None
    _routes: dict[str, bool] = field(default_factory=dict)
    _webs: dict[tuple[str, object], str | None] = field(default_factory=dict)
    _labels: dict[tuple[type, str], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.site = settings.SITE_URL
        self.root = self.site + reverse("oparl:system")
        municipality = current_municipality()
        if municipality is not None:
            self.body_url = self.url("body", municipality.pk)

    def url(self, kind: str, pk: object, tail: str = "") -> str:
        return f"{self.root}{kind}/{pk}/{tail}"

    def web(self, obj: Model, route: str) -> str | None:
        """The object's public page, when that page exists (the public app's route)."""
        key = (route, obj.pk)
        if key not in self._webs:
            if route not in self._routes:
                self._routes[route] = _route_exists(obj)
            found = self.site + obj.get_absolute_url() if self._routes[route] else None  # type: ignore[attr-defined]
            self._webs[key] = found
        return self._webs[key]

    def label(self, choices: type[Choices], value: str) -> str:
        """A choice's label in the request's language, translated once per answer."""
        key = (choices, value)
        if key not in self._labels:
            self._labels[key] = str(choices(value).label)  # type: ignore[attr-defined]
        return self._labels[key]

    def page(self, route: str) -> str | None:
        try:
            return self.site + reverse(route)
        except NoReverseMatch:
            return None


def _route_exists(obj: Model) -> bool:
    try:
        obj.get_absolute_url()  # type: ignore[attr-defined]
    except NoReverseMatch:
        return False
    return True


def _base(ctx: Context, kind: str, type_name: str, obj: Any) -> Json:
    data: Json = {
        "id": ctx.url(kind, obj.pk),
        "type": OPARL + type_name,
        "created": iso(obj.created),
        "modified": iso(obj.modified),
    }
    if obj.deleted:
        data["deleted"] = True
    return data


def _finish(data: Json, deleted: bool, *required: str) -> Json:
    """Drop empty values; a deleted object keeps only its identity and required fields."""
    if deleted:
        keep = (*DELETED_KEEPS, *required)
        return {k: data[k] for k in keep if k in data}
    # Booleans and zeros are values; None, "" and [] are not.
    return {k: v for k, v in data.items() if v or v is False or v == 0}


def _into(lookup: str, queryset: QuerySet[Any], to_attr: str) -> Any:
    """A prefetch into a list attribute (typed loosely: the stubs cannot name the lookup)."""
    return Prefetch(lookup, queryset=queryset, to_attr=to_attr)


def _live(obj: Any) -> bool:
    return obj is not None and not obj.deleted


# --- Files, places, terms ------------------------------------------------------------------


def file(ctx: Context, f: CouncilFile, *, embedded: bool = False) -> Json:
    """A file; embedded in another object it leaves out ``text`` (the extract, often long,
    is on the file itself and in the body's file list)."""
    data = _base(ctx, "file", "File", f)
    stored = bool(f.file)
    data.update(
        {
            "name": f.name,
            "fileName": f.file_name or (f.file.name.rsplit("/", 1)[-1] if stored else None),
            "mimeType": f.mime_type,
            "size": f.size,
            "sha512Checksum": f.sha512,
            "date": day(f.date),
            "text": None if embedded else f.text,
            "accessUrl": ctx.url("file", f.pk, "access/"),
            "downloadUrl": ctx.url("file", f.pk, "download/") if stored else None,
            "externalServiceUrl": f.external_service_url,
        }
    )
    return _finish(data, f.deleted, "accessUrl")


def _file_or_none(ctx: Context, f: CouncilFile | None) -> Json | None:
    return file(ctx, f, embedded=True) if f is not None and not f.deleted else None


def location(ctx: Context, place: Location) -> Json:
    data = _base(ctx, "location", "Location", place)
    data.update(
        {
            "description": place.description,
            "streetAddress": place.street_address,
            "room": place.room,
            "postalCode": place.postal_code,
            "locality": place.locality,
        }
    )
    if place.lat is not None and place.lon is not None:
        data["geojson"] = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
            "properties": {"name": place.description},
        }
    return _finish(data, place.deleted)


def legislative_term(ctx: Context, term: LegislativeTerm) -> Json:
    data = _base(ctx, "legislativeterm", "LegislativeTerm", term)
    data.update(
        {
            "body": ctx.body_url,
            "name": term.name,
            "startDate": day(term.start_date),
            "endDate": day(term.end_date),
        }
    )
    return _finish(data, term.deleted)


# --- The system and the body --------------------------------------------------------------


def body_times(municipality: Municipality) -> tuple[datetime, datetime]:
    """When the body came into the API (its first council body) and when it last changed (the
    municipality's profile or a term); the municipality row keeps only ``updated_at``."""
    first = Organization.objects.aggregate(first=Min("created"))["first"]
    last = LegislativeTerm.objects.aggregate(last=Max("modified"))["last"]
    created = min(x for x in (first, municipality.updated_at) if x is not None)
    modified = max(x for x in (last, municipality.updated_at) if x is not None)
    return created, modified


def system(ctx: Context, municipality: Municipality | None) -> Json:
    data: Json = {
        "id": ctx.root,
        "type": OPARL + "System",
        "oparlVersion": OPARL,
        "otherOparlVersions": [],
        "body": ctx.root + "body/",
        "name": municipality.name if municipality is not None else "Dimos",
        "contactEmail": municipality.email if municipality is not None else None,
        "website": ctx.site + "/",
        "web": ctx.page("council:index"),
    }
    if municipality is not None:
        created, modified = body_times(municipality)
        data["created"], data["modified"] = iso(created), iso(modified)
    return _finish(data, False)


BODY_LISTS = {
    # OParl's property: the path of the list under the body.
    "organization": "organization",
    "person": "person",
    "meeting": "meeting",
    "paper": "paper",
    "agendaItem": "agendaitem",
    "consultation": "consultation",
    "file": "file",
    "locationList": "location",
    "legislativeTermList": "legislativeterm",
    "membership": "membership",
}


def body(ctx: Context, municipality: Municipality) -> Json:
    url = ctx.url("body", municipality.pk)
    created, modified = body_times(municipality)
    data: Json = {
        "id": url,
        "type": OPARL + "Body",
        "system": ctx.root,
        "name": municipality.name,
        "shortName": municipality.slug,
        "website": municipality.website or ctx.site + "/",
        "contactEmail": municipality.email,
        "legislativeTerm": [legislative_term(ctx, term) for term in LegislativeTerm.objects.live()],
        "created": iso(created),
        "modified": iso(modified),
        "web": ctx.page("council:index"),
    }
    for name, path in BODY_LISTS.items():
        data[name] = f"{url}{path}/"
    return _finish(data, False)


# --- Organizations, people, memberships ---------------------------------------------------


def organizations() -> QuerySet[Organization]:
    return Organization.objects.prefetch_related(
        _into(
            "memberships",
            Membership.objects.filter(deleted=False).only("pk", "organization_id").order_by("pk"),
            "oparl_memberships",
        )
    )


def organization(ctx: Context, org: Organization) -> Json:
    data = _base(ctx, "organization", "Organization", org)
    data.update(
        {
            "body": ctx.body_url,
            "name": org.name,
            "shortName": org.short_name,
            "organizationType": OPARL_ORGANIZATION_TYPE[org.kind],  # type: ignore[index]
            "classification": ctx.label(OrganizationKind, org.kind),
            "startDate": day(org.start_date),
            "endDate": day(org.end_date),
            "subOrganizationOf": (
                ctx.url("organization", org.sub_organization_of_id)
                if org.sub_organization_of_id
                else None
            ),
            "membership": [ctx.url("membership", m.pk) for m in org.oparl_memberships],  # type: ignore[attr-defined]
            "meeting": ctx.url("organization", org.pk, "meeting/") if org.meets else None,
            "web": ctx.web(org, "council:body") if org.meets else None,
        }
    )
    return _finish(data, org.deleted)


def membership(ctx: Context, m: Membership) -> Json:
    data = _base(ctx, "membership", "Membership", m)
    data.update(
        {
            "person": ctx.url("person", m.person_id),
            "organization": ctx.url("organization", m.organization_id),
            "role": ctx.label(MembershipRole, m.role),
            "votingRight": m.voting_right,
            "startDate": day(m.start_date),
            "endDate": day(m.end_date),
            "onBehalfOf": ctx.url("organization", m.on_behalf_of_id) if m.on_behalf_of_id else None,
        }
    )
    return _finish(data, m.deleted)


def people() -> QuerySet[Person]:
    return Person.objects.prefetch_related(
        _into(
            "memberships",
            Membership.objects.filter(deleted=False).order_by("start_date", "pk"),
            "oparl_memberships",
        )
    )


def person(ctx: Context, p: Person) -> Json:
    data = _base(ctx, "person", "Person", p)
    data.update(
        {
            "body": ctx.body_url,
            "name": p.name,
            "familyName": p.family_name,
            "givenName": p.given_name,
            "title": [p.title] if p.title else None,
            "status": [p.role] if p.role else None,
            # Published only when the member agreed to it.
            "email": [p.email] if p.email and p.email_public else None,
            "membership": [membership(ctx, m) for m in p.oparl_memberships],  # type: ignore[attr-defined]
            "web": ctx.web(p, "council:person"),
        }
    )
    return _finish(data, p.deleted)


# --- Meetings and agenda items -------------------------------------------------------------


# An item's documents and consultations, read into lists (no manager per item and relation).
_ITEM_LISTS = (
    _into("auxiliary_files", CouncilFile.objects.live().order_by("pk"), "oparl_files"),
    _into(
        "consultations",
        Consultation.objects.live().only("pk", "agenda_item_id").order_by("pk"),
        "oparl_consultations",
    ),
)


def _items(omit_internal: bool) -> QuerySet[AgendaItem]:
    items = AgendaItem.objects.live()
    if omit_internal:
        items = items.filter(public=True)
    return items.select_related("decision", "decision__file").prefetch_related(*_ITEM_LISTS)


def meetings(omit_internal: bool) -> QuerySet[Meeting]:
    return Meeting.objects.select_related(
        "organization", "location", "invitation", "minutes", "recording"
    ).prefetch_related(
        _into("auxiliary_files", CouncilFile.objects.live().order_by("pk"), "oparl_files"),
        _into(
            "agenda_items",
            _items(omit_internal).order_by("order", "pk"),
            "oparl_items",
        ),
    )


def prepare_meetings(rows: list[Meeting]) -> None:
    """Who was present at each meeting (``participant``), read as pairs of ids in one query:
    a page of meetings has thousands of roll-call rows."""
    present: dict[int, list[int]] = {m.pk: [] for m in rows}
    pairs = (
        Attendance.objects.filter(meeting__in=rows, status=Attendance.Status.PRESENT)
        .order_by("person_id")
        .values_list("meeting_id", "person_id")
    )
    for meeting_id, person_id in pairs:
        present[meeting_id].append(person_id)
    for m in rows:
        m.oparl_present = present[m.pk]  # type: ignore[attr-defined]
    prepare_votes([item for m in rows for item in m.oparl_items], names=False)  # type: ignore[attr-defined]


def prepare_votes(items: list[AgendaItem], *, names: bool = True) -> None:
    """The roll-call votes of a page of agenda items, read in one query: each item's
    ``dimos:voteCounts`` and, with ``names``, who voted which way (``dimos:votes``). Items
    embedded in their meeting carry the counts only: a page of meetings would otherwise name
    every member on every item, twenty thousand names."""
    public = {item.pk: item for item in items if item.public}
    counts: dict[int, dict[str, int]] = {}
    people: dict[int, dict[str, list[int]]] = {}
    if public:
        rows = Vote.objects.filter(agenda_item__in=list(public)).order_by("person_id")
        for item_id, person_id, choice in rows.values_list("agenda_item_id", "person_id", "choice"):
            counts.setdefault(item_id, dict.fromkeys(VoteChoice.values, 0))[choice] += 1
            if names:
                people.setdefault(item_id, {c: [] for c in VoteChoice.values})[choice].append(
                    person_id
                )
    for item in items:
        item.oparl_vote_counts = counts.get(item.pk)  # type: ignore[attr-defined]
        item.oparl_votes = people.get(item.pk)  # type: ignore[attr-defined]


def prepare_agenda_items(rows: list[AgendaItem]) -> None:
    prepare_votes(rows)


def agenda_items(omit_internal: bool) -> QuerySet[AgendaItem]:
    items = AgendaItem.objects.filter(public=True) if omit_internal else AgendaItem.objects.all()
    return items.select_related("meeting", "decision", "decision__file").prefetch_related(
        *_ITEM_LISTS
    )


def meeting(ctx: Context, m: Meeting) -> Json:
    data = _base(ctx, "meeting", "Meeting", m)
    org = m.organization
    files = [f for f in (m.recording, *m.oparl_files) if f is not None and _live(f)]  # type: ignore[attr-defined]
    recording = video_of(m.recording_url)
    data.update(
        {
            "name": m.title or f"{org.name} {m.number}/{m.year}",
            "meetingState": ctx.label(MeetingState, m.state),
            "cancelled": m.cancelled,
            "start": iso(m.start),
            "end": iso(m.end),
            "location": location(ctx, m.location) if m.location and _live(m.location) else None,
            "organization": [ctx.url("organization", m.organization_id)],
            "participant": [ctx.url("person", pk) for pk in m.oparl_present],  # type: ignore[attr-defined]
            "invitation": _file_or_none(ctx, m.invitation),
            "resultsProtocol": _file_or_none(ctx, m.minutes),
            "auxiliaryFile": [file(ctx, f, embedded=True) for f in files],
            "agendaItem": [
                agenda_item(ctx, item, m, recording, embedded=True)
                for item in m.oparl_items  # type: ignore[attr-defined]
            ],
            "web": ctx.web(m, "council:meeting"),
            EXT + "number": f"{m.number}/{m.year}",
            EXT + "meetingKind": m.kind,
            EXT + "mode": m.mode,
            EXT + "cancelReason": m.cancel_reason if m.cancelled else None,
            EXT + "streamUrl": m.stream_url,
            EXT + "recordingUrl": m.recording_url,
            EXT + "recordingSeconds": m.recording_seconds,
        }
    )
    return _finish(data, m.deleted)


def agenda_item(
    ctx: Context,
    item: AgendaItem,
    m: Meeting,
    recording: Any = None,
    *,
    embedded: bool = False,
) -> Json:
    """An agenda item. A closed-session one (``public`` false) shows its number and name only:
    never its report, decision text, documents or time-codes. Embedded in its meeting it
    leaves out ``meeting`` and ``web`` (the meeting's own), as OParl has it."""
    data = _base(ctx, "agendaitem", "AgendaItem", item)
    data.update(
        {
            "order": item.order,
            "number": item.number,
            "name": item.title,
            "public": item.public,
        }
    )
    if not embedded:
        data["meeting"] = ctx.url("meeting", item.meeting_id)
        data["web"] = ctx.web(m, "council:meeting")
    if item.public and not item.deleted:
        decision: Decision | None = getattr(item, "decision", None)
        if decision is not None and decision.deleted:
            decision = None
        consultations = item.oparl_consultations  # type: ignore[attr-defined]
        data.update(
            {
                "consultation": (
                    ctx.url("consultation", consultations[0].pk) if consultations else None
                ),
                "result": ctx.label(ItemResult, item.result) if item.result else None,
                "auxiliaryFile": [file(ctx, f, embedded=True) for f in item.oparl_files],  # type: ignore[attr-defined]
                EXT + "rapporteur": (
                    ctx.url("person", item.rapporteur_id) if item.rapporteur_id else None
                ),
                # The roll call: OParl has no vote object (ADR 0025).
                EXT + "voteCounts": getattr(item, "oparl_vote_counts", None),
            }
        )
        votes = getattr(item, "oparl_votes", None)
        if votes is not None:
            data[EXT + "votes"] = {
                choice: [ctx.url("person", pk) for pk in people] for choice, people in votes.items()
            }
        if decision is not None:
            data.update(
                {
                    "result": ctx.label(ItemResult, decision.result),
                    "resolutionText": decision.text,
                    "resolutionFile": _file_or_none(ctx, decision.file),
                    EXT + "decisionNumber": decision.reference,
                    EXT + "ada": decision.ada,
                    EXT + "diavgeiaUrl": decision.diavgeia_url,
                }
            )
        if item.start_seconds is not None:
            data["start"] = iso(m.start + timedelta(seconds=item.start_seconds))
            data[EXT + "startSeconds"] = item.start_seconds
            if recording is not None:
                data[EXT + "recordingAt"] = recording.at(item.start_seconds).watch_url
        if item.end_seconds is not None:
            data["end"] = iso(m.start + timedelta(seconds=item.end_seconds))
            data[EXT + "endSeconds"] = item.end_seconds
    return _finish(data, item.deleted, "order", "meeting")


def agenda_item_alone(ctx: Context, item: AgendaItem) -> Json:
    m = item.meeting
    return agenda_item(ctx, item, m, video_of(m.recording_url))


# --- Papers and consultations -------------------------------------------------------------


def papers() -> QuerySet[Paper]:
    return Paper.objects.select_related("main_file").prefetch_related(
        Prefetch("auxiliary_files", queryset=CouncilFile.objects.live().order_by("pk")),
        Prefetch(
            "consultations",
            queryset=consultations(omit_internal=False).filter(deleted=False),
        ),
        Prefetch("originator_persons", queryset=Person.objects.live().only("pk")),
        Prefetch("originator_organizations", queryset=Organization.objects.live().only("pk")),
        Prefetch("related_papers", queryset=Paper.objects.live().only("pk")),
    )


def paper(ctx: Context, p: Paper) -> Json:
    data = _base(ctx, "paper", "Paper", p)
    data.update(
        {
            "body": ctx.body_url,
            "name": p.name,
            "reference": p.reference,
            "date": day(p.date),
            "paperType": ctx.label(PaperType, p.paper_type),
            "mainFile": _file_or_none(ctx, p.main_file),
            "auxiliaryFile": [file(ctx, f, embedded=True) for f in p.auxiliary_files.all()],
            "consultation": [
                consultation(ctx, c)
                for c in p.consultations.all()
                if c.agenda_item.public or not ctx.omit_internal
            ],
            "originatorPerson": [ctx.url("person", x.pk) for x in p.originator_persons.all()],
            "originatorOrganization": [
                ctx.url("organization", x.pk) for x in p.originator_organizations.all()
            ],
            "relatedPaper": [ctx.url("paper", x.pk) for x in p.related_papers.all()],
        }
    )
    return _finish(data, p.deleted)


def consultations(omit_internal: bool) -> QuerySet[Consultation]:
    found = Consultation.objects.select_related("agenda_item__meeting").order_by("pk")
    return found.filter(agenda_item__public=True) if omit_internal else found


def consultation(ctx: Context, c: Consultation) -> Json:
    data = _base(ctx, "consultation", "Consultation", c)
    item = c.agenda_item
    data.update(
        {
            "paper": ctx.url("paper", c.paper_id),
            "agendaItem": ctx.url("agendaitem", c.agenda_item_id),
            "meeting": ctx.url("meeting", item.meeting_id),
            "organization": [ctx.url("organization", item.meeting.organization_id)],
            "authoritative": c.authoritative,
            "role": c.role,
        }
    )
    return _finish(data, c.deleted)


# --- Files served -----------------------------------------------------------------------------


def files() -> QuerySet[CouncilFile]:
    """The documents the API serves: all but those of closed-session items (their documents
    and decisions are never published here)."""
    closed_decisions = Decision.objects.filter(agenda_item__public=False, file__isnull=False)
    return CouncilFile.objects.exclude(agenda_items__public=False).exclude(
        pk__in=closed_decisions.values("file_id")
    )
