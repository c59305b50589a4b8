"""Every action any app records reads as a sentence in English and in Greek (ADR 0005)."""

import re
from pathlib import Path

from django.utils import translation

from dimos.appointments.services import DESK_TRANSITIONS
from dimos.core.registry import registry
from dimos.deliveries.models import DeliveryStatus
from dimos.reports.models import ReportUpdate

SRC = Path(__file__).resolve().parents[1]


class _Details(dict):
    def __missing__(self, key: str) -> str:
        return key


def _actions_in_the_code() -> set[str]:
    """Every action code a service records: literal ones, and the families built with f-strings."""
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        if {"tests", "testing", "migrations"} & set(path.parts):
            continue
        for line in path.read_text().splitlines():
            if "action=" in line and 'action=f"' not in line:
                found.update(re.findall(r'"([a-z_]+\.[a-z_]+)"', line))
    found.update(f"appointment.{a}" for a in DESK_TRANSITIONS)
    found.update(f"report.{kind}" for kind in ReportUpdate.Kind.values)
    found.update(f"delivery.{status}" for status in DeliveryStatus.values if status != "scheduled")
    found.update({"admin.added", "admin.changed", "admin.deleted"})
    return found


def test_every_action_has_a_sentence_in_english_and_greek(db):
    actions = _actions_in_the_code()
    missing = sorted(a for a in actions if a not in registry.audit_sentences)
    assert not missing, f"register a sentence for {missing} (registry.register_audit_sentences)"
    for key, item in registry.audit_sentences.items():
        values = _Details(actor="A", id="1", target="B", object="C")  # details: any key
        with translation.override("en"):
            english = str(item.text) % values
        with translation.override("el"):
            greek = str(item.text) % values
        assert english != greek, f"{key} has no Greek translation"
