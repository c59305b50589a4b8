"""The audit log: append-only in the database, names by reference, read as sentences.

That every action of every app has a sentence is checked across the apps in
``dimos/tests/test_audit_sentences.py``; an erased account's pseudonym in
``accounts/tests/test_audit_sentences.py``.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from dimos.core import audit
from dimos.core.models import AuditEntry


def test_record_keeps_who_what_where(citizen):
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="pytest")
    request.user = citizen
    entry = audit.record(action="thing.done", target=citizen, request=request, details={"a": 1})
    assert entry.actor == citizen
    assert entry.target_type == "accounts.user"
    assert entry.target_id == str(citizen.pk)
    assert entry.ip_address == "192.0.2.7"
    assert entry.user_agent == "pytest"
    assert entry.details == {"a": 1}
    assert entry.confidential is False


def test_an_entry_holds_no_copy_of_the_persons_name_or_email(citizen):
    audit.record(action="account.profile_updated", actor=citizen, target=citizen)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_auditentry")
        row = " ".join(str(value) for value in cursor.fetchone())
    assert citizen.email not in row and citizen.first_name not in row


def test_entries_cannot_be_changed_through_the_model(citizen):
    entry = audit.record(action="x", actor=citizen)
    entry.action = "y"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


def test_entries_cannot_be_updated_in_the_database(citizen):
    entry = audit.record(action="x", actor=citizen)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    assert AuditEntry.objects.get(pk=entry.pk).action == "x"


def test_entries_cannot_be_deleted_through_the_orm(citizen):
    entry = audit.record(action="x", actor=citizen)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_entries_cannot_be_deleted_with_raw_sql(citizen):
    entry = audit.record(action="x", actor=citizen)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_the_log_cannot_be_truncated_on_postgresql(citizen):
    entry = audit.record(action="x", actor=citizen)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_every_guard_trigger_exists_on_this_database(db):
    # A later migration that rebuilds the SQLite table would drop them silently: this fails.
    names = {"core_auditentry_append_only", "core_auditentry_no_delete"}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='core_auditentry'"
            )
        else:
            names.add("core_auditentry_no_truncate")
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'core_auditentry'::regclass "
                "AND NOT tgisinternal AND tgenabled = 'O'"
            )
        found = {row[0] for row in cursor.fetchall()}
    assert names <= found


# --- Read as sentences --------------------------------------------------------------------------


def test_the_log_reads_as_a_sentence_naming_the_person(admin_user, citizen):
    citizen.first_name, citizen.last_name = "Μαρία", "Παπαδοπούλου"
    citizen.save()
    audit.record(action="account.profile_updated", actor=citizen, target=citizen)
    client = Client()
    client.force_login(admin_user)
    client.cookies["dimos_language"] = "en"
    page = client.get(reverse("core:audit_log")).content.decode()
    assert "Μαρία Παπαδοπούλου changed their profile" in page
    assert "account.profile_updated" not in page
    client.cookies["dimos_language"] = "el"
    page = client.get(reverse("core:audit_log")).content.decode()
    assert "Μαρία Παπαδοπούλου άλλαξε τα στοιχεία του προφίλ" in page
