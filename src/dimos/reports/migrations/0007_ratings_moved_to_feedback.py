"""The reporter's rating moved to the feedback app (feedback 0002 carried the ratings over):
one way to rate a completed transaction, ADR 0029."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_response_templates"),
        ("feedback", "0002_report_ratings"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="report", name="report_rating_1_to_5"),
        migrations.RemoveField(model_name="report", name="rating"),
    ]
