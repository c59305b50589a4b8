"""Files stored before the private storage (ADR 0020) are named from the certificates folder
(``issued/…``); they are its ``certificates/`` folder now (``certificates/issued/…``).

Only the names change: the default folders were ``<DIMOS_VAR_DIR>/private/certificates`` then
and are ``<DIMOS_VAR_DIR>/private`` + ``certificates/…`` now, the same files on disk.
"""

from django.db import migrations, models
from django.db.models import Value
from django.db.models.functions import Concat, Substr

PREFIX = "certificates/"
FIELDS = (("Attachment", "file"), ("IssuedDocument", "pdf"))


def add_prefix(apps, schema_editor):
    for model_name, field in FIELDS:
        model = apps.get_model("certificates", model_name)
        old = model.objects.exclude(**{field: ""}).exclude(**{f"{field}__startswith": PREFIX})
        old.update(**{field: Concat(Value(PREFIX), field, output_field=models.CharField())})


def drop_prefix(apps, schema_editor):
    for model_name, field in FIELDS:
        model = apps.get_model("certificates", model_name)
        new = model.objects.filter(**{f"{field}__startswith": PREFIX})
        new.update(**{field: Substr(field, len(PREFIX) + 1, output_field=models.CharField())})


class Migration(migrations.Migration):
    dependencies = [("certificates", "0006_private_storage_folder")]

    operations = [migrations.RunPython(add_prefix, drop_prefix)]
