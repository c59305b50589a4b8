"""The audit log: no copied names, a confidential flag, and DELETE refused by the database.

- ``actor_label`` (an email) and ``target_label`` (``str()`` of the object, often a name) are
  dropped: names are rendered from the user row when the log is read, so erasing an account
  pseudonymises every entry about it without rewriting one (ADR 0005).
- ``confidential`` marks entries about counselling sessions, read only by supervisors.
- Triggers refuse DELETE (and TRUNCATE on PostgreSQL) as 0002 refused UPDATE. On SQLite,
  changing the table may rebuild it, which drops its triggers: every trigger is (re)created
  here, after the schema changes.
"""

from django.db import migrations, models

MESSAGE = "the audit log is append-only"

SQLITE_TRIGGERS = {
    "core_auditentry_append_only": "BEFORE UPDATE",
    "core_auditentry_no_delete": "BEFORE DELETE",
}

POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION '{MESSAGE}'; END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS core_auditentry_no_delete ON core_auditentry;
CREATE TRIGGER core_auditentry_no_delete BEFORE DELETE ON core_auditentry
FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only();
DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry;
CREATE TRIGGER core_auditentry_no_truncate BEFORE TRUNCATE ON core_auditentry
FOR EACH STATEMENT EXECUTE FUNCTION core_auditentry_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS core_auditentry_no_delete ON core_auditentry;
DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry;
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name, when in SQLITE_TRIGGERS.items():
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};")
            schema_editor.execute(
                f"CREATE TRIGGER {name} {when} ON core_auditentry "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
            )
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS core_auditentry_no_delete;")
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)


def restore_update_trigger(apps, schema_editor):
    # Unapplying may rebuild the SQLite table again: 0002's trigger must survive it.
    if schema_editor.connection.vendor == "sqlite":
        name = "core_auditentry_append_only"
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};")
        schema_editor.execute(
            f"CREATE TRIGGER {name} BEFORE UPDATE ON core_auditentry "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0003_notification_attachments")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_update_trigger),
        migrations.RemoveField(model_name="auditentry", name="actor_label"),
        migrations.RemoveField(model_name="auditentry", name="target_label"),
        migrations.AddField(
            model_name="auditentry",
            name="confidential",
            field=models.BooleanField(db_index=True, default=False, editable=False),
        ),
        migrations.AlterModelOptions(
            name="auditentry",
            options={
                "ordering": ["-created_at", "-pk"],
                "permissions": [
                    (
                        "view_confidential_audit",
                        "Can read the confidential audit log (counselling sessions)",
                    )
                ],
                "verbose_name": "audit entry",
                "verbose_name_plural": "audit log",
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
