"""The public pages, the forms, the votes by button, the moderators' pages, results and API."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dimos.ideas.models import Comment, Idea, IdeaStatus, Vote
from dimos.ideas.tests.conftest import make_competition, make_idea, resident
from dimos.ideas.tests.test_services import exif_jpeg
from dimos.testing.personas import login

pytestmark = pytest.mark.django_db


def test_public_pages_in_greek_and_english(client: Any, voting: Any) -> None:
    idea = make_idea(voting, lat=40.63, lon=22.94, place_name="Κέντρο")
    urls = [
        reverse("ideas:index"),
        reverse("ideas:competition", args=[voting.slug]),
        reverse("ideas:themes", args=[voting.slug]),
        reverse("ideas:rules", args=[voting.slug]),
        reverse("ideas:prizes", args=[voting.slug]),
        reverse("ideas:ideas", args=[voting.slug]) + "?sort=newest",
        reverse("ideas:idea", args=[voting.slug, idea.pk]),
        reverse("ideas:results", args=[voting.slug]),
    ]
    for url in urls:
        greek = client.get(url, HTTP_ACCEPT_LANGUAGE="el")
        assert greek.status_code == 200, url
    page = client.get(urls[1]).content.decode()
    assert "Δημόσια ψηφοφορία" in page and "Χρονοδιάγραμμα" in page
    english = client.get(urls[6], HTTP_COOKIE="django_language=en", HTTP_ACCEPT_LANGUAGE="en")
    assert "openstreetmap.org/?mlat=40.630000" in english.content.decode()
    assert client.get(reverse("ideas:idea", args=[voting.slug, 999999])).status_code == 404
    bad = client.get(reverse("ideas:ideas", args=[voting.slug]) + "?theme=banana")
    assert bad.status_code == 400


def test_a_resident_proposes_an_idea_by_the_form_and_sees_it_in_mine(submission: Any) -> None:
    author = resident("form@example.org")
    browser = login(author)
    url = reverse("ideas:submit", args=[submission.slug])
    empty = browser.post(url, {"title": "", "description": ""})
    assert empty.status_code == 400
    half = browser.post(
        url,
        {
            "theme": submission.themes.first().pk,
            "title": "Σκιά στην παραλία",
            "description": "Δέντρα.",
            "lat": "40.6",
        },
    )
    assert half.status_code == 400 and "γεωγραφικό" in half.content.decode()
    sent = browser.post(
        url,
        {
            "theme": submission.themes.first().pk,
            "title": "Σκιά στην παραλία",
            "description": "Δέντρα και παγκάκια.",
            "lat": "40.6",
            "lon": "22.95",
            "image": SimpleUploadedFile("me.jpg", exif_jpeg(), content_type="image/jpeg"),
            "image_alt": "Η παραλία",
        },
    )
    assert sent.status_code == 302
    idea = Idea.objects.get(author=author)
    assert idea.status == IdeaStatus.SUBMITTED
    mine = browser.get(reverse("ideas:mine")).content.decode()
    assert "Σκιά στην παραλία" in mine and "Σε αναμονή ελέγχου" in mine
    # Its image is not public yet; its author sees it.
    image_url = reverse("ideas:image", args=[submission.slug, idea.pk])
    assert login(resident("other@example.org")).get(image_url).status_code == 404
    assert browser.get(image_url).status_code == 200
    again = browser.post(
        url,
        {"theme": submission.themes.first().pk, "title": "Σκιά στην παραλία", "description": "x"},
    )
    assert again.status_code == 400 and "ήδη" in again.content.decode()
    withdraw = reverse("ideas:withdraw", args=[submission.slug, idea.pk])
    assert browser.get(withdraw).status_code == 200
    browser.post(withdraw)
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.WITHDRAWN


def test_voting_by_the_buttons_with_clear_messages(voting: Any) -> None:
    idea = make_idea(voting)
    voter = resident("button@example.org")
    browser = login(voter)
    cast = reverse("ideas:vote", args=[voting.slug, idea.pk, "cast"])
    back = reverse("ideas:vote", args=[voting.slug, idea.pk, "take-back"])
    page = browser.post(cast, follow=True).content.decode()
    assert "Η ψήφος σας μετρήθηκε" in page
    page = browser.post(cast, follow=True).content.decode()
    assert "Έχετε ήδη ψηφίσει αυτή την ιδέα" in page
    assert Idea.objects.get(pk=idea.pk).votes_count == 1
    page = browser.post(back, follow=True).content.decode()
    assert "Η ψήφος σας πάρθηκε πίσω" in page
    assert Idea.objects.get(pk=idea.pk).votes_count == 0
    assert browser.get(cast).status_code == 405
    anonymous = login(resident("x@example.org"))
    anonymous.logout()
    assert anonymous.post(cast).status_code == 302  # to the login page, nothing counted
    assert not Vote.objects.exists()


def test_moderators_publish_reject_and_merge_with_reasons(voting: Any, moderator: Any) -> None:
    author = resident("author@example.org")
    idea = make_idea(voting, author, status=IdeaStatus.SUBMITTED, published_at=None)
    target = make_idea(voting, title="Ποδηλατόδρομος στην παραλία")
    staff = login(moderator)
    assert staff.get(reverse("ideas_staff:index")).status_code == 200
    url = reverse("ideas_staff:idea", args=[idea.pk])
    no_reason = staff.post(url, {"action": "publish", "reason": ""})
    assert no_reason.status_code == 400
    no_target = staff.post(url, {"action": "merge", "reason": "Ίδια"})
    assert no_target.status_code == 400
    merged = staff.post(url, {"action": "merge", "merge_into": target.pk, "reason": "Ίδια"})
    assert merged.status_code == 302
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.MERGED and idea.moderation_reason == "Ίδια"
    assert "Ίδια" in login(author).get(reverse("ideas:mine")).content.decode()
    assert login(author).get(reverse("ideas_staff:index")).status_code in (302, 403)
    comment = Comment.objects.create(idea=target, author=author, body="Ωραίο")
    hide = reverse("ideas_staff:comment", args=[comment.pk])
    assert staff.post(hide, {"action": "hide", "reason": ""}).status_code == 400
    assert staff.post(hide, {"action": "publish"}).status_code == 302
    assert "Ωραίο" in login(author).get(target.get_absolute_url()).content.decode()


def test_results_download_as_csv_json_and_svg(client: Any) -> None:
    past = make_competition("results", slug="past")
    make_idea(past)
    url = reverse("ideas:results", args=[past.slug])
    assert client.get(url).status_code == 200
    csv = client.get(url + "?chart=votes-per-theme&format=csv")
    if csv.status_code == 404:  # the chart's slug is its title's
        csv = client.get(url + "?chart=themes&format=csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    early = make_competition("submission", slug="early")
    assert client.get(reverse("ideas:results", args=[early.slug])).status_code == 404


def test_the_api_lists_competitions_and_ideas_with_counts_never_voters(
    client: Any, voting: Any
) -> None:
    idea = make_idea(voting)
    Vote.objects.create(competition=voting, idea=idea, person=resident("v@example.org"), slot=1)
    Idea.objects.filter(pk=idea.pk).update(votes_count=1)
    competitions = client.get("/api/v1/ideas/competitions").json()
    assert competitions["items"][0]["phase"] == "voting"
    assert competitions["items"][0]["open"]["voting"] is True
    listed = client.get(f"/api/v1/ideas/competitions/{voting.slug}/ideas").json()
    assert listed["items"][0]["votes"] == 1
    assert "v@example.org" not in json.dumps(listed)
    assert client.get("/api/v1/ideas/competitions/nope").status_code == 404
    bad = client.get(f"/api/v1/ideas/competitions/{voting.slug}/ideas?sort=x")
    assert bad.status_code == 400 and bad.json()["error"]["code"]


def test_votes_through_the_api_answer_in_the_error_shape(voting: Any) -> None:
    from dimos.accounts.models import ApiToken

    idea = make_idea(voting)
    voter = resident("api@example.org")
    raw, prefix, digest = ApiToken.generate()
    ApiToken.objects.create(user=voter, name="t", key_prefix=prefix, key_hash=digest)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    from django.test import Client

    api = Client()
    url = f"/api/v1/ideas/ideas/{idea.pk}/vote"
    first = api.post(url, **auth)
    assert first.status_code == 201 and first.json()["status"] == "voted"
    assert first.json()["votes"] == 1 and first.json()["votes_left"] == 2
    twice = api.post(url, **auth)
    assert twice.status_code == 400 and twice.json()["error"]["code"] == "already_voted"
    back = api.delete(url, **auth)
    assert back.status_code == 200 and back.json()["votes"] == 0
    assert api.delete(url, **auth).json()["error"]["code"] == "not_voted"
    assert api.post(url).status_code == 401
    assert api.post("/api/v1/ideas/ideas/999999/vote", **auth).status_code == 404
