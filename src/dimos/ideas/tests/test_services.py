"""Ideas, moderation, comments and votes through the services: the rules and the refusals."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ExifTags, Image

from dimos.core.models import Notification
from dimos.ideas import services
from dimos.ideas.models import Comment, IdeaStatus, Vote, VoteAnomaly
from dimos.ideas.tests.conftest import make_competition, make_idea, resident

pytestmark = pytest.mark.django_db


def exif_jpeg() -> bytes:
    image = Image.new("RGB", (80, 60), "green")
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "SecretCam 3000"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (41.0, 5.0, 30.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (23.0, 33.0, 0.0),
    }
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _submit(competition: Any, author: Any, **fields: Any) -> Any:
    values: dict[str, Any] = {
        "author": author,
        "competition": competition,
        "theme": competition.themes.first(),
        "title": "Παγκάκια στην παραλία",
        "description": "Σκιά και παγκάκια κάθε 200 μέτρα.",
        **fields,
    }
    return services.submit_idea(**values)


def test_a_submitted_idea_waits_and_its_image_keeps_no_exif(submission: Any) -> None:
    author = resident("author@example.org")
    idea = _submit(
        submission,
        author,
        lat=41.09,
        lon=23.55,
        image=SimpleUploadedFile("IMG_1.jpg", exif_jpeg(), content_type="image/jpeg"),
        image_alt="Η παραλία",
    )
    assert idea.status == IdeaStatus.SUBMITTED and idea.submitted_at
    with idea.image.open("rb") as handle, Image.open(handle) as stored:
        assert not stored.getexif()
    assert "IMG_1" not in idea.image.name


def test_refusals_of_a_submission(submission: Any, voting: Any) -> None:
    author = resident("author@example.org")
    _submit(submission, author)
    with pytest.raises(services.IdeaError) as twice:
        _submit(submission, author, title="  παγκάκια στην  παραλία ")
    assert twice.value.code == "duplicate"
    with pytest.raises(services.IdeaError) as closed:
        _submit(voting, author)
    assert closed.value.code == "closed"
    from dimos.testing.factories import UserFactory

    unconfirmed = UserFactory.create(email="new@example.org")
    with pytest.raises(services.IdeaError) as email:
        _submit(submission, unconfirmed, title="Άλλη")
    assert email.value.code == "email_unconfirmed"
    with pytest.raises(services.IdeaError) as big:
        _submit(
            submission,
            author,
            title="Τρίτη",
            image=SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg"),
            image_alt="κάτι",
        )
    assert big.value.code == "bad_image"


def test_eid_is_required_when_the_municipality_says_so(submission: Any, settings: Any) -> None:
    author = resident("author@example.org")
    assert services.verification_problem(author) is None
    settings.DIMOS_IDEAS_REQUIRE_EID = True
    problem = services.verification_problem(author)
    assert problem is not None and problem.code == "eid_required"
    author.identity_verified = True
    assert services.verification_problem(author) is None


def test_moderation_always_gives_a_reason_and_tells_the_author(submission: Any) -> None:
    author = resident("author@example.org")
    moderator = resident("mod@example.org")
    idea = _submit(submission, author)
    with pytest.raises(services.IdeaError) as no_reason:
        services.publish_idea(idea=idea, actor=moderator, reason="  ")
    assert no_reason.value.code == "reason_required"
    services.publish_idea(idea=idea, actor=moderator, reason="Σαφής και εφικτή.")
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.PUBLISHED and idea.moderation_reason == "Σαφής και εφικτή."
    note = Notification.objects.get(recipient=author, kind="ideas.moderated")
    assert "Παγκάκια" in note.subject
    duplicate = _submit(submission, resident("other@example.org"), title="Παγκάκια ξανά")
    services.merge_idea(idea=duplicate, into=idea, actor=moderator, reason="Το ίδιο.")
    duplicate.refresh_from_db()
    assert duplicate.status == IdeaStatus.MERGED and duplicate.merged_into == idea


def test_an_author_edits_until_voting_and_the_edit_goes_back_to_moderation(
    submission: Any,
) -> None:
    author = resident("author@example.org")
    idea = make_idea(submission, author)
    services.edit_idea(
        idea=idea,
        actor=author,
        theme=idea.theme,
        title="Ποδηλατόδρομος στην παραλία",
        description="Νέα περιγραφή",
    )
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED and idea.title.endswith("παραλία")
    voting = make_competition("voting", slug="v2")
    late = make_idea(voting, author)
    with pytest.raises(services.IdeaError) as closed:
        services.edit_idea(idea=late, actor=author, theme=late.theme, title="x", description="y")
    assert closed.value.code == "closed"


def test_votes_one_per_idea_within_the_limit_and_taken_back(voting: Any) -> None:
    person = resident("voter@example.org")
    ideas = [make_idea(voting, title=f"Ιδέα {n}") for n in range(4)]
    services.vote(idea=ideas[0], person=person)
    with pytest.raises(services.IdeaError) as twice:
        services.vote(idea=ideas[0], person=person)
    assert twice.value.code == "already_voted"
    services.vote(idea=ideas[1], person=person)
    services.vote(idea=ideas[2], person=person)
    with pytest.raises(services.IdeaError) as over:
        services.vote(idea=ideas[3], person=person)
    assert over.value.code == "limit" and "3" in str(over.value)
    assert services.unvote(idea=ideas[1], person=person)
    assert not services.unvote(idea=ideas[1], person=person)  # nothing counted twice
    services.vote(idea=ideas[3], person=person)
    counts = {i.pk: i.votes_count for i in type(ideas[0]).objects.filter(competition=voting)}
    assert counts == {ideas[0].pk: 1, ideas[1].pk: 0, ideas[2].pk: 1, ideas[3].pk: 1}
    assert Vote.objects.filter(person=person).count() == 3


def test_votes_only_in_the_voting_phase_and_never_for_a_withdrawn_idea(
    submission: Any, voting: Any
) -> None:
    person = resident("voter@example.org")
    early = make_idea(submission)
    with pytest.raises(services.IdeaError) as not_yet:
        services.vote(idea=early, person=person)
    assert not_yet.value.code == "not_yet"
    author = resident("author@example.org")
    idea = make_idea(voting, author)
    services.vote(idea=idea, person=person)
    services.withdraw_idea(idea=idea, actor=author)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.WITHDRAWN and idea.votes_count == 0
    assert not Vote.objects.filter(person=person).exists()  # the vote is given back
    with pytest.raises(services.IdeaError) as withdrawn:
        services.vote(idea=idea, person=resident("late@example.org"))
    assert withdrawn.value.code == "withdrawn"
    past = make_competition("results", slug="past")
    with pytest.raises(services.IdeaError) as over:
        services.vote(idea=make_idea(past), person=person)
    assert over.value.code == "voting_closed"
    with pytest.raises(services.IdeaError):
        services.unvote(idea=make_idea(past, title="Άλλη"), person=person)


def test_a_merge_moves_votes_without_counting_anyone_twice(voting: Any) -> None:
    moderator = resident("mod@example.org")
    target = make_idea(voting, title="Ποδηλατόδρομος")
    duplicate = make_idea(voting, title="Ποδηλατόδρομος 2")
    both, only_dup, only_target = (resident(f"p{n}@example.org") for n in range(3))
    for person, idea in ((both, target), (both, duplicate), (only_dup, duplicate)):
        services.vote(idea=idea, person=person)
    services.vote(idea=target, person=only_target)
    services.merge_idea(idea=duplicate, into=target, actor=moderator, reason="Ίδια πρόταση")
    target.refresh_from_db()
    assert target.votes_count == 3 == Vote.objects.filter(idea=target).count()
    assert Vote.objects.filter(person=both).count() == 1


def test_a_burst_of_new_accounts_is_flagged_for_staff(voting: Any, settings: Any) -> None:
    from dimos.ideas.conf import conf

    idea = make_idea(voting)
    for n in range(conf.ANOMALY_VOTES):
        services.vote(idea=idea, person=resident(f"fresh{n}@example.org"))
    anomaly = VoteAnomaly.objects.get(idea=idea)
    assert anomaly.votes == conf.ANOMALY_VOTES == anomaly.new_accounts
    old = resident("old@example.org", date_joined=timezone.now() - dt.timedelta(days=400))
    other = make_idea(voting, title="Άλλη")
    services.vote(idea=other, person=old)
    assert not VoteAnomaly.objects.filter(idea=other).exists()


def test_comments_wait_for_moderation_and_hidden_ones_carry_a_reason(voting: Any) -> None:
    idea = make_idea(voting)
    author = resident("c@example.org")
    moderator = resident("mod@example.org")
    first = services.comment(idea=idea, author=author, body="Καλή ιδέα!")
    again = services.comment(idea=idea, author=author, body="Καλή ιδέα!")
    assert first.pk == again.pk and first.status == "pending"
    with pytest.raises(services.IdeaError):
        services.moderate_comment(comment=first, actor=moderator, publish=False, reason="")
    services.moderate_comment(comment=first, actor=moderator, publish=False, reason="Εκτός θέματος")
    assert Comment.objects.get(pk=first.pk).moderation_reason == "Εκτός θέματος"
    assert Notification.objects.filter(recipient=author, kind="ideas.comment_moderated").exists()
    closed = make_idea(make_competition("building", slug="b"), title="Κλειστή")
    with pytest.raises(services.IdeaError) as late:
        services.comment(idea=closed, author=author, body="Αργά")
    assert late.value.code == "closed"
