import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from dimos.core import audit
from dimos.core.models import AuditEntry


def test_record_keeps_who_what_where(citizen):
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="pytest")
    request.user = citizen
    entry = audit.record(action="thing.done", target=citizen, request=request, details={"a": 1})
    assert entry.actor == citizen
    assert entry.actor_label == citizen.email
    assert entry.target_type == "accounts.user"
    assert entry.target_id == str(citizen.pk)
    assert entry.ip_address == "192.0.2.7"
    assert entry.user_agent == "pytest"
    assert entry.details == {"a": 1}


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


def test_trigger_exists_on_this_database(db):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type='trigger' AND name=%s",
                ["core_auditentry_append_only"],
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgname=%s", ["core_auditentry_append_only"]
            )
        assert cursor.fetchone() is not None
