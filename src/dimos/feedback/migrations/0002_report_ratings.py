"""The reporters' ratings of their fixed or closed reports move onto the feedback app: each
becomes an invitation of the completed transaction "reports.report" with its rating (one way
to rate, ADR 0029). The reports app drops its own field after this (reports 0007)."""

from django.db import migrations

BATCH = 1000


def carry_over(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    ReportUpdate = apps.get_model("reports", "ReportUpdate")
    Invitation = apps.get_model("feedback", "Invitation")
    Rating = apps.get_model("feedback", "Rating")
    rated = Report.objects.filter(rating__isnull=False).order_by("pk")
    when = dict(
        ReportUpdate.objects.filter(kind="rated", report__in=rated)
        .order_by("report_id", "created_at")
        .values_list("report_id", "created_at")
    )
    done = set(
        Invitation.objects.filter(kind="reports.report").values_list("object_id", flat=True)
    )
    for start in range(0, rated.count(), BATCH):
        batch = [r for r in rated[start : start + BATCH] if str(r.pk) not in done]
        invitations = Invitation.objects.bulk_create(
            [
                Invitation(
                    kind="reports.report",
                    object_id=str(r.pk),
                    service="report-problem",
                    user_id=r.reporter_id,
                    email=r.reporter_email,
                    online=r.source != "phone",
                    url=f"/reports/{r.pk}/",
                    completed_at=r.closed_at or r.updated_at,
                )
                for r in batch
            ]
        )
        Rating.objects.bulk_create(
            [
                Rating(
                    invitation=invitation,
                    service="report-problem",
                    score=r.rating,
                    online=invitation.online,
                    created_at=when.get(r.pk) or r.closed_at or r.updated_at,
                )
                for r, invitation in zip(batch, invitations, strict=True)
            ]
        )


def carry_back(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    Rating = apps.get_model("feedback", "Rating")
    for rating in Rating.objects.filter(invitation__kind="reports.report").select_related(
        "invitation"
    ):
        Report.objects.filter(pk=int(rating.invitation.object_id)).update(rating=rating.score)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_initial"),
        ("reports", "0006_response_templates"),
    ]

    operations = [migrations.RunPython(carry_over, carry_back)]
