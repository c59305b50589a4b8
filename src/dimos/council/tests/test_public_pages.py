"""The council's public pages: the front page, a body (list and calendar), a meeting, people."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dimos.council import freshness
from dimos.council.models import Meeting, MeetingState, Person
from dimos.council.tests import visitor_data
from dimos.council.tests.visitor_data import Council

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_council(municipality: Any) -> Council:
    return visitor_data.council()


def test_front_page_lists_bodies_and_upcoming_and_past_meetings(
    client: Client, public_council: Council
) -> None:
    html = client.get("/council/").content.decode()
    assert "Δημοτικό Συμβούλιο" in html
    assert public_council.upcoming.get_absolute_url() in html
    assert public_council.held.get_absolute_url() in html
    assert "Σε εξέλιξη" not in html


def test_body_page_shows_the_month_calendar_with_its_meetings(
    client: Client, public_council: Council
) -> None:
    month = timezone.localtime(public_council.upcoming.start).strftime("%Y-%m")
    page = client.get(f"/council/bodies/dimotiko-symvoulio/?month={month}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<table" in html
    assert "Συνεδρίαση 2/" in html
    assert public_council.upcoming.get_absolute_url() in html


def test_body_page_ignores_a_month_that_is_not_one(client: Client, public_council: Council) -> None:
    for month in ("2026-13", "abc", "99999-1"):
        assert client.get(f"/council/bodies/dimotiko-symvoulio/?month={month}").status_code == 200


def test_body_page_paginates_past_meetings(client: Client, public_council: Council) -> None:
    start = public_council.held.start
    for number in range(3, 30):
        visitor_data.meeting(
            public_council.body,
            number,
            start - timedelta(days=number * 3),
            state=MeetingState.HELD,
        )
    first = client.get("/council/bodies/dimotiko-symvoulio/").content.decode()
    assert "Σελίδα 1 από 2" in first
    second = client.get("/council/bodies/dimotiko-symvoulio/?page=2")
    assert second.status_code == 200
    assert client.get("/council/bodies/dimotiko-symvoulio/?page=99").status_code == 200


def test_a_faction_or_a_deleted_body_has_no_page(client: Client, public_council: Council) -> None:
    assert client.get("/council/bodies/proodos/").status_code == 404
    public_council.body.soft_delete()
    assert client.get("/council/bodies/dimotiko-symvoulio/").status_code == 404


def test_meeting_page_shows_agenda_decision_ada_votes_and_papers(
    client: Client, public_council: Council
) -> None:
    page = client.get(public_council.held.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("Approval of the municipal budget") < html.index("Upkeep of the Serres")
    assert "17/" in html
    assert "https://diavgeia.gov.gr/decision/view/Ψ4Ω2ΩΞΑ-8ΑΒ" in html
    assert "For 2, Against 1, Abstain 0, Absent 0" in html
    assert "Draft budget" in html
    assert public_council.members[0].get_absolute_url() in html  # the rapporteur


def test_meeting_page_counts_the_votes_and_links_to_the_names(
    client: Client, public_council: Council
) -> None:
    html = client.get(public_council.held.get_absolute_url()).content.decode()
    votes_url = f"/council/items/{public_council.budget.pk}/votes/"
    assert f'href="{votes_url}"' in html
    assert "Πώς ψήφισε κάθε μέλος στο θέμα 1" in html
    # The names are on the item's page, not here: a council of 41 on 25 items is 1,000 names.
    assert public_council.members[2].get_absolute_url() not in html
    # An item without a roll of votes has no link to one.
    assert f"/council/items/{public_council.school.pk}/votes/" not in html


def test_item_votes_page_names_each_member_under_their_vote(
    client: Client, public_council: Council
) -> None:
    page = client.get(
        f"/council/items/{public_council.budget.pk}/votes/", HTTP_ACCEPT_LANGUAGE="en"
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Votes on item 1" in html
    assert "Approval of the municipal budget" in html
    for_, against = html.index('id="vote-for"'), html.index('id="vote-against"')
    first, third = public_council.members[0], public_council.members[2]
    assert for_ < html.index(first.get_absolute_url()) < against
    assert against < html.index(third.get_absolute_url()) < html.index('id="vote-abstain"')
    assert "For (2)" in html and "Against (1)" in html and "Abstain (0)" in html
    assert public_council.held.get_absolute_url() in html  # the way back


def test_item_votes_page_of_an_item_without_votes_says_so(
    client: Client, public_council: Council
) -> None:
    html = client.get(f"/council/items/{public_council.school.pk}/votes/").content.decode()
    assert "Δεν καταγράφηκαν ψήφοι σε αυτό το θέμα." in html


def test_item_votes_page_of_a_deleted_item_or_meeting_is_not_found(
    client: Client, public_council: Council
) -> None:
    url = f"/council/items/{public_council.budget.pk}/votes/"
    public_council.budget.soft_delete()
    assert client.get(url).status_code == 404
    url = f"/council/items/{public_council.school.pk}/votes/"
    public_council.held.soft_delete()
    assert client.get(url).status_code == 404


def test_a_closed_session_item_shows_its_number_and_name_only(
    client: Client, public_council: Council
) -> None:
    item = public_council.budget
    item.public = False
    item.save()
    html = client.get(public_council.held.get_absolute_url()).content.decode()
    assert "Έγκριση προϋπολογισμού του Δήμου" in html
    assert "κεκλεισμένων των θυρών" in html
    for secret in ("Εισήγηση για τον προϋπολογισμό.", "Ψ4Ω2ΩΞΑ-8ΑΒ", "Εγκρίνει τον", "t=600s"):
        assert secret not in html
    assert f"/council/items/{item.pk}/votes/" not in html
    assert client.get(f"/council/items/{item.pk}/votes/").status_code == 404
    person = client.get(public_council.members[2].get_absolute_url()).content.decode()
    assert "Έγκριση προϋπολογισμού του Δήμου" not in person  # nor how a member voted on it


def test_meeting_page_links_each_item_to_its_time_code(
    client: Client, public_council: Council
) -> None:
    html = client.get(public_council.held.get_absolute_url()).content.decode()
    assert "https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=600s" in html
    assert "youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0&amp;start=600" in html
    assert "(από 10:00)" in html


def test_meeting_page_loads_nothing_from_the_provider_before_a_click(
    client: Client, public_council: Council
) -> None:
    page = client.get(public_council.held.get_absolute_url())
    html = page.content.decode()
    assert "<iframe" not in html
    assert "ytimg" not in html
    assert "frame-src https://www.youtube-nocookie.com" in page["Content-Security-Policy"]


def test_only_the_meeting_page_lets_a_player_in(client: Client, public_council: Council) -> None:
    assert "frame-src" not in client.get("/council/")["Content-Security-Policy"]


def test_cancelled_meeting_shows_its_reason_and_no_video(
    client: Client, public_council: Council
) -> None:
    meeting = public_council.held
    Meeting.objects.filter(pk=meeting.pk).update(
        state=MeetingState.CANCELLED, cancel_reason="Έλλειψη απαρτίας."
    )
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Έλλειψη απαρτίας." in html
    assert "council-player" not in html


def test_meeting_page_query_count_does_not_grow_with_items(
    client: Client, public_council: Council
) -> None:
    url = public_council.held.get_absolute_url()
    client.get(url)
    freshness.changed()  # the page is drawn again, not taken from the cache
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for order in range(2, 12):
        visitor_data.item(public_council.held, order, f"Θέμα {order}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as cached:
        assert client.get(url)["X-Dimos-Cache"] == "hit"
    assert len(cached) <= 2


def test_a_deleted_meeting_is_not_found(client: Client, public_council: Council) -> None:
    public_council.held.soft_delete()
    assert client.get(public_council.held.get_absolute_url()).status_code == 404


def test_person_page_shows_memberships_attendance_and_votes(
    client: Client, public_council: Council
) -> None:
    member = public_council.members[2]
    page = client.get(member.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Change" in html  # the faction
    assert "Present at 0 of the 1 meeting" in html
    assert "Approval of the municipal budget" in html
    assert "Against" in html


def test_attendance_counts_only_meetings_held_while_a_member(
    client: Client, public_council: Council
) -> None:
    late = visitor_data.person("neos-melos", "Νίκος", "Νέος")
    from dimos.council.models import Membership

    Membership.objects.create(
        person=late,
        organization=public_council.body,
        start_date=timezone.localdate() - timedelta(days=1),
    )
    html = client.get(late.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No meeting of their bodies has been held while they were a member." in html


def test_people_list_shows_current_members(client: Client, public_council: Council) -> None:
    html = client.get("/council/people/").content.decode()
    for member in public_council.members:
        assert member.get_absolute_url() in html
    assert client.get("/council/people/nobody/").status_code == 404
    Person.objects.filter(slug="eleni-georgiou").update(deleted=True)
    assert client.get("/council/people/eleni-georgiou/").status_code == 404


def test_a_meeting_page_from_the_cache_still_lets_the_player_in(
    client: Client, public_council: Council
) -> None:
    url = public_council.held.get_absolute_url()
    first, second = client.get(url), client.get(url)
    assert second["X-Dimos-Cache"] == "hit"
    for response in (first, second):
        assert "https://www.youtube-nocookie.com" in response["Content-Security-Policy"]


def test_a_visitor_without_cookies_gets_the_kept_meeting_page(public_council: Council) -> None:
    # A crawler or a first visit has no cookies: the page it gets is drawn once, then kept.
    url = public_council.held.get_absolute_url()
    first = Client().get(url)
    assert not first.cookies
    with CaptureQueriesContext(connection) as queries:
        again = Client().get(url)
    assert again["X-Dimos-Cache"] == "hit"
    assert len(queries) <= 2
    votes = f"/council/items/{public_council.budget.pk}/votes/"
    Client().get(votes)
    assert Client().get(votes)["X-Dimos-Cache"] == "hit"
