"""An erased account reads in the audit log as a pseudonym, never as the person it was."""

from django.utils import translation

from dimos.accounts.services import erase_account
from dimos.core import audit
from dimos.core.models import AuditEntry


def test_an_erased_account_reads_as_a_pseudonym(citizen):
    audit.record(action="account.profile_updated", actor=citizen, target=citizen)
    erase_account(user=citizen)
    with translation.override("en"):
        lines = audit.sentences(AuditEntry.objects.filter(action="account.profile_updated"))
    assert lines[0].sentence == f"Erased account {citizen.pk} changed their profile"
    assert lines[0].actor_email == ""
