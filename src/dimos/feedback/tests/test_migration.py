"""The reporters' ratings of their reports move onto the feedback app (feedback 0002) before
the reports app drops its field (reports 0007): one way to rate, nothing lost."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

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
