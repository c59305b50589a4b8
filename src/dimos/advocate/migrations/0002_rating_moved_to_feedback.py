"""The complainant's rating moved to the feedback app (feedback 0005 carried the ratings
over): one way to rate a completed transaction, ADR 0029."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("advocate", "0001_initial"),
        ("feedback", "0005_advocate_ratings"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="complaint", name="advocate_rating_1_to_5"),
        migrations.RemoveField(model_name="complaint", name="rating"),
        migrations.RemoveField(model_name="complaint", name="rating_comment"),
    ]
