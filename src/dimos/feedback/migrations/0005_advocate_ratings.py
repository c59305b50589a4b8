"""The complainants' ratings of the Advocate's answers move onto the feedback app: each
becomes the rating of the completed transaction "advocate.complaint" (its invitation made if
the complaint was answered before the Advocate declared it), with its comment as "how it could
be better" — one way to rate, ADR 0029. The advocate app drops its own fields after this
(advocate 0002)."""

from django.db import migrations

BATCH = 1000


def carry_over(apps, schema_editor):
    Complaint = apps.get_model("advocate", "Complaint")
    ComplaintEvent = apps.get_model("advocate", "ComplaintEvent")
    Invitation = apps.get_model("feedback", "Invitation")
    Rating = apps.get_model("feedback", "Rating")
    rated = Complaint.objects.filter(rating__isnull=False).order_by("pk")
    when = dict(
        ComplaintEvent.objects.filter(kind="rated", complaint__in=rated)
        .order_by("complaint_id", "created_at")
        .values_list("complaint_id", "created_at")
    )
    for start in range(0, rated.count(), BATCH):
        for c in rated[start : start + BATCH]:
            invitation, _ = Invitation.objects.get_or_create(
                kind="advocate.complaint",
                object_id=str(c.pk),
                defaults={
                    "service": "advocate",
                    "user_id": c.user_id,
                    "email": c.email,
                    "language": c.language,
                    "online": c.channel == "online",
                    "completed_at": c.closed_at or c.submitted_at or c.created_at,
                },
            )
            if Rating.objects.filter(invitation=invitation).exists():
                continue  # rated through the feedback app too: that rating stands
            Rating.objects.create(
                invitation=invitation,
                service="advocate",
                score=c.rating,
                improve=(c.rating_comment or "")[:2000],
                online=invitation.online,
                created_at=when.get(c.pk) or c.closed_at or c.created_at,
            )


def carry_back(apps, schema_editor):
    Complaint = apps.get_model("advocate", "Complaint")
    Rating = apps.get_model("feedback", "Rating")
    for rating in Rating.objects.filter(invitation__kind="advocate.complaint").select_related(
        "invitation"
    ):
        Complaint.objects.filter(pk=int(rating.invitation.object_id)).update(
            rating=rating.score, rating_comment=rating.improve
        )


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0004_survey_publish_on_close"),
        ("advocate", "0001_initial"),
    ]

    operations = [migrations.RunPython(carry_over, carry_back)]
