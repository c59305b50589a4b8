"""Messages stored before ADR 0011 kept the booking's manage key in their link: drop it.

The inbox link then opens the booking for its logged-in owner, as new messages do.
"""

from django.db import migrations


def forget_keys(apps, schema_editor):
    Notification = apps.get_model("core", "Notification")
    stored = Notification.objects.filter(kind__startswith="appointments.", url__contains="key=")
    for notification in stored.only("pk", "url"):
        Notification.objects.filter(pk=notification.pk).update(
            url=notification.url.split("?", 1)[0]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0002_centre_clerks_feed_tokens"),
        ("core", "0005_notification_sealed_url"),
    ]

    operations = [migrations.RunPython(forget_keys, migrations.RunPython.noop)]
