"""The OParl 1.1 API at /oparl/v1/: a crawl from the System object that validates every object
against OParl's JSON schemas, the lists' filters and pages, soft deletion, errors, CORS, files
and the cost of the meetings list."""

from __future__ import annotations

import hashlib
import json
from collections import deque
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from jsonschema import Draft7Validator, FormatChecker

from dimos.core.models import Municipality
from dimos.council import video
from dimos.council.models import (
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
    Person,
    Vote,
    VoteChoice,
)
from dimos.council.oparl import views

ROOT = "/oparl/v1/"
OPARL = "https://schema.oparl.org/1.1/"
SECRET_REPORT = "Εμπιστευτική εισήγηση για την αποζημίωση"
SECRET_DECISION = "Απόφαση κεκλεισμένων θυρών"
PDF = b"%PDF-1.4\n% decision 123/2026\n"

# The schemas of the OParl specification, beside the clone (../shared) as in CI; a worktree
# under the workspace finds them one level further up.
_SCHEMA_PATH = Path("shared/standards/oparl-1.1-schema")
_REPO = Path(__file__).resolve().parents[4]


@cache
def schemas() -> dict[str, dict[str, Any]]:
    for base in (_REPO.parent, _REPO.parent.parent):
        folder = base / _SCHEMA_PATH
        if folder.is_dir():
            return {p.stem: json.loads(p.read_text()) for p in folder.glob("*.json")}
    pytest.fail(f"OParl's schemas are not in ../{_SCHEMA_PATH} beside the repository")


def _url(value: object) -> bool:
    parts = urlsplit(str(value))
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _date_time(value: object) -> bool:
    try:
        return datetime.fromisoformat(str(value)).tzinfo is not None
    except ValueError:
        return False


def _date(value: object) -> bool:
    try:
        date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


FORMATS = FormatChecker(formats=())
FORMATS.checks("url")(_url)
FORMATS.checks("date-time")(_date_time)
FORMATS.checks("date")(_date)


def validate(obj: dict[str, Any], expected: str | None = None) -> int:
    """Validate ``obj`` against the schema of its type, and every object it embeds against
    theirs. OParl's schemas name an embedded object's schema with a ``"schema": "File.json"``
    key rather than ``$ref`` (they hold no ``$ref``), so the embedded ones are walked here.
    Returns how many objects were validated."""
    name = obj["type"].removeprefix(OPARL)
    if expected is not None:
        assert name == expected, obj["id"]
    schema = schemas()[name]
    Draft7Validator(schema, format_checker=FORMATS).validate(obj)
    assert obj.get("created") and obj.get("modified"), obj["id"]  # mandatory in 1.1
    assert obj["created"] <= obj["modified"] or obj["created"][:19] <= obj["modified"][:19]
    count = 1
    for key, prop in schema["properties"].items():
        value = obj.get(key)
        if isinstance(value, dict) and "schema" in prop:
            count += validate(value, prop["schema"].removesuffix(".json"))
        items = prop.get("items", {})
        if isinstance(value, list) and "schema" in items:
            for child in value:
                count += validate(child, items["schema"].removesuffix(".json"))
    return count


def path_of(url: str) -> str:
    assert url.startswith(settings.SITE_URL + ROOT), url
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def get(client: Client, url: str, status: int = 200, **headers: Any) -> Any:
    response = client.get(path_of(url) if url.startswith("http") else url, headers=headers)
    assert response.status_code == status, (url, response.status_code, response.content[:300])
    assert response["Access-Control-Allow-Origin"] == "*"
    if status != 304:
        assert response["Content-Type"].startswith("application/json")
        return response.json()
    return None


@pytest.fixture(autouse=True)
def _nothing_kept() -> None:
    # The answers a process keeps are named by the data's version; start each test without.
    views.KEPT.entries.clear()
    views.KEPT.size = 0


# --- The data ---------------------------------------------------------------------------------


@dataclass
class Council:
    municipality: Municipality
    council: Organization
    faction: Organization
    alice: Person
    bob: Person
    meeting: Meeting
    public_item: AgendaItem
    closed_item: AgendaItem
    deleted_item: AgendaItem
    deleted_meeting: Meeting
    invitation: CouncilFile
    decision_file: CouncilFile
    closed_file: CouncilFile
    deleted_file: CouncilFile
    paper: Paper


def stored(name: str, content: bytes, **fields: Any) -> CouncilFile:
    return CouncilFile.objects.create(
        name_el=name,
        file=ContentFile(content, name=f"{name}.pdf"),
        file_name=f"{name}.pdf",
        mime_type="application/pdf",
        size=len(content),
        sha512=hashlib.sha512(content).hexdigest(),
        date=date(2026, 3, 1),
        text=content.decode(errors="ignore"),
        **fields,
    )


@pytest.fixture
def council(municipality: Municipality, settings: Any, tmp_path: Path) -> Council:
    settings.MEDIA_ROOT = tmp_path / "media"
    LegislativeTerm.objects.create(
        name_el="2024–2028", start_date=date(2024, 1, 1), end_date=date(2028, 12, 31)
    )
    place = Location.objects.create(
        description_el="Αίθουσα του Δημοτικού Συμβουλίου",
        street_address="Κωνσταντίνου Καραμανλή 1",
        postal_code="62122",
        locality="Σέρρες",
        lat=41.0912,
        lon=23.5487,
    )
    body = Organization.objects.create(
        kind=OrganizationKind.COUNCIL, slug="council", name_el="Δημοτικό Συμβούλιο"
    )
    faction = Organization.objects.create(
        kind=OrganizationKind.FACTION, slug="faction-a", name_el="Παράταξη Α"
    )
    alice = Person.objects.create(
        slug="alice",
        given_name="Αλίκη",
        family_name="Παππά",
        role_el="Πρόεδρος",
        email="alice@example.org",
        email_public=True,
    )
    bob = Person.objects.create(
        slug="bob", given_name="Βασίλης", family_name="Βλάχος", email="bob@example.org"
    )
    Membership.objects.create(
        person=alice,
        organization=body,
        role=MembershipRole.PRESIDENT,
        on_behalf_of=faction,
        start_date=date(2024, 1, 1),
    )
    Membership.objects.create(person=alice, organization=faction, start_date=date(2024, 1, 1))
    Membership.objects.create(person=bob, organization=body, start_date=date(2024, 1, 1))
    invitation = stored("invitation", b"%PDF-1.4\n% invitation\n")
    start = timezone.make_aware(datetime(2026, 3, 2, 18, 0))
    meeting = Meeting.objects.create(
        organization=body,
        year=2026,
        number=12,
        start=start,
        end=start + timedelta(hours=3),
        location=place,
        invitation=invitation,
        state=MeetingState.HELD,
    )
    video.set_recording(meeting, "https://www.youtube.com/watch?v=dQw4w9WgXcQ", 7200)
    meeting.refresh_from_db()
    Attendance.objects.create(meeting=meeting, person=alice, status=Attendance.Status.PRESENT)
    Attendance.objects.create(meeting=meeting, person=bob, status=Attendance.Status.ABSENT)
    public_item = AgendaItem.objects.create(
        meeting=meeting,
        order=0,
        number="1",
        title_el="Έγκριση προϋπολογισμού 2026",
        rapporteur=alice,
        report_el="Η εισήγηση του προϋπολογισμού",
        result=ItemResult.ADOPTED,
        start_seconds=65,
        end_seconds=600,
    )
    public_item.auxiliary_files.add(stored("budget", b"%PDF-1.4\n% budget\n"))
    decision_file = stored("decision", PDF)
    Decision.objects.create(
        agenda_item=public_item,
        organization=body,
        year=2026,
        number=123,
        text_el="Εγκρίνει τον προϋπολογισμό",
        result=ItemResult.ADOPTED,
        ada="Ψ4Ω2ΩΞΑ-8ΑΒ",
        file=decision_file,
    )
    closed_item = AgendaItem.objects.create(
        meeting=meeting,
        order=1,
        number="2",
        title_el="Αποζημίωση υπαλλήλου",
        public=False,
        report_el=SECRET_REPORT,
        result=ItemResult.ADOPTED,
        start_seconds=700,
        end_seconds=900,
    )
    Vote.objects.create(agenda_item=public_item, person=alice, choice=VoteChoice.FOR)
    Vote.objects.create(agenda_item=public_item, person=bob, choice=VoteChoice.ABSENT)
    Vote.objects.create(agenda_item=closed_item, person=alice, choice=VoteChoice.AGAINST)
    closed_file = stored("closed", b"%PDF-1.4\n% closed\n")
    closed_item.auxiliary_files.add(closed_file)
    Decision.objects.create(
        agenda_item=closed_item,
        organization=body,
        year=2026,
        number=124,
        text_el=SECRET_DECISION,
        result=ItemResult.ADOPTED,
    )
    deleted_item = AgendaItem.objects.create(
        meeting=meeting, order=2, number="3", title_el="Αποσύρθηκε"
    )
    deleted_item.soft_delete()
    deleted_meeting = Meeting.objects.create(
        organization=body, year=2026, number=13, start=start + timedelta(days=7),
        end=start + timedelta(days=7, hours=2),
    )  # fmt: skip
    deleted_meeting.soft_delete()
    deleted_file = stored("withdrawn", b"%PDF-1.4\n% withdrawn\n")
    meeting.auxiliary_files.add(deleted_file)
    deleted_file.soft_delete()
    paper = Paper.objects.create(
        reference="Π-17/2026",
        name_el="Προϋπολογισμός 2026",
        date=date(2026, 2, 20),
        main_file=stored("paper", b"%PDF-1.4\n% paper\n"),
    )
    paper.originator_persons.add(alice)
    paper.originator_organizations.add(faction)
    Consultation.objects.create(paper=paper, agenda_item=public_item, role="εισήγηση")
    Consultation.objects.create(paper=paper, agenda_item=closed_item)
    return Council(
        municipality=municipality,
        council=body,
        faction=faction,
        alice=alice,
        bob=bob,
        meeting=meeting,
        public_item=public_item,
        closed_item=closed_item,
        deleted_item=deleted_item,
        deleted_meeting=deleted_meeting,
        invitation=invitation,
        decision_file=decision_file,
        closed_file=closed_file,
        deleted_file=deleted_file,
        paper=paper,
    )


def body_url(council: Council) -> str:
    return f"{settings.SITE_URL}{ROOT}body/{council.municipality.pk}/"


def body_list(client: Client, council: Council, name: str, query: str = "") -> Any:
    body = get(client, body_url(council))
    return get(client, body[name] + (f"?{query}" if query else ""))


# --- The crawl --------------------------------------------------------------------------------


def _webs(value: Any) -> set[str]:
    """Every ``web`` link (the public pages) in an answer."""
    if isinstance(value, dict):
        found = {value["web"]} if isinstance(value.get("web"), str) else set()
        return found.union(*(_webs(child) for child in value.values()))
    if isinstance(value, list):
        return set().union(*(_webs(child) for child in value))
    return set()


def _links(value: Any) -> list[str]:
    """Every address of the API in an answer, except the files' bytes."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, child in value.items():
            if key in ("accessUrl", "downloadUrl"):
                continue
            found.extend(_links(child))
    elif isinstance(value, list):
        for child in value:
            found.extend(_links(child))
    elif isinstance(value, str) and value.startswith(settings.SITE_URL + ROOT):
        found.append(value)
    return found


@pytest.mark.django_db
def test_a_crawl_from_the_system_object_finds_only_valid_objects(
    client: Client, council: Council
) -> None:
    system = get(client, ROOT)
    assert system["oparlVersion"] == OPARL
    validate(system, "System")
    seen: set[str] = set()
    queue = deque([system["body"]])
    types: dict[str, int] = {}
    webs: set[str] = set()
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        answer = get(client, url)
        webs |= _webs(answer)
        if "data" in answer and "pagination" in answer:  # an external list
            assert answer["links"].get("self")
            for obj in answer["data"]:
                validate(obj)
            queue.extend(_links(answer["data"]))
            if "next" in answer["links"]:
                queue.append(answer["links"]["next"])
        else:
            name = answer["type"].removeprefix(OPARL)
            types[name] = types.get(name, 0) + validate(answer)
            assert answer["id"] == url
            queue.extend(_links(answer))
    assert set(types) >= {
        "Body",
        "Organization",
        "Person",
        "Membership",
        "Meeting",
        "AgendaItem",
        "Paper",
        "Consultation",
        "File",
        "Location",
        "LegislativeTerm",
    }
    assert len(seen) > 30
    # The public pages the objects link to answer.
    assert len(webs) >= 4
    for web in sorted(webs):
        assert web.startswith(settings.SITE_URL)
        assert client.get(web.removeprefix(settings.SITE_URL)).status_code == 200, web


@pytest.mark.django_db
def test_the_body_links_every_external_list(client: Client, council: Council) -> None:
    system = get(client, ROOT)
    bodies = get(client, system["body"])
    assert bodies["pagination"]["totalElements"] == 1
    body = bodies["data"][0]
    assert body["name"] == "Δήμος Σερρών"
    assert [t["name"] for t in body["legislativeTerm"]] == ["2024–2028"]
    for name in (
        "organization",
        "person",
        "meeting",
        "paper",
        "agendaItem",
        "consultation",
        "file",
        "locationList",
        "legislativeTermList",
        "membership",
    ):
        answer = get(client, body[name])
        assert answer["pagination"]["totalElements"] >= 1, name


# --- Meetings, agenda items, the recording, decisions ------------------------------------------


@pytest.mark.django_db
def test_a_meeting_embeds_its_agenda_in_order_its_place_and_its_files(
    client: Client, council: Council
) -> None:
    meeting = get(client, f"{ROOT}meeting/{council.meeting.pk}/")
    assert [i["number"] for i in meeting["agendaItem"]] == ["1", "2"]  # the deleted one is not
    assert [i["order"] for i in meeting["agendaItem"]] == [0, 1]
    assert "meeting" not in meeting["agendaItem"][0]  # embedded: its meeting is the parent
    assert meeting["location"]["locality"] == "Σέρρες"
    assert meeting["invitation"]["sha512Checksum"] == council.invitation.sha512
    assert meeting["participant"] == [f"{settings.SITE_URL}{ROOT}person/{council.alice.pk}/"]
    recording = meeting["auxiliaryFile"][0]
    assert recording["externalServiceUrl"] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert "downloadUrl" not in recording
    assert council.deleted_file.pk not in [f["id"].split("/")[-2] for f in meeting["auxiliaryFile"]]
    assert len(meeting["auxiliaryFile"]) == 1
    assert meeting["dimos:number"] == "12/2026"


@pytest.mark.django_db
def test_an_agenda_item_has_its_time_codes_as_times_and_seconds(
    client: Client, council: Council
) -> None:
    item = get(client, f"{ROOT}agendaitem/{council.public_item.pk}/")
    start = datetime.fromisoformat(item["start"])
    assert start == council.meeting.start + timedelta(seconds=65)
    assert datetime.fromisoformat(item["end"]) == council.meeting.start + timedelta(seconds=600)
    assert item["dimos:startSeconds"] == 65
    assert item["dimos:endSeconds"] == 600
    assert item["dimos:recordingAt"] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=65s"
    assert item["meeting"] == f"{settings.SITE_URL}{ROOT}meeting/{council.meeting.pk}/"


@pytest.mark.django_db
def test_an_agenda_item_carries_its_decision_with_number_and_ada(
    client: Client, council: Council
) -> None:
    item = get(client, f"{ROOT}agendaitem/{council.public_item.pk}/")
    assert item["resolutionText"] == "Εγκρίνει τον προϋπολογισμό"
    assert item["result"]
    assert item["resolutionFile"]["sha512Checksum"] == hashlib.sha512(PDF).hexdigest()
    assert item["dimos:decisionNumber"] == "123/2026"
    assert item["dimos:ada"] == "Ψ4Ω2ΩΞΑ-8ΑΒ"
    assert item["dimos:diavgeiaUrl"] == "https://diavgeia.gov.gr/decision/view/Ψ4Ω2ΩΞΑ-8ΑΒ"
    assert item["consultation"].startswith(f"{settings.SITE_URL}{ROOT}consultation/")


@pytest.mark.django_db
def test_an_agenda_item_names_how_each_member_voted(client: Client, council: Council) -> None:
    def person(member: Person) -> str:
        return f"{settings.SITE_URL}{ROOT}person/{member.pk}/"

    alice, bob = Person.objects.get(given_name="Αλίκη"), Person.objects.get(slug="bob")
    counts = {"for": 1, "against": 0, "abstain": 0, "absent": 1}
    item = get(client, f"{ROOT}agendaitem/{council.public_item.pk}/")
    assert item["dimos:voteCounts"] == counts
    assert item["dimos:votes"] == {
        "for": [person(alice)], "against": [], "abstain": [], "absent": [person(bob)]
    }  # fmt: skip
    listed = get(client, body_url(council) + "agendaitem/")["data"]
    assert next(i for i in listed if i["id"] == item["id"])["dimos:votes"] == item["dimos:votes"]
    # Embedded in its meeting an item has the totals only; a closed session's, not even those.
    meeting = get(client, f"{ROOT}meeting/{council.meeting.pk}/")
    embedded = {i["number"]: i for i in meeting["agendaItem"]}
    assert embedded["1"]["dimos:voteCounts"] == counts
    assert "dimos:votes" not in embedded["1"]
    assert "dimos:voteCounts" not in embedded["2"]
    closed = get(client, f"{ROOT}agendaitem/{council.closed_item.pk}/")
    assert "dimos:votes" not in closed and "dimos:voteCounts" not in closed


@pytest.mark.django_db
def test_a_closed_session_item_shows_its_number_and_name_only(
    client: Client, council: Council
) -> None:
    item = get(client, f"{ROOT}agendaitem/{council.closed_item.pk}/")
    assert item["public"] is False
    assert item["number"] == "2" and item["name"] == "Αποζημίωση υπαλλήλου"
    for key in ("resolutionText", "resolutionFile", "auxiliaryFile", "start", "result"):
        assert key not in item
    for url in (
        f"{ROOT}meeting/{council.meeting.pk}/",
        body_url(council) + "agendaitem/",
        body_url(council) + "meeting/",
        body_url(council) + "file/",
    ):
        text = client.get(url).content.decode()
        assert SECRET_REPORT not in text and SECRET_DECISION not in text
        assert f"/file/{council.closed_file.pk}/" not in text
    get(client, f"{ROOT}file/{council.closed_file.pk}/", 404)
    get(client, f"{ROOT}file/{council.closed_file.pk}/access/", 404)


@pytest.mark.django_db
def test_omit_internal_leaves_out_closed_session_items(client: Client, council: Council) -> None:
    meeting = get(client, f"{ROOT}meeting/{council.meeting.pk}/?omit_internal=true")
    assert [i["number"] for i in meeting["agendaItem"]] == ["1"]
    items = body_list(client, council, "agendaItem", "omit_internal=true")
    assert [i["number"] for i in items["data"]] == ["1"]
    consultations = body_list(client, council, "consultation", "omit_internal=true")
    assert len(consultations["data"]) == 1
    assert all("omit_internal=true" in link for link in items["links"].values())


# --- Soft deletion, filters, pages ------------------------------------------------------------


@pytest.mark.django_db
def test_a_deleted_object_answers_with_deleted_true(client: Client, council: Council) -> None:
    meeting = get(client, f"{ROOT}meeting/{council.deleted_meeting.pk}/")
    validate(meeting, "Meeting")
    assert meeting["deleted"] is True
    council.deleted_meeting.refresh_from_db()
    assert datetime.fromisoformat(meeting["modified"]) == council.deleted_meeting.modified.replace(
        microsecond=0
    )
    assert "agendaItem" not in meeting and "name" not in meeting
    item = get(client, f"{ROOT}agendaitem/{council.deleted_item.pk}/")
    assert item["deleted"] is True and item["order"] == 2


@pytest.mark.django_db
def test_lists_hold_deleted_objects_only_with_modified_since(
    client: Client, council: Council
) -> None:
    meetings = body_list(client, council, "meeting")
    assert [m["id"] for m in meetings["data"]] == [
        f"{settings.SITE_URL}{ROOT}meeting/{council.meeting.pk}/"
    ]
    since = (timezone.now() - timedelta(days=1)).isoformat().replace("+", "%2B")
    synced = body_list(client, council, "meeting", f"modified_since={since}")
    assert [m.get("deleted", False) for m in synced["data"]] == [False, True]
    items = body_list(client, council, "agendaItem", f"modified_since={since}")
    assert any(i.get("deleted") for i in items["data"])
    files = body_list(client, council, "file", f"modified_since={since}")
    deleted = [f for f in files["data"] if f.get("deleted")]
    assert [f["id"] for f in deleted] == [
        f"{settings.SITE_URL}{ROOT}file/{council.deleted_file.pk}/"
    ]
    later = (timezone.now() + timedelta(days=1)).isoformat().replace("+", "%2B")
    assert body_list(client, council, "meeting", f"modified_since={later}")["data"] == []


@pytest.mark.django_db
def test_every_link_of_a_list_carries_the_filters(client: Client, council: Council) -> None:
    query = "created_since=2020-01-01T00:00:00%2B02:00&limit=1"
    people = body_list(client, council, "person", query)
    assert people["pagination"] == {
        "totalElements": 2,
        "elementsPerPage": 1,
        "currentPage": 1,
        "totalPages": 2,
    }
    assert set(people["links"]) == {"first", "self", "next", "last"}
    for link in people["links"].values():
        params = dict(parse_qsl(urlsplit(link).query))
        assert params["created_since"] == "2020-01-01T00:00:00+02:00"
        assert params["limit"] == "1"
    second = get(client, people["links"]["next"])
    assert "next" not in second["links"] and "prev" in second["links"]
    assert {p["name"] for p in people["data"] + second["data"]} == {"Αλίκη Παππά", "Βασίλης Βλάχος"}


@pytest.mark.django_db
def test_created_until_and_modified_until_filter(client: Client, council: Council) -> None:
    assert body_list(client, council, "person", "created_until=2020-01-01")["data"] == []
    assert len(body_list(client, council, "person", "modified_until=2999-01-01")["data"]) == 2


@pytest.mark.django_db
def test_a_plus_sign_lost_in_the_query_string_is_understood(
    client: Client, council: Council
) -> None:
    # "+02:00" written unencoded arrives as " 02:00"
    people = body_list(client, council, "person", "created_since=2020-01-01T00:00:00+02:00")
    assert len(people["data"]) == 2


@pytest.mark.django_db
def test_the_page_size_is_advisory_and_capped(client: Client, council: Council) -> None:
    people = body_list(client, council, "person", "limit=100000")
    assert people["pagination"]["elementsPerPage"] == 500
    assert body_list(client, council, "person")["pagination"]["elementsPerPage"] == 100


# --- Errors and CORS --------------------------------------------------------------------------


def assert_error(answer: Any) -> None:
    assert answer["type"] == "https://schema.oparl.org/1.1/Error"
    assert answer["message"]
    assert "debug" in answer


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "modified_since=yesterday",
        "created_since=2026-13-01",
        "created_until=2026-02-30T00:00:00",
        "modified_until=1",
        "limit=ten",
        "limit=0",
        "page=-1",
        "omit_internal=maybe",
    ],
)
def test_bad_filters_answer_400_with_the_error_object(
    client: Client, council: Council, query: str
) -> None:
    assert_error(get(client, f"{body_url(council)}meeting/?{query}", 400))


@pytest.mark.django_db
def test_a_page_beyond_the_last_answers_404(client: Client, council: Council) -> None:
    assert_error(get(client, f"{body_url(council)}meeting/?page=2", 404))
    assert_error(get(client, f"{body_url(council)}person/?limit=1&page=3", 404))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "meeting/999999/",
        "agendaitem/999999/",
        "file/999999/",
        "file/999999/access/",
        "body/999/",
        "body/999/meeting/",
        "organization/999999/meeting/",
        "nothing/here/",
        "meeting/abc/",
    ],
)
def test_an_unknown_address_answers_404_with_the_error_object(
    client: Client, council: Council, path: str
) -> None:
    assert_error(get(client, ROOT + path, 404))


@pytest.mark.django_db
def test_an_unknown_list_of_the_body_answers_404(client: Client, council: Council) -> None:
    assert_error(get(client, body_url(council) + "votes/", 404))


@pytest.mark.django_db
def test_a_missing_closing_slash_redirects_to_the_canonical_address(
    client: Client, council: Council
) -> None:
    response = client.get(f"{ROOT}meeting/{council.meeting.pk}?omit_internal=true")
    assert response.status_code == 301
    assert response["Location"] == f"{ROOT}meeting/{council.meeting.pk}/?omit_internal=true"
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.django_db
def test_the_api_is_read_only(client: Client, council: Council) -> None:
    response = client.post(f"{ROOT}meeting/{council.meeting.pk}/")
    assert response.status_code == 405
    assert_error(response.json())
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(ROOT)
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]


@pytest.mark.django_db
def test_an_unchanged_object_answers_304_to_its_etag(client: Client, council: Council) -> None:
    url = f"{ROOT}meeting/{council.meeting.pk}/"
    first = client.get(url)
    etag = first["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    council.meeting.save()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


@pytest.mark.django_db
def test_an_answer_follows_a_change_at_once(client: Client, council: Council) -> None:
    url = f"{ROOT}agendaitem/{council.public_item.pk}/"
    assert get(client, url)["name"] == "Έγκριση προϋπολογισμού 2026"
    council.public_item.title_el = "Έγκριση του προϋπολογισμού 2026"
    council.public_item.save(update_fields=["title_el"])
    assert get(client, url)["name"] == "Έγκριση του προϋπολογισμού 2026"


@pytest.mark.django_db
def test_a_roll_call_change_and_the_body_reach_the_answers_at_once(
    client: Client, council: Council
) -> None:
    url = f"{ROOT}agendaitem/{council.public_item.pk}/"
    assert get(client, url)["dimos:voteCounts"]["against"] == 0
    vote = Vote.objects.get(agenda_item=council.public_item, choice=VoteChoice.ABSENT)
    vote.choice = VoteChoice.AGAINST
    vote.save()  # a vote has no ``modified``: the record's version says it changed
    assert get(client, url)["dimos:voteCounts"]["against"] == 1
    body = body_url(council)
    council.municipality.name_el = "Δήμος Σερρών (νέο όνομα)"
    council.municipality.save()
    assert get(client, body)["name"] == "Δήμος Σερρών (νέο όνομα)"


# --- People ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_person_embeds_memberships_and_shows_an_email_only_when_agreed(
    client: Client, council: Council
) -> None:
    alice = get(client, f"{ROOT}person/{council.alice.pk}/")
    assert alice["email"] == ["alice@example.org"]
    assert alice["status"] == ["Πρόεδρος"]
    seat = alice["membership"][0]
    assert seat["organization"] == f"{settings.SITE_URL}{ROOT}organization/{council.council.pk}/"
    assert seat["onBehalfOf"] == f"{settings.SITE_URL}{ROOT}organization/{council.faction.pk}/"
    bob = get(client, f"{ROOT}person/{council.bob.pk}/")
    assert "email" not in bob
    assert "bob@example.org" not in client.get(body_url(council) + "person/").content.decode()


@pytest.mark.django_db
def test_an_organization_lists_its_meetings(client: Client, council: Council) -> None:
    org = get(client, f"{ROOT}organization/{council.council.pk}/")
    assert org["organizationType"] == "Gremium"
    assert len(org["membership"]) == 2
    meetings = get(client, org["meeting"])
    assert [m["dimos:number"] for m in meetings["data"]] == ["12/2026"]
    faction = get(client, f"{ROOT}organization/{council.faction.pk}/")
    assert faction["organizationType"] == "Fraktion" and "meeting" not in faction


# --- Files -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_file_is_served_inline_at_its_access_url_and_as_attachment_for_download(
    client: Client, council: Council
) -> None:
    described = get(client, f"{ROOT}file/{council.decision_file.pk}/")
    assert described["size"] == len(PDF)
    assert described["mimeType"] == "application/pdf"
    assert described["fileName"] == "decision.pdf"
    assert described["date"] == "2026-03-01"
    access = client.get(path_of(described["accessUrl"]))
    assert access.status_code == 200
    assert b"".join(access.streaming_content) == PDF  # type: ignore[attr-defined]
    assert access["Content-Type"] == "application/pdf"
    assert "attachment" not in access.get("Content-Disposition", "")
    assert access["Access-Control-Allow-Origin"] == "*"
    assert hashlib.sha512(PDF).hexdigest() == described["sha512Checksum"]
    download = client.get(path_of(described["downloadUrl"]))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    again = client.get(path_of(described["accessUrl"]), headers={"If-None-Match": access["ETag"]})
    assert again.status_code == 304


@pytest.mark.django_db
def test_a_deleted_files_addresses_answer_410(client: Client, council: Council) -> None:
    described = get(client, f"{ROOT}file/{council.deleted_file.pk}/")
    assert described["deleted"] is True
    assert_error(get(client, described["accessUrl"], 410))
    assert_error(get(client, f"{ROOT}file/{council.deleted_file.pk}/download/", 410))


@pytest.mark.django_db
def test_the_recordings_access_url_leads_to_the_video(client: Client, council: Council) -> None:
    assert council.meeting.recording is not None
    response = client.get(f"{ROOT}file/{council.meeting.recording.pk}/access/")
    assert response.status_code == 302
    assert response["Location"] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert_error(get(client, f"{ROOT}file/{council.meeting.recording.pk}/download/", 404))


# --- Cost ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_meetings_list_costs_a_fixed_number_of_queries(
    client: Client, council: Council, django_assert_max_num_queries: Any
) -> None:
    start = council.meeting.start
    for n in range(20):
        m = Meeting.objects.create(
            organization=council.council,
            year=2025,
            number=n + 1,
            start=start - timedelta(days=30 * (n + 1)),
            end=start - timedelta(days=30 * (n + 1)) + timedelta(hours=2),
            location=council.meeting.location,
            invitation=council.invitation,
        )
        for order in range(10):
            item = AgendaItem.objects.create(
                meeting=m, order=order, number=str(order + 1), title_el=f"Θέμα {order}"
            )
            Decision.objects.create(
                agenda_item=item,
                organization=council.council,
                year=2025,
                number=n * 10 + order + 1,
                text_el="Απόφαση",
                result=ItemResult.ADOPTED,
            )
            Consultation.objects.create(paper=council.paper, agenda_item=item)
    url = body_url(council) + "meeting/"
    with django_assert_max_num_queries(12):
        answer = get(client, url)
    assert answer["pagination"]["totalElements"] == 21
    assert sum(len(m["agendaItem"]) for m in answer["data"]) == 202
    # Asked again, the kept answer is sent: the version's query only.
    with django_assert_max_num_queries(2):
        again = client.get(url)
    assert again["X-Dimos-Cache"] == "hit"
