"""The demo's ratings come from the demo services' real completed transactions, through the
registry; seeding twice adds nothing."""

from __future__ import annotations

from django.core import mail

from dimos.accounts.services import sync_roles
from dimos.core.registry import demo_seeders
from dimos.feedback.demo import seed
from dimos.feedback.models import Invitation, PageFeedback, Rating
from dimos.feedback.selectors import performance


def test_demo_ratings_over_a_year_from_real_transactions(municipality):
    sync_roles()
    demo_seeders["report-categories"].seed()
    demo_seeders["reports"].seed()
    seed()
    ratings = Rating.objects.filter(service="report-problem")
    assert ratings.count() > 50
    assert ratings.exclude(improve="").exists()
    months = [m for m in performance("report-problem").months if m.ratings]
    assert len(months) >= 10
    assert 40 <= (performance("report-problem").total.satisfaction or 0) <= 90
    assert PageFeedback.objects.filter(useful=False).exclude(what_wrong="").exists()
    counts = (Invitation.objects.count(), Rating.objects.count(), PageFeedback.objects.count())
    seed()
    assert counts == (
        Invitation.objects.count(),
        Rating.objects.count(),
        PageFeedback.objects.count(),
    )
    assert mail.outbox == []  # the demo's past ratings send nobody anything
