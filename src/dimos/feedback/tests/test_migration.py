"""The reporters' ratings of their reports move onto the feedback app (feedback 0002) before
the reports app drops its field (reports 0007): one way to rate, nothing lost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("feedback", "0001_initial"), ("reports", "0006_response_templates")]


@pytest.mark.django_db(transaction=True)
def test_existing_report_ratings_are_carried_over():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        Group = old.get_model("auth", "Group")
        CategoryGroup = old.get_model("reports", "CategoryGroup")
        Category = old.get_model("reports", "Category")
        Report = old.get_model("reports", "Report")
        group = CategoryGroup.objects.create(code="roads", name_el="Οδοί", name_en="Roads")
        category = Category.objects.create(
            code="pothole",
            group=group,
            name_el="Λακκούβα",
            name_en="Pothole",
            department=Group.objects.create(name="roads-dept"),
        )
        rated = Report.objects.create(
            category=category,
            lat=41.1,
            lon=23.5,
            status="fixed",
            reporter_email="a@example.org",
            rating=4,
            source="phone",
        )
        Report.objects.create(
            category=category, lat=41.1, lon=23.5, status="fixed", reporter_email="b@example.org"
        )
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
        new = executor.loader.project_state(latest).apps
        Rating = new.get_model("feedback", "Rating")
        (rating,) = Rating.objects.select_related("invitation").all()
        assert rating.score == 4 and rating.service == "report-problem"
        assert rating.invitation.kind == "reports.report"
        assert rating.invitation.object_id == str(rated.pk)
        assert rating.invitation.email == "a@example.org"
        assert rating.online is False
        assert "rating" not in {f.name for f in new.get_model("reports", "Report")._meta.fields}
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


ADVOCATE_BEFORE = [("feedback", "0004_survey_publish_on_close"), ("advocate", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_existing_advocate_ratings_are_carried_over():
    """A complaint rated on the Advocate's old form becomes a feedback rating (its comment
    "how it could be better"); one already rated through the feedback app keeps that rating."""
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(ADVOCATE_BEFORE)
    try:
        old = executor.loader.project_state(ADVOCATE_BEFORE).apps
        Body = old.get_model("advocate", "Body")
        Complaint = old.get_model("advocate", "Complaint")
        Invitation = old.get_model("feedback", "Invitation")
        OldRating = old.get_model("feedback", "Rating")
        body = Body.objects.create(code="water", name_el="Ύδρευση", name_en="Water")

        def complaint(n, **fields):
            return Complaint.objects.create(
                submission_key=f"k{n}",
                kind="person",
                name="Μαρία",
                body=body,
                category="delay",
                description="—",
                request="—",
                status="concluded",
                email=f"m{n}@example.org",
                **fields,
            )

        by_phone = complaint(1, rating=2, rating_comment="Too slow", channel="phone")
        both = complaint(2, rating=5)
        complaint(3)  # not rated
        invitation = Invitation.objects.create(
            kind="advocate.complaint", object_id=str(both.pk), service="advocate"
        )
        OldRating.objects.create(invitation=invitation, service="advocate", score=4)
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
        new = executor.loader.project_state(latest).apps
        Rating = new.get_model("feedback", "Rating")
        ratings = {
            r.invitation.object_id: r
            for r in Rating.objects.filter(invitation__kind="advocate.complaint").select_related(
                "invitation"
            )
        }
        assert set(ratings) == {str(by_phone.pk), str(both.pk)}
        moved = ratings[str(by_phone.pk)]
        assert moved.score == 2 and moved.improve == "Too slow" and moved.service == "advocate"
        assert moved.online is False and moved.invitation.email == "m1@example.org"
        assert ratings[str(both.pk)].score == 4
        fields = {f.name for f in new.get_model("advocate", "Complaint")._meta.fields}
        assert "rating" not in fields and "rating_comment" not in fields
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


SURVEYS_BEFORE = [("feedback", "0003_surveys")]


@pytest.mark.django_db(transaction=True)
def test_a_survey_closed_unpublished_before_automatic_publication_stays_unpublished():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(SURVEYS_BEFORE)
    try:
        old = executor.loader.project_state(SURVEYS_BEFORE).apps
        Survey = old.get_model("feedback", "Survey")
        now = timezone.now()

        def survey(slug, closes, **fields):
            return Survey.objects.create(
                slug=slug,
                title_el=slug,
                opens_at=closes - dt.timedelta(days=30),
                closes_at=closes,
                access="open",
                **fields,
            )

        survey("closed-kept", now - dt.timedelta(days=1), published=True)
        survey("closed-shown", now - dt.timedelta(days=1), published=True, results_published=True)
        survey("open", now + dt.timedelta(days=5), published=True)
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
        new = executor.loader.project_state(latest).apps
        on_close = dict(
            new.get_model("feedback", "Survey").objects.values_list("slug", "publish_on_close")
        )
        assert on_close == {"closed-kept": False, "closed-shown": True, "open": True}
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
