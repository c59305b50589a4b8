"""Deliveries scheduled before they knew their account: link each to its request's applicant.

So that the deliveries app's personal-data export and erasure (by account) find them.
"""

from django.db import migrations


def link(apps, schema_editor):
    Delivery = apps.get_model("deliveries", "Delivery")
    CertificateRequest = apps.get_model("certificates", "CertificateRequest")
    for delivery in Delivery.objects.filter(source="certificates", person__isnull=True):
        if not delivery.reference.isdigit():
            continue
        applicant_id = (
            CertificateRequest.objects.filter(pk=int(delivery.reference))
            .values_list("applicant_id", flat=True)
            .first()
        )
        if applicant_id is not None:
            Delivery.objects.filter(pk=delivery.pk).update(person_id=applicant_id)


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0001_initial"),
        ("deliveries", "0002_delivery_person"),
    ]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
