"""The CKAN Action API's read side as CKAN 2.10 answers it: the envelope, the error types
``ckanapi`` maps, the ``fq`` forms harvesters send, paging, facets, the datastore; and the
write actions with an API token."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from dimos.accounts.services import issue_api_token
from dimos.core.fulltext import terms_of
from dimos.opendata import services
from dimos.opendata.models import (
    SEARCH_INDEX,
    Dataset,
    DatastoreTable,
    Organization,
    Resource,
    State,
)
from dimos.opendata.tests.catalogue import Catalogue
from dimos.testing.personas import staff

pytestmark = pytest.mark.django_db

FACETS = json.dumps(["organization", "groups", "tags", "res_format", "license_id"])


def call(
    client: Client, action: str, base: str = "/api/3/action/", **params: Any
) -> tuple[int, dict[str, Any]]:
    response = client.get(f"{base}{action}", params)
    assert response["Content-Type"].startswith("application/json")
    return response.status_code, response.json()


def post(
    client: Client, name: str, body: dict[str, Any], **headers: str
) -> tuple[int, dict[str, Any]]:
    response = client.post(
        f"/api/action/{name}", json.dumps(body), content_type="application/json", headers=headers
    )
    return response.status_code, response.json()


def names(result: dict[str, Any]) -> list[str]:
    return [p["name"] for p in result["results"]]


def test_the_envelope_and_both_paths_without_redirects(
    catalogue: Catalogue, client: Client
) -> None:
    for base in ("/api/3/action/", "/api/action/"):
        status, body = call(client, "package_list", base)
        assert status == 200
        assert body["success"] is True
        assert body["help"] == "http://testserver/api/3/action/help_show?name=package_list"
        assert body["result"] == ["air-quality", "disabled-parking", "old-budget"]
    assert client.get("/api/3").json() == {"version": 3}


def test_unknown_keys_are_tolerated_as_ckanapi_dump_sends_them(
    catalogue: Catalogue, client: Client
) -> None:
    status, body = call(
        client,
        "package_list",
        include_private="true",
        include_drafts="true",
        include_deleted="true",
    )
    assert status == 200 and len(body["result"]) == 3
    status, body = call(
        client,
        "package_show",
        id="air-quality",
        include_datasets="true",
        include_password_hash="true",
        include_users="false",
    )
    assert status == 200 and body["result"]["name"] == "air-quality"


def test_package_show_is_a_ckan_package_dict(catalogue: Catalogue, client: Client) -> None:
    _status, body = call(client, "package_show", id=str(catalogue.air.pk))
    package = body["result"]
    for key in (
        "id",
        "name",
        "title",
        "notes",
        "url",
        "version",
        "author",
        "author_email",
        "maintainer",
        "maintainer_email",
        "license_id",
        "license_title",
        "license_url",
        "isopen",
        "type",
        "owner_org",
        "private",
        "state",
        "metadata_created",
        "metadata_modified",
        "extras",
        "tags",
        "num_tags",
        "groups",
        "organization",
        "resources",
        "num_resources",
    ):
        assert key in package, key
    assert package["type"] == "dataset" and package["isopen"] is True
    assert package["title"] == "Ποιότητα αέρα"
    assert package["title_translated"] == {"el": "Ποιότητα αέρα", "en": "Air quality"}
    assert "+" not in package["metadata_modified"] and not package["metadata_modified"].endswith(
        "Z"
    )
    assert package["organization"]["is_organization"] is True
    assert {t["name"] for t in package["tags"]} == {"περιβάλλον", "air"}
    assert package["num_tags"] == 2
    resource = package["resources"][0]
    for key in (
        "id",
        "package_id",
        "url",
        "name",
        "description",
        "format",
        "mimetype",
        "size",
        "hash",
        "position",
        "created",
        "last_modified",
        "metadata_modified",
        "url_type",
        "state",
        "datastore_active",
    ):
        assert key in resource, key
    assert resource["format"] == "CSV" and resource["datastore_active"] is True
    assert resource["url"].startswith("http://testserver/data/air-quality/resource/")
    assert resource["hash"].startswith("sha256:")
    assert client.get(resource["url"].replace("http://testserver", "")).status_code == 200


def test_errors_have_ckans_types_and_statuses(catalogue: Catalogue, client: Client) -> None:
    status, body = call(client, "package_show", id="nothing-here")
    assert status == 404 and body["success"] is False
    assert body["error"] == {"__type": "Not Found Error", "message": "Not found: Dataset not found"}
    status, body = call(client, "package_show", id="private-one")
    assert status == 403 and body["error"]["__type"] == "Authorization Error"
    assert body["error"]["message"].startswith("Access denied: ")
    status, body = call(client, "package_search", rows="1001")
    assert status == 409 and body["error"]["__type"] == "Validation Error"
    assert body["error"]["rows"] == ["Must be less than or equal to 1000"]
    status, body = call(client, "package_search", rows="many")
    assert status == 409 and body["error"]["rows"] == ["Invalid integer"]
    status, body = call(client, "package_search", fq="organization:(unclosed")
    assert status == 400 and body["error"]["__type"] == "Search Query Error"
    status, body = call(client, "package_search", fq="nosuchfield:x")
    assert status == 400 and body["error"]["__type"] == "Search Query Error"
    status, body = call(client, "package_search", sort="metadata_modified sideways")
    assert status == 400 and body["error"]["__type"] == "Search Query Error"
    status, body = call(client, "no_such_action")
    assert status == 400 and isinstance(body["error"], dict)
    status, body = call(client, "package_show")
    assert status == 409 and body["error"] == {
        "__type": "Validation Error",
        "id": ["Missing value"],
    }


def test_drafts_and_private_datasets_stay_hidden(catalogue: Catalogue, client: Client) -> None:
    _status, body = call(
        client, "package_search", q="*:*", rows="100", include_private="true", include_drafts="true"
    )
    assert set(names(body["result"])) == {"air-quality", "disabled-parking", "old-budget"}
    assert call(client, "package_show", id="noise-draft")[0] == 403


def test_search_finds_greek_words_without_accents_and_english_ones(
    catalogue: Catalogue, client: Client
) -> None:
    assert names(call(client, "package_search", q="αερα")[1]["result"]) == ["air-quality"]
    assert names(call(client, "package_search", q="ΣΤΑΘΜΕΥΣΗΣ")[1]["result"]) == [
        "disabled-parking"
    ]
    assert names(call(client, "package_search", q="parking")[1]["result"]) == ["disabled-parking"]
    assert call(client, "package_search", q="nothing matches this")[1]["result"]["count"] == 0


def test_search_matches_word_starts_and_inflections_through_the_full_text_index(
    catalogue: Catalogue, client: Client
) -> None:
    # «σταθμ» is the start of «στάθμευσης»; «στάθμευση» loses its ending and finds it too.
    for q in ("σταθμ", "στάθμευση", "Στάθμευσης ΑμεΑ", "PARK"):
        assert names(call(client, "package_search", q=q)[1]["result"]) == ["disabled-parking"], q
    # Every word must be found.
    assert call(client, "package_search", q="στάθμευση αέρα")[1]["result"]["count"] == 0
    # A title:/text: clause of fq goes through the same index.
    assert names(call(client, "package_search", fq="text:αερας")[1]["result"]) == ["air-quality"]


def test_the_index_follows_edits_and_deletions(catalogue: Catalogue, client: Client) -> None:
    parking = Dataset.objects.get(name="disabled-parking")
    services.update_dataset(
        dataset=parking,
        actor=None,
        values={"title_el": "Θέσεις για ποδήλατα", "notes_el": "Πού δένουμε ποδήλατα."},
        tags=[],
    )
    assert names(call(client, "package_search", q="ποδηλατα")[1]["result"]) == ["disabled-parking"]
    assert call(client, "package_search", q="ΑμεΑ")[1]["result"]["count"] == 0
    # A row deleted by any means leaves the index with it.
    Dataset.objects.filter(name="disabled-parking").delete()
    assert SEARCH_INDEX.count(terms_of("ποδηλατα")) == 0


def test_score_ranks_the_better_match_first_and_otherwise_the_newest(
    catalogue: Catalogue, client: Client
) -> None:
    org = Organization.objects.get(name="environment")
    often = services.create_dataset(
        actor=None,
        values={
            "name": "noise-everywhere",
            "title_el": "Θόρυβος: θόρυβος ανά γειτονιά",
            "notes_el": "Θόρυβος μετρημένος κάθε ώρα.",
            "organization": org,
            "license_id": "CC-BY-4.0",
        },
        state=State.ACTIVE,
    )
    once = services.create_dataset(
        actor=None,
        values={
            "name": "noise-once",
            "title_el": "Μετρήσεις στους δρόμους",
            "notes_el": "Και λίγος θόρυβος.",
            "organization": org,
            "license_id": "CC-BY-4.0",
        },
        state=State.ACTIVE,
    )
    Dataset.objects.filter(pk=once.pk).update(modified=often.modified + dt.timedelta(days=1))
    found = call(client, "package_search", q="θόρυβος")[1]["result"]
    assert names(found) == ["noise-everywhere", "noise-once"]
    newest = call(client, "package_search", q="θόρυβος", sort="metadata_modified desc")[1]
    assert names(newest["result"]) == ["noise-once", "noise-everywhere"]
    # Without words to rank by, score means the newest first (as CKAN's *:*).
    everything = call(client, "package_search", q="*:*", rows="1")[1]["result"]
    assert names(everything) == ["noise-once"]


@pytest.mark.parametrize(
    ("fq", "expected"),
    [
        ("organization:environment", {"air-quality"}),
        (
            "organization:environment OR organization:transport",
            {"air-quality", "disabled-parking", "old-budget"},
        ),
        ("-organization:environment", {"disabled-parking", "old-budget"}),
        ("+organization:transport -tags:budget", {"disabled-parking"}),
        ("groups:environment", {"air-quality"}),
        ('tags:"στάθμευση"', {"disabled-parking"}),
        ("res_format:CSV", {"air-quality"}),
        ("res_format:csv", {"air-quality"}),
        ("license_id:CC0-1.0", {"old-budget"}),
        (
            "organization:(environment OR transport) AND license_id:CC-BY-4.0",
            {"air-quality", "disabled-parking"},
        ),
        (
            "metadata_modified:[2020-05-01T10:00:00.123456Z TO *]",
            {"air-quality", "disabled-parking", "old-budget"},
        ),
        ("metadata_modified:[NOW-30DAYS TO *]", {"air-quality", "disabled-parking"}),
        ("metadata_modified:[* TO NOW-100DAYS]", {"old-budget"}),
        ("+dataset_type:dataset", {"air-quality", "disabled-parking", "old-budget"}),
        ("name:air-quality", {"air-quality"}),
    ],
)
def test_the_fq_forms_harvesters_send(
    catalogue: Catalogue, client: Client, fq: str, expected: set[str]
) -> None:
    status, body = call(client, "package_search", fq=fq, rows="100")
    assert status == 200, body
    assert set(names(body["result"])) == expected


def test_fq_list_and_q_with_fields(catalogue: Catalogue, client: Client) -> None:
    _status, body = call(
        client, "package_search", fq_list=json.dumps(["organization:transport", "tags:budget"])
    )
    assert names(body["result"]) == ["old-budget"]
    _status, body = call(client, "package_search", q="tags:air")
    assert names(body["result"]) == ["air-quality"]


def test_facets_count_what_was_found(catalogue: Catalogue, client: Client) -> None:
    _status, body = call(client, "package_search", **{"facet.field": FACETS, "facet.limit": "10"})
    result = body["result"]
    assert result["facets"]["organization"] == {"transport": 2, "environment": 1}
    assert result["facets"]["res_format"] == {"CSV": 1, "GEOJSON": 1} or result["facets"][
        "res_format"
    ] == {"CSV": 1, "GeoJSON": 1}
    items = result["search_facets"]["organization"]
    assert items["title"] == "organization"
    assert items["items"][0] == {
        "name": "transport",
        "display_name": "Διεύθυνση Κινητικότητας",
        "count": 2,
    }
    assert result["facets"]["license_id"] == {"CC-BY-4.0": 2, "CC0-1.0": 1}
    _status, body = call(
        client, "package_search", fq="organization:environment", **{"facet.field": FACETS}
    )
    assert body["result"]["facets"]["organization"] == {"environment": 1}


def test_a_harvester_pages_by_id_and_never_sees_a_page_twice(
    catalogue: Catalogue, client: Client
) -> None:
    from dimos.opendata import services
    from dimos.opendata.models import Organization

    org = Organization.objects.get(name="environment")
    for i in range(23):
        services.create_dataset(
            actor=None,
            values={"name": f"extra-{i:02d}", "title_el": f"Σύνολο {i}", "organization": org},
            state=State.ACTIVE,
        )
    seen: list[str] = []
    pages: list[list[str]] = []
    start = 0
    while True:
        _status, body = call(
            client,
            "package_search",
            rows="10",
            start=str(start),
            sort="id asc",
            fq="metadata_modified:[2000-01-01T00:00:00Z TO *]",
        )
        page = [p["id"] for p in body["result"]["results"]]
        if not page:
            break
        assert page not in pages
        pages.append(page)
        seen += page
        start += 10
    assert len(seen) == len(set(seen)) == 26
    assert seen == sorted(seen)


def test_organizations_groups_tags_licences_status_help(
    catalogue: Catalogue, client: Client
) -> None:
    # By title, as CKAN sorts by default («Διεύθυνση Κ…» before «Διεύθυνση Π…»).
    assert call(client, "organization_list")[1]["result"] == ["transport", "environment"]
    orgs = call(client, "organization_list", all_fields="true", sort="package_count desc")[1][
        "result"
    ]
    assert orgs[0]["name"] == "transport" and orgs[0]["package_count"] == 2
    org = call(client, "organization_show", id="environment", include_datasets="true")[1]["result"]
    assert org["package_count"] == 1 and [p["name"] for p in org["packages"]] == ["air-quality"]
    assert call(client, "organization_show", id="nope")[0] == 404
    groups = call(client, "group_list", all_fields="true")[1]["result"]
    assert {g["name"] for g in groups} >= {"environment", "transport"}
    group = call(client, "group_show", id="transport")[1]["result"]
    assert group["package_count"] == 1 and group["is_organization"] is False
    assert set(call(client, "tag_list")[1]["result"]) == {
        "air",
        "budget",
        "περιβάλλον",
        "στάθμευση",
    }
    assert call(client, "tag_list", query="στα")[1]["result"] == ["στάθμευση"]
    assert call(client, "tag_list", vocabulary_id="x")[1]["result"] == []
    licences = {lic["id"] for lic in call(client, "license_list")[1]["result"]}
    assert {"CC-BY-4.0", "CC0-1.0", "ODbL-1.0"} <= licences
    status = call(client, "status_show")[1]["result"]
    assert status["ckan_version"].startswith("2.10") and status["locale_default"] == "el"
    assert "datastore" in status["extensions"]
    assert "Search the datasets" in call(client, "help_show", name="package_search")[1]["result"]
    resource = call(client, "resource_show", id=str(catalogue.air_csv.pk))[1]["result"]
    assert resource["package_id"] == str(catalogue.air.pk)
    assert call(client, "resource_show", id="not-a-uuid")[0] == 404


def test_datastore_search(catalogue: Catalogue, client: Client) -> None:
    rid = str(catalogue.air_csv.pk)
    status, body = call(client, "datastore_search", resource_id=rid)
    result = body["result"]
    assert status == 200
    assert result["fields"][0] == {"id": "_id", "type": "int"}
    assert {f["id"]: f["type"] for f in result["fields"]} == {
        "_id": "int",
        "station": "text",
        "date": "timestamp",
        "pm10": "text",
        "no2": "int",
        "note": "text",
    }
    assert result["total"] == 5 and len(result["records"]) == 5
    assert result["_links"]["start"].startswith("/api/action/datastore_search?")
    _s, body = call(
        client,
        "datastore_search",
        resource_id=rid,
        filters=json.dumps({"station": "egnatia"}),
        sort="no2 desc",
    )
    assert [r["no2"] for r in body["result"]["records"]] == [40, 38]
    assert body["result"]["total"] == 2
    _s, body = call(
        client,
        "datastore_search",
        resource_id=rid,
        filters=json.dumps({"no2": [29, 31]}),
        fields="station,no2",
    )
    assert body["result"]["records"] == [
        {"station": "kalamaria", "no2": 31},
        {"station": "kalamaria", "no2": 29},
    ]
    _s, body = call(client, "datastore_search", resource_id=rid, q="ΕΚΤΟΣ")
    assert [r["_id"] for r in body["result"]["records"]] == [4]
    _s, body = call(
        client, "datastore_search", resource_id=rid, limit="2", offset="2", records_format="lists"
    )
    assert [r[0] for r in body["result"]["records"]] == [3, 4]
    _s, body = call(
        client,
        "datastore_search",
        resource_id=rid,
        limit="1",
        records_format="csv",
        fields="station,no2",
    )
    assert body["result"]["records"] == "egnatia,40\r\n"
    status, body = call(client, "datastore_search", resource_id=rid, sort="missing asc")
    assert status == 409 and body["error"]["sort"] == ['field "missing" not in fields']
    status, body = call(client, "datastore_search", resource_id=rid, limit="32001")
    assert status == 409 and "limit" in body["error"]
    status, body = call(client, "datastore_search", resource_id=rid, filters="{not json")
    assert status == 409
    _s, body = call(
        client, "datastore_search", resource_id=rid, filters=json.dumps({"no2": "many"})
    )
    assert body["result"]["records"] == [] and body["result"]["total"] == 0
    assert (
        call(client, "datastore_search", resource_id=str(catalogue.parking.resources.get().pk))[0]
        == 404
    )


def test_post_json_and_form_without_csrf(catalogue: Catalogue) -> None:
    client = Client(enforce_csrf_checks=True)
    status, body = post(
        client, "package_search", {"q": "αέρα", "rows": 5, "facet.field": ["organization"]}
    )
    assert status == 200 and names(body["result"]) == ["air-quality"]
    response = client.post("/api/action/package_show", {"id": "air-quality"})
    assert response.status_code == 200
    response = client.post("/api/action/package_show", "{broken", content_type="application/json")
    assert response.status_code == 400 and response.json()["success"] is False


@pytest.fixture
def publisher_key(db: Any) -> str:
    user = staff("publisher@example.org", "open_data_publisher")
    _token, raw = issue_api_token(user=user, name="script", actor=user)
    return raw


def test_writes_need_a_publishers_token(
    catalogue: Catalogue, client: Client, publisher_key: str
) -> None:
    body = {"name": "bins", "title": "Κάδοι", "owner_org": "environment"}
    status, answer = post(client, "package_create", body)
    assert status == 403 and answer["error"]["__type"] == "Authorization Error"
    status, answer = post(client, "package_create", body, Authorization="dmt_wrong")
    assert status == 403
    citizen_token = issue_api_token(user=staff("clerk2@example.org"), name="x", actor=None)[1]
    assert post(client, "package_create", body, Authorization=citizen_token)[0] == 403
    assert client.get("/api/action/package_create", {"name": "x"}).status_code == 400


def test_package_create_update_and_resource_create(
    catalogue: Catalogue, client: Client, publisher_key: str
) -> None:
    status, answer = post(
        client,
        "package_create",
        {
            "name": "bins",
            "title": "Κάδοι ανακύκλωσης",
            "notes": "Οι μπλε κάδοι.",
            "owner_org": "environment",
            "license_id": "ODbL-1.0",
            "tags": [{"name": "ανακύκλωση"}],
            "groups": [{"name": "environment"}],
            "resources": [
                {"url": "https://example.org/bins.csv", "name": "Κάδοι", "format": "CSV"}
            ],
            "extras": [{"key": "anything", "value": "ignored"}],
        },
        **{"X-CKAN-API-Key": publisher_key},
    )
    assert status == 200, answer
    package = answer["result"]
    assert (
        package["name"] == "bins"
        and package["license_id"] == "ODbL-1.0"
        and package["state"] == "active"
    )
    assert package["resources"][0]["url"] == "https://example.org/bins.csv"
    status, answer = post(
        client,
        "package_create",
        {"name": "bins", "title": "Again", "owner_org": "environment"},
        Authorization=publisher_key,
    )
    assert (
        status == 409
        and answer["error"]["__type"] == "Validation Error"
        and "name" in answer["error"]
    )
    status, answer = post(
        client, "package_create", {"name": "x y", "title": ""}, Authorization=publisher_key
    )
    assert status == 409 and {"name", "title", "owner_org"} <= set(answer["error"])
    status, answer = post(
        client,
        "package_update",
        {"id": "bins", "title": "Κάδοι (νέοι)", "version": "2"},
        Authorization=publisher_key,
    )
    assert (
        status == 200
        and answer["result"]["title"] == "Κάδοι (νέοι)"
        and answer["result"]["version"] == "2"
    )
    assert answer["result"]["license_id"] == "ODbL-1.0"
    assert Dataset.objects.get(name="bins").changes.count() >= 2
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/api/action/resource_create",
        {
            "package_id": "bins",
            "name": "Λίστα",
            "upload": SimpleUploadedFile(
                "bins.csv",
                b"street,bins\n\xce\x95\xce\xb3\xce\xbd\xce\xb1\xcf\x84\xce\xaf\xce\xb1,4\n",
            ),
        },
        headers={"Authorization": publisher_key},
    )
    assert response.status_code == 200, response.json()
    resource = Resource.objects.get(pk=response.json()["result"]["id"])
    assert resource.format == "CSV"
    # The table is loaded by a task after the commit; here the test loads it as the task would.
    from dimos.opendata import services

    services.load_datastore(resource_id=str(resource.pk))
    assert DatastoreTable.objects.get(resource=resource).total == 1


def test_anonymous_reads_are_kept_until_the_catalogue_changes(
    catalogue: Catalogue, client: Client
) -> None:
    from dimos.opendata import services

    first = client.get("/api/3/action/package_list")
    again = client.get("/api/3/action/package_list")
    assert again["X-Dimos-Cache"] == "hit" and again.json() == first.json()
    services.create_dataset(
        actor=None,
        values={"name": "new-one", "title_el": "Νέο", "organization": catalogue.env},
        state=State.ACTIVE,
    )
    assert "new-one" in client.get("/api/3/action/package_list").json()["result"]
    assert call(client, "package_show", id="nothing-here")[0] == 404  # errors are never kept
    assert call(client, "package_show", id="nothing-here")[0] == 404
