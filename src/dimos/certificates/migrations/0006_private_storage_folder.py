"""Certificate files are kept in the private storage (STORAGES["private"]), folder certificates/."""

import dimos.core.storage
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('certificates', '0005_identity_evidence'),
    ]

    operations = [
        migrations.AlterField(
            model_name='attachment',
            name='file',
            field=models.FileField(max_length=200, storage=dimos.core.storage.private_storage, upload_to='certificates/uploads/%Y/%m/'),
        ),
        migrations.AlterField(
            model_name='issueddocument',
            name='pdf',
            field=models.FileField(max_length=200, storage=dimos.core.storage.private_storage, upload_to='certificates/issued/%Y/%m/'),
        ),
    ]
