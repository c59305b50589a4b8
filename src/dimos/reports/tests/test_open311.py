"""The Open311 GeoReport v2 contract (/work/shared/standards/open311.md), in JSON and XML."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dimos.accounts.services import issue_api_token, revoke_api_token
from dimos.reports.attributes import InvalidAttributes, validate_attributes
from dimos.reports.models import CategoryAttribute, Report, ReportUpdate, Status
from dimos.reports.services import change_status
from dimos.reports.tests.factories import CategoryFactory, ReportFactory

ROOT = "/open311/v2/"
OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}
SECRETS = ("reporter@example.org", "secret@example.org", "6912345678", "Secret Person")


@pytest.fixture
def client() -> Client:
    return Client(raise_request_exception=False)


@pytest.fixture
def category(municipality):
    category = CategoryFactory.create(
        code="pothole",
        keywords="road,hole",
        notice_en="We fix potholes within a week.",
        department=Group.objects.get_or_create(name="Roads department")[0],
    )
    CategoryAttribute.objects.create(
        category=category, code="depth", datatype="number", required=True, description_el="Βάθος"
    )
    CategoryAttribute.objects.create(
        category=category, code="seen", datatype="datetime", description_el="Πότε"
    )
    CategoryAttribute.objects.create(
        category=category,
        code="size",
        datatype="singlevaluelist",
        description_el="Μέγεθος",
        values=[
            {"key": "small", "name_el": "Μικρή", "name_en": "Small"},
            {"key": "large", "name_el": "Μεγάλη", "name_en": "Large"},
        ],
    )
    CategoryAttribute.objects.create(
        category=category,
        code="hazards",
        datatype="multivaluelist",
        description_el="Κίνδυνοι",
        values=[{"key": "cars", "name_el": "Αυτοκίνητα"}, {"key": "bikes", "name_el": "Ποδήλατα"}],
    )
    return category


@pytest.fixture
def api_key(admin_user) -> str:
    _token, raw = issue_api_token(user=admin_user, name="FixMyStreet", actor=admin_user)
    return raw


def make_report(category, **kwargs) -> Report:
    kwargs.setdefault("status", Status.OPEN)
    kwargs.setdefault("reporter_phone", "6912345678")
    kwargs.setdefault("reporter_name", "Secret Person")
    return ReportFactory.create(category=category, **kwargs)


def get_json(client, path, expect=200, **params):
    response = client.get(ROOT + path, params)
    assert response.status_code == expect, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def get_xml(client, path, expect=200, **params):
    response = client.get(ROOT + path, params)
    assert response.status_code == expect, response.content
    assert response["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)


def post(client, data, fmt="json", **extra):
    return client.post(ROOT + f"requests.{fmt}", data, **extra)


def valid_post(category, api_key, **overrides):
    data = {
        "api_key": api_key,
        "service_code": category.code,
        "lat": "41.10",
        "long": "23.56",
        "description": "A deep hole",
        "attribute[depth]": "12",
    }
    data.update(overrides)
    return data


def assert_error(response, status, fragment=""):
    assert response.status_code == status, response.content
    if response["Content-Type"].startswith("text/xml"):
        root = ET.fromstring(response.content)
        assert root.tag == "errors"
        assert root.find("error/code").text == str(status)
        description = root.find("error/description").text or ""
    else:
        body = response.json()
        assert isinstance(body, list) and body[0]["code"] == status
        description = body[0]["description"]
    assert fragment in description


# --- Discovery and services ---------------------------------------------------------------


def test_discovery_lists_the_endpoint_with_xml_and_a_past_changeset(client, municipality):
    body = get_json(client, "discovery.json")
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert "text/xml" in endpoint["formats"]
    assert body["changeset"] < timezone.now().isoformat()
    root = get_xml(client, "discovery.xml")
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_services_are_a_bare_array_with_string_codes(client, category):
    CategoryFactory.create(code="retired", is_active=False)
    body = get_json(client, "services.json")
    assert isinstance(body, list)
    assert [s["service_code"] for s in body] == ["pothole"]
    assert body[0] == {
        "service_code": "pothole",
        "service_name": "Λακκούβα",
        "description": "",
        "metadata": True,
        "type": "realtime",
        "keywords": "road,hole",
        "group": "Οδοί",
    }


def test_services_in_xml(client, category):
    root = get_xml(client, "services.xml")
    assert root.tag == "services"
    service = root.find("service")
    assert service.find("service_code").text == "pothole"
    assert service.find("metadata").text == "true"


def test_services_answer_in_the_requested_language(client, category):
    response = client.get(ROOT + "services.json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()[0]["service_name"] == "Pothole"


def test_a_category_that_must_be_phoned_in_is_not_offered(client, category):
    CategoryFactory.create(code="gas", notice_blocks=True)
    assert [s["service_code"] for s in get_json(client, "services.json")] == ["pothole"]


def test_service_definition_lists_the_questions(client, category):
    body = get_json(client, "services/pothole.json")
    assert body["service_code"] == "pothole"
    codes = [a["code"] for a in body["attributes"]]
    assert codes == ["depth", "seen", "size", "hazards"]
    size = body["attributes"][2]
    assert size["datatype"] == "singlevaluelist"
    assert size["variable"] is True and size["required"] is False
    assert size["values"] == [{"key": "small", "name": "Μικρή"}, {"key": "large", "name": "Μεγάλη"}]
    root = get_xml(client, "services/pothole.xml")
    assert root.tag == "service_definition"
    assert [v.text for v in root.findall("attributes/attribute/values/value/key")] == [
        "small",
        "large",
        "cars",
        "bikes",
    ]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_definition_is_404(client, category, fmt):
    assert_error(client.get(ROOT + f"services/nope.{fmt}"), 404, "nope")


# --- Listing requests ---------------------------------------------------------------------


def test_requests_have_every_field_with_string_ids_and_offsets(client, category):
    report = make_report(
        category, address="Μεραρχίας 1", expected_on=timezone.localdate() + timedelta(days=3)
    )
    body = get_json(client, "requests.json")
    assert isinstance(body, list) and len(body) == 1
    item = body[0]
    assert set(item) == REQUEST_FIELDS
    assert item["service_request_id"] == str(report.pk)
    assert item["service_code"] == "pothole"
    assert item["status"] == "open"
    assert item["agency_responsible"] == "Roads department"
    assert item["lat"] == 41.10 and item["long"] == 23.56
    assert item["address"] == "Μεραρχίας 1"
    for field in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert OFFSET.match(item[field]), item[field]
    assert item["expected_datetime"].endswith(("+02:00", "+03:00"))


def test_requests_in_xml(client, category):
    report = make_report(category, description="Pipes <&> \x01 broken")
    root = get_xml(client, "requests.xml")
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request.find("service_request_id").text == str(report.pk)
    assert request.find("description").text == "Pipes <&>  broken"
    assert OFFSET.match(request.find("requested_datetime").text)
    assert {child.tag for child in request} == REQUEST_FIELDS


def test_unconfirmed_and_hidden_reports_are_never_listed(client, category):
    make_report(category, status=Status.UNCONFIRMED)
    hidden = make_report(category, is_hidden=True)
    shown = make_report(category)
    assert [r["service_request_id"] for r in get_json(client, "requests.json")] == [str(shown.pk)]
    ids = f"{hidden.pk},{shown.pk}"
    listed = get_json(client, "requests.json", service_request_id=ids)
    assert [r["service_request_id"] for r in listed] == [str(shown.pk)]
    assert_error(client.get(ROOT + f"requests/{hidden.pk}.json"), 404)


def test_status_filter_maps_detailed_statuses_to_open_and_closed(client, category):
    working = make_report(category, status=Status.IN_PROGRESS)
    done = make_report(category, status=Status.DUPLICATE)
    opened = get_json(client, "requests.json", status="open")
    assert [r["service_request_id"] for r in opened] == [str(working.pk)]
    closed = get_json(client, "requests.json", status="closed")
    assert [(r["service_request_id"], r["status"]) for r in closed] == [(str(done.pk), "closed")]
    assert len(get_json(client, "requests.json", status="open,closed")) == 2
    assert len(get_json(client, "requests.json", status="OPEN")) == 1
    assert_error(client.get(ROOT + "requests.json", {"status": "fixed"}), 400, "status")


def test_service_code_filter_takes_a_list_and_refuses_unknown_codes(client, category):
    other = CategoryFactory.create(code="lights")
    make_report(category)
    make_report(other)
    assert len(get_json(client, "requests.json", service_code="pothole")) == 1
    assert len(get_json(client, "requests.json", service_code="pothole,lights")) == 2
    assert_error(client.get(ROOT + "requests.json", {"service_code": "nope"}), 400, "nope")


def test_service_request_id_overrides_the_other_filters(client, category):
    old = make_report(category, created_at=timezone.now() - timedelta(days=200))
    body = get_json(client, "requests.json", service_request_id=str(old.pk), status="closed")
    assert [r["service_request_id"] for r in body] == [str(old.pk)]
    assert_error(client.get(ROOT + "requests.json", {"service_request_id": "1,x"}), 400)


def test_default_window_is_the_last_90_days(client, category):
    make_report(category, created_at=timezone.now() - timedelta(days=91))
    recent = make_report(category)
    assert [r["service_request_id"] for r in get_json(client, "requests.json")] == [str(recent.pk)]


def test_date_range_selects_by_requested_datetime(client, category):
    old = make_report(category, created_at=timezone.now() - timedelta(days=120))
    make_report(category)
    start = (timezone.now() - timedelta(days=130)).isoformat()
    end = (timezone.now() - timedelta(days=100)).isoformat()
    body = get_json(client, "requests.json", start_date=start, end_date=end)
    assert [r["service_request_id"] for r in body] == [str(old.pk)]


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"start_date": "2026-03-01"}, "time zone"),
        ({"start_date": "2026-03-01T10:00:00"}, "time zone"),
        ({"end_date": "yesterday"}, "end_date"),
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-02T00:00:00Z"}, "90 days"),
        ({"start_date": "2026-03-01T00:00:00Z", "end_date": "2026-02-01T00:00:00Z"}, "before"),
        ({"updated_after": "2026-03-01"}, "updated_after"),
        ({"page_size": "501"}, "page_size"),
        ({"page": "0"}, "page"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "23.6,41.0,23.5,41.2"}, "bbox"),
        ({"lat": "41.1", "long": "23.5"}, "radius"),
        ({"lat": "91", "long": "23.5", "radius": "10"}, "lat"),
        ({"order_by": "priority"}, "order_by"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_list_parameters_are_400(client, category, params, fragment, fmt):
    assert_error(client.get(ROOT + f"requests.{fmt}", params), 400, fragment)


def test_empty_parameters_count_as_absent(client, category):
    make_report(category)
    body = get_json(client, "requests.json", start_date="", status="", service_code="")
    assert len(body) == 1


def test_pages_when_asked(client, category):
    reports = [make_report(category) for _ in range(5)]
    newest_first = [str(r.pk) for r in reversed(reports)]
    page = get_json(client, "requests.json", page_size="2", page="2")
    assert [r["service_request_id"] for r in page] == newest_first[2:4]
    assert get_json(client, "requests.json", page="9") == []


def test_radius_keeps_reports_within_the_circle(client, category):
    near = make_report(category, lat=41.1000, lon=23.5600)
    make_report(category, lat=41.1000, lon=23.5700)  # about 840 m east
    body = get_json(client, "requests.json", lat="41.1001", long="23.5601", radius="200")
    assert [r["service_request_id"] for r in body] == [str(near.pk)]


def test_bbox_keeps_reports_inside_the_box(client, category):
    inside = make_report(category, lat=41.10, lon=23.56)
    make_report(category, lat=41.05, lon=23.50)
    body = get_json(client, "requests.json", bbox="23.55,41.09,23.57,41.11")
    assert [r["service_request_id"] for r in body] == [str(inside.pk)]


def test_updated_agency_and_search_filters(client, category):
    fresh = make_report(category, description="Broken bench in the park")
    make_report(
        category,
        description="Broken lamp",
        updated_at=timezone.now() - timedelta(days=10),
    )
    since = (timezone.now() - timedelta(days=1)).isoformat()
    body = get_json(client, "requests.json", updated_after=since)
    assert [r["service_request_id"] for r in body] == [str(fresh.pk)]
    assert len(get_json(client, "requests.json", agency_responsible="Roads department")) == 2
    assert get_json(client, "requests.json", agency_responsible="Parks") == []
    body = get_json(client, "requests.json", search="bench")
    assert [r["service_request_id"] for r in body] == [str(fresh.pk)]


def test_status_notes_is_the_latest_public_note(client, category):
    report = make_report(category)
    change_status(report=report, to=Status.IN_PROGRESS, actor=None, note="Crew on the way")
    change_status(
        report=report, to=Status.ACTION_SCHEDULED, actor=None, note="Internal", public=False
    )
    body = get_json(client, "requests.json")
    assert body[0]["status_notes"] == "Crew on the way"


def test_extensions_add_notes_and_extended_attributes(client, category):
    report = make_report(category, attributes={"depth": 12})
    change_status(report=report, to=Status.IN_PROGRESS, actor=None, note="Crew on the way")
    ReportUpdate.objects.create(
        report=report, kind=ReportUpdate.Kind.INTERNAL_NOTE, text="Internal", is_public=False
    )
    item = get_json(client, "requests.json", extensions="true")[0]
    assert item["extended_attributes"]["detailed_status"] == "IN_PROGRESS"
    assert item["extended_attributes"]["attributes"] == [{"code": "depth", "value": 12}]
    assert [n["description"] for n in item["notes"]] == ["Crew on the way"]
    note = item["notes"][0]
    assert set(note) == {"datetime", "summary", "type", "description"}
    assert OFFSET.match(note["datetime"])
    root = get_xml(client, f"requests/{report.pk}.xml", extensions="true")
    assert root.find("request/notes/note/description").text == "Crew on the way"
    assert root.find("request/extended_attributes/detailed_status").text == "IN_PROGRESS"


def test_one_request_is_a_one_element_array(client, category):
    report = make_report(category)
    body = get_json(client, f"requests/{report.pk}.json")
    assert isinstance(body, list) and len(body) == 1
    assert body[0]["service_request_id"] == str(report.pk)
    root = get_xml(client, f"requests/{report.pk}.xml")
    assert root.tag == "service_requests"
    assert len(root.findall("request")) == 1


@pytest.mark.parametrize("request_id", ["999999", "abc", "99999999999999999999999"])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_request_is_404(client, category, request_id, fmt):
    assert_error(client.get(ROOT + f"requests/{request_id}.{fmt}"), 404)


@pytest.mark.parametrize("path", ["requests.html", "services.yaml", "discovery.txt"])
def test_unknown_format_is_404(client, category, path):
    assert_error(client.get(ROOT + path), 404, "format")


def test_token_gives_the_request_id(client, category):
    report = make_report(category)
    body = get_json(client, f"tokens/{report.token}.json")
    assert body == [{"service_request_id": str(report.pk), "token": str(report.token)}]
    root = get_xml(client, f"tokens/{report.token}.xml")
    assert root.find("request/service_request_id").text == str(report.pk)
    assert_error(client.get(ROOT + "tokens/not-a-token.json"), 404)


def test_a_method_outside_the_contract_is_refused(client, category):
    assert client.put(ROOT + "services.json").status_code == 405
    assert client.post(ROOT + "services.json").status_code == 405


# --- Submitting ---------------------------------------------------------------------------


def test_form_post_files_an_api_report(client, category, api_key):
    response = post(
        client,
        valid_post(
            category,
            api_key,
            **{
                "attribute[size]": "large",
                "attribute[hazards][]": ["cars", "bikes"],
                "attribute[seen]": "2026-03-01T10:00:00+02:00",
                "email": "secret@example.org",
                "first_name": "Secret",
                "last_name": "Person",
                "account_id": "42",
            },
        ),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    report = Report.objects.get()
    assert body == [
        {
            "service_request_id": str(report.pk),
            "service_notice": "",
            "account_id": "42",
        }
    ]
    assert report.source == Report.Source.API
    assert report.status == Status.OPEN
    assert report.reporter is None
    assert report.reporter_email == "secret@example.org"
    assert report.reporter_name == "Secret Person"
    assert report.attributes == {
        "depth": 12,
        "size": "large",
        "hazards": ["cars", "bikes"],
        "seen": "2026-03-01T10:00:00+02:00",
    }


def test_json_post_with_the_key_in_the_query_string(client, category, api_key):
    data = valid_post(category, "ignored")
    del data["api_key"]
    data["attribute"] = {"depth": 3, "hazards": ["cars"]}
    del data["attribute[depth]"]
    response = client.post(
        ROOT + f"requests.json?api_key={api_key}",
        json.dumps(data),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert Report.objects.get().attributes == {"depth": 3, "hazards": ["cars"]}


def test_multipart_post_in_xml(client, category, api_key):
    # The test client sends a dict as multipart/form-data by default.
    response = client.post(ROOT + "requests.xml", valid_post(category, api_key))
    assert response.status_code == 201, response.content
    root = ET.fromstring(response.content)
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text == str(Report.objects.get().pk)


def test_form_urlencoded_post(client, category, api_key):
    from urllib.parse import urlencode

    response = client.post(
        ROOT + "requests.json",
        urlencode(valid_post(category, api_key)),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 201, response.content


def test_description_is_plain_text(client, category, api_key):
    post(client, valid_post(category, api_key, description="<b>Deep</b> <script>x</script>hole"))
    assert Report.objects.get().description == "Deep xhole"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_missing_or_bad_api_key_is_403(client, category, api_key, admin_user, fmt):
    data = valid_post(category, api_key)
    del data["api_key"]
    assert_error(post(client, data, fmt), 403, "api_key")
    assert_error(post(client, {**data, "api_key": "dmt_wrong"}, fmt), 403, "api_key")
    token, raw = issue_api_token(user=admin_user, name="old", actor=admin_user)
    revoke_api_token(token=token, actor=admin_user)
    assert_error(post(client, {**data, "api_key": raw}, fmt), 403, "api_key")
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"service_code": ""}, "service_code is required"),
        ({"service_code": "nope"}, "nope"),
        ({"lat": "", "long": ""}, "lat and long"),
        ({"lat": "", "long": "", "address_string": "Μεραρχίας 1"}, "address_string"),
        ({"lat": "91"}, "lat and long"),
        ({"lat": "40.0", "long": "22.0"}, "outside the municipality"),
        ({"attribute[depth]": ""}, "depth: is required"),
        ({"attribute[depth]": "deep"}, "depth: must be a number"),
        ({"attribute[seen]": "2026-03-01T10:00:00"}, "seen:"),
        ({"attribute[size]": "huge"}, "size: must be one of"),
        ({"attribute[size][]": ["small", "large"]}, "size: takes one value"),
        ({"attribute[hazards][]": ["cars", "boats"]}, "hazards: unknown choice boats"),
        ({"description": "x" * 4001}, "4000"),
        ({"email": "not-an-email"}, "email"),
        ({"media_url": "javascript:alert(1)"}, "media_url"),
        ({"jurisdiction_id": "athens"}, "jurisdiction_id"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_submissions_are_400(client, category, api_key, overrides, fragment, fmt):
    assert_error(post(client, valid_post(category, api_key, **overrides), fmt), 400, fragment)
    assert Report.objects.count() == 0


def test_inactive_category_cannot_take_reports(client, category, api_key):
    category.is_active = False
    category.save()
    assert_error(post(client, valid_post(category, api_key)), 400, "pothole")


def test_a_category_that_must_be_phoned_in_refuses_with_its_notice(client, api_key, category):
    gas = CategoryFactory.create(code="gas", notice_blocks=True, notice_en="Call 199 now.")
    response = post(client, valid_post(gas, api_key), HTTP_ACCEPT_LANGUAGE="en")
    assert_error(response, 400, "Call 199 now.")


def test_a_retried_post_with_the_same_idempotency_key_is_one_report(client, category, api_key):
    first = post(client, valid_post(category, api_key), HTTP_IDEMPOTENCY_KEY="abc-1")
    again = post(client, valid_post(category, api_key), HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()[0]["service_request_id"] == again.json()[0]["service_request_id"]
    assert Report.objects.count() == 1
    other = post(client, valid_post(category, api_key), HTTP_IDEMPOTENCY_KEY="abc-2")
    assert other.json()[0]["service_request_id"] != first.json()[0]["service_request_id"]


def test_idempotency_keys_of_different_clients_do_not_collide(
    client, category, api_key, admin_user
):
    _token, other_key = issue_api_token(user=admin_user, name="other app", actor=admin_user)
    first = post(client, valid_post(category, api_key), HTTP_IDEMPOTENCY_KEY="same")
    second = post(client, valid_post(category, other_key), HTTP_IDEMPOTENCY_KEY="same")
    assert second.status_code == 201
    assert first.json()[0]["service_request_id"] != second.json()[0]["service_request_id"]


def test_submission_is_csrf_exempt(category, api_key):
    strict = Client(enforce_csrf_checks=True)
    assert post(strict, valid_post(category, api_key)).status_code == 201


@pytest.mark.parametrize("payload", [b"{not json", b"\xff\xfe", b"[1, 2]"])
def test_a_broken_json_body_is_400(client, category, api_key, payload):
    response = client.post(
        ROOT + f"requests.json?api_key={api_key}", payload, content_type="application/json"
    )
    assert_error(response, 400, "JSON")


# --- Jurisdiction, CORS, privacy ----------------------------------------------------------


def test_matching_jurisdiction_is_accepted_and_unknown_refused(client, category):
    assert get_json(client, "services.json", jurisdiction_id="serres")
    assert_error(client.get(ROOT + "services.xml", {"jurisdiction_id": "athens"}), 400)


def test_configured_jurisdiction_replaces_the_slug(client, category, settings):
    settings.DIMOS_OPEN311_JURISDICTION = "serres.gr"
    assert get_json(client, "requests.json", jurisdiction_id="serres.gr") == []
    assert_error(client.get(ROOT + "requests.json", {"jurisdiction_id": "serres"}), 400)


def test_get_and_preflight_allow_any_origin(client, category):
    response = client.get(ROOT + "services.json")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        ROOT + "requests.json",
        HTTP_ORIGIN="https://app.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight["Access-Control-Allow-Methods"]
    assert "Idempotency-Key" in preflight["Access-Control-Allow-Headers"]
    assert client.get(ROOT + "requests/404.json")["Access-Control-Allow-Origin"] == "*"


def test_no_output_reveals_the_reporter(client, category, api_key):
    report = make_report(category, reporter_email="secret@example.org")
    change_status(report=report, to=Status.IN_PROGRESS, actor=None, note="On it")
    created = post(
        client,
        valid_post(category, api_key, email="secret@example.org", phone="6912345678"),
    )
    outputs = [created.content]
    for fmt in ("json", "xml"):
        for path in (
            f"requests.{fmt}?extensions=true",
            f"requests/{report.pk}.{fmt}?extensions=true",
            f"servicerequestupdates.{fmt}",
            f"tokens/{report.token}.{fmt}",
        ):
            outputs.append(client.get(ROOT + path).content)
    for content in outputs:
        text = content.decode()
        for secret in SECRETS:
            assert secret not in text
    listed = client.get(ROOT + "requests.json?extensions=true").content.decode()
    assert str(report.token) not in listed


def test_too_many_requests_from_one_address_are_429(client, category, settings):
    settings.DIMOS_API_ANON_RATE = "2/m"
    assert client.get(ROOT + "services.json").status_code == 200
    assert client.get(ROOT + "requests.xml").status_code == 200
    response = client.get(ROOT + "requests.xml")
    assert_error(response, 429, "Too many")
    assert int(response["Retry-After"]) >= 1
    assert response["Access-Control-Allow-Origin"] == "*"


# --- FixMyStreet's updates ----------------------------------------------------------------


def test_request_updates_carry_the_detailed_status(client, category):
    report = make_report(category)
    change_status(report=report, to=Status.IN_PROGRESS, actor=None, note="Crew on the way")
    ReportUpdate.objects.create(report=report, kind=ReportUpdate.Kind.PUBLIC_NOTE, text="Soon")
    change_status(report=report, to=Status.FIXED, actor=None, note="Internal", public=False)
    body = get_json(client, "servicerequestupdates.json")
    assert [(u["status"], u["external_status_code"], u["description"]) for u in body] == [
        ("open", "IN_PROGRESS", "Crew on the way"),
        ("open", "IN_PROGRESS", "Soon"),
    ]
    assert set(body[0]) == {
        "update_id",
        "service_request_id",
        "status",
        "updated_datetime",
        "description",
        "media_url",
        "external_status_code",
    }
    assert body[0]["service_request_id"] == str(report.pk)
    assert isinstance(body[0]["update_id"], str)
    assert OFFSET.match(body[0]["updated_datetime"])
    root = get_xml(client, "servicerequestupdates.xml")
    assert root.tag == "service_request_updates"
    assert root.find("request_update/external_status_code").text == "IN_PROGRESS"


def test_request_updates_respect_the_window(client, category):
    report = make_report(category)
    change_status(report=report, to=Status.IN_PROGRESS, actor=None, note="Now")
    start = (timezone.now() + timedelta(hours=1)).isoformat()
    assert get_json(client, "servicerequestupdates.json", start_date=start) == []
    assert_error(client.get(ROOT + "servicerequestupdates.json", {"end_date": "2026-01-01"}), 400)


# --- Efficiency ---------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "path",
    [
        "requests.json?extensions=true",
        "requests.xml",
        "requests.json?lat=41.1&long=23.56&radius=5000",
        "servicerequestupdates.json",
        "services.json",
    ],
)
def test_lists_take_the_same_queries_for_many_rows(client, category, path):
    def add(n):
        for _ in range(n):
            report = make_report(category)
            change_status(report=report, to=Status.IN_PROGRESS, actor=None, note="On it")
            CategoryFactory.create()

    add(2)
    few = _queries(client, ROOT + path)
    add(8)
    assert _queries(client, ROOT + path) == few
    assert few <= 3


# --- Attribute validation (shared with the web form) --------------------------------------


def test_validate_attributes_reports_every_problem(category):
    with pytest.raises(InvalidAttributes) as caught:
        validate_attributes(category, {"depth": ["x"], "size": ["huge"], "unknown": ["1"]})
    assert isinstance(caught.value, ValueError)
    assert set(caught.value.errors) == {"depth", "size"}


def test_validate_attributes_ignores_information_only_and_unknown_codes(category):
    CategoryAttribute.objects.create(
        category=category, code="info", datatype="string", variable=False, description_el="i"
    )
    answers = validate_attributes(category, {"depth": ["2.5"], "info": ["x"], "other": ["y"]})
    assert answers == {"depth": 2.5}


# --- The listing cache ------------------------------------------------------------------------


def test_a_repeated_listing_is_served_from_the_cache_with_one_query(client, category):
    make_report(category)
    first = client.get(ROOT + "requests.xml")
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(ROOT + "requests.xml")
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Access-Control-Allow-Origin"] == "*"
    assert len(ctx.captured_queries) == 1  # the newest change, which versions the entry


def test_the_listing_shows_a_new_report_and_a_status_change_at_once(
    client, category, api_key, clerk
):
    assert get_json(client, "requests.json") == []
    assert post(client, valid_post(category, api_key)).status_code == 201
    listed = get_json(client, "requests.json")
    assert len(listed) == 1 and listed[0]["status"] == "open"
    report = Report.objects.get()
    change_status(report=report, to=Status.FIXED, actor=clerk, note="Done")
    assert get_json(client, "requests.json")[0]["status"] == "closed"


def test_cached_listings_differ_by_query_and_format(client, category):
    make_report(category)
    assert len(get_json(client, "requests.json")) == 1
    assert get_json(client, "requests.json", status="closed") == []
    assert get_xml(client, "requests.xml").tag == "service_requests"


def test_one_request_is_served_from_the_cache_with_one_query(client, category):
    report = make_report(category)
    first = client.get(ROOT + f"requests/{report.pk}.json")
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(ROOT + f"requests/{report.pk}.json")
    assert again.content == first.content and again["X-Dimos-Cache"] == "hit"
    assert len(ctx.captured_queries) == 1  # the newest change, which versions the entry


def test_one_request_shows_a_status_change_and_a_public_note_at_once(client, category, clerk):
    report = make_report(category)
    assert get_json(client, f"requests/{report.pk}.json")[0]["status"] == "open"
    change_status(report=report, to=Status.FIXED, actor=clerk, note="Filled in")
    again = get_json(client, f"requests/{report.pk}.json")[0]
    assert again["status"] == "closed" and again["status_notes"] == "Filled in"


def test_a_report_hidden_after_it_was_cached_is_404_at_once(client, category):
    report = make_report(category)
    get_json(client, f"requests/{report.pk}.json")
    Report.objects.filter(pk=report.pk).update(is_hidden=True, updated_at=timezone.now())
    assert_error(client.get(ROOT + f"requests/{report.pk}.json"), 404)


def test_cached_requests_differ_by_extensions_and_ignore_the_api_key(client, category, api_key):
    report = make_report(category)
    plain = get_json(client, f"requests/{report.pk}.json", api_key=api_key)[0]
    extended = get_json(client, f"requests/{report.pk}.json", extensions="true")[0]
    assert "notes" not in plain and "notes" in extended
    # The key is no part of the answer: a client without one gets the same bytes, and a
    # wrong jurisdiction is refused whatever is cached.
    assert get_json(client, f"requests/{report.pk}.json")[0] == plain
    assert_error(client.get(ROOT + f"requests/{report.pk}.json", {"jurisdiction_id": "x"}), 400)
    assert_error(client.get(ROOT + "services.json", {"jurisdiction_id": "x"}), 400)


def test_services_show_a_category_edit_at_once(client, category):
    assert [s["service_code"] for s in get_json(client, "services.json")] == ["pothole"]
    with CaptureQueriesContext(connection) as ctx:
        get_json(client, "services.json")
    assert len(ctx.captured_queries) == 0
    CategoryFactory.create(code="streetlight")
    category.is_active = False
    category.save()
    assert [s["service_code"] for s in get_json(client, "services.json")] == ["streetlight"]


# --- An address instead of a point (the geocoder) -------------------------------------------


def test_a_post_with_only_an_address_is_placed_by_the_geocoder(
    client, category, api_key, nominatim
):
    nominatim.add("Μεραρχίας 1, Σέρρες", 41.0921, 23.5478)
    data = valid_post(category, api_key, lat="", long="", address_string="Μεραρχίας 1")
    response = post(client, data)
    assert response.status_code == 201, response.content
    report = Report.objects.get()
    assert (report.lat, report.lon) == pytest.approx((41.0921, 23.5478))
    assert report.address == "Μεραρχίας 1"
    assert report.district is not None


def test_an_address_the_geocoder_cannot_find_is_400(client, category, api_key, nominatim):
    nominatim.add("Μεραρχίας 1, Θεσσαλονίκη", 40.63, 22.94)  # outside the municipality
    data = valid_post(category, api_key, lat="", long="", address_string="Μεραρχίας 1")
    assert_error(post(client, data), 400, "was not found in the municipality")
    assert not Report.objects.exists()


# --- Photos: multipart media and media_url ----------------------------------------------------


@pytest.fixture
def photo_server():
    """A web server on loopback serving a photo, a web page and a redirect."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from dimos.reports.tests.test_photos import jpeg

    files = {
        "/photo.jpg": (200, jpeg(), "image/jpeg"),
        "/page.html": (200, b"<html>not a photo</html>", "text/html"),
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/elsewhere":
                self.send_response(302)
                self.send_header("Location", "/photo.jpg")
                self.end_headers()
                return
            status, body, kind = files.get(self.path, (404, b"", "text/plain"))
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_multipart_media_is_attached_as_a_photo(client, category, api_key):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dimos.reports.tests.test_photos import jpeg

    data = valid_post(category, api_key)
    data["media"] = SimpleUploadedFile("hole.jpg", jpeg(), content_type="image/jpeg")
    response = post(client, data)
    assert response.status_code == 201, response.content
    report = Report.objects.get()
    assert report.photos.count() == 1
    listed = get_json(client, "requests.json")[0]
    assert listed["media_url"].endswith(f"/reports/photos/{report.photos.get().pk}/")


def test_media_that_is_not_a_photo_is_400_and_files_nothing(client, category, api_key):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = valid_post(category, api_key)
    data["media"] = SimpleUploadedFile("hole.jpg", b"%PDF-1.4 nope", content_type="image/jpeg")
    assert_error(post(client, data), 400, "media 'hole.jpg'")
    assert not Report.objects.exists()


def test_a_media_url_is_fetched_and_attached(
    client, category, api_key, photo_server, settings, django_capture_on_commit_callbacks
):
    settings.DIMOS_OPEN311_MEDIA_PRIVATE_HOSTS = True  # the test's server is on loopback
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client, valid_post(category, api_key, media_url=photo_server + "/photo.jpg")
        )
    assert response.status_code == 201, response.content
    assert Report.objects.get().photos.count() == 1


@pytest.mark.parametrize(
    ("path", "private_allowed", "reason"),
    [
        ("/photo.jpg", False, "is not on the public internet"),
        ("/page.html", True, "is not a photo"),
        ("/elsewhere", True, "redirects"),
        ("/missing.jpg", True, "could not be fetched"),
    ],
)
def test_a_media_url_that_cannot_be_used_leaves_a_note_for_staff(
    client,
    category,
    api_key,
    photo_server,
    settings,
    django_capture_on_commit_callbacks,
    path,
    private_allowed,
    reason,
):
    settings.DIMOS_OPEN311_MEDIA_PRIVATE_HOSTS = private_allowed
    settings.LANGUAGE_CODE = "en"  # notes from the worker are in the municipality's language
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, valid_post(category, api_key, media_url=photo_server + path))
    assert response.status_code == 201
    report = Report.objects.get()
    assert report.photos.count() == 0
    note = report.updates.get(kind=ReportUpdate.Kind.INTERNAL_NOTE)
    assert reason in note.text and not note.is_public


def test_listings_are_gzip_compressed_for_clients_that_accept_it(client, category):
    import gzip

    for _ in range(30):
        make_report(category, description="Λακκούβα " * 20)
    plain = client.get(ROOT + "requests.json")
    zipped = client.get(ROOT + "requests.json", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"]
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    assert len(zipped.content) < len(plain.content) / 3
    assert gzip.decompress(zipped.content) == plain.content
    assert zipped["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "url",
    [
        "/open311/v2/requests.json?search=%00",
        "/open311/v2/requests.json?service_code=pot%00hole",
        "/open311/v2/services/pot%00hole.json",
    ],
)
def test_a_nul_character_is_a_400_in_the_open311_shape(client, category, url):
    response = client.get(url)
    assert response.status_code == 400, response.content
    assert "NUL" in response.json()[0]["description"]
