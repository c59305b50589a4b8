"""``dimos budget-import``: the same import from the command line."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dimos.budget.models import LineAmounts, Snapshot
from dimos.budget.tests.files import EXPENDITURE, csv_bytes

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("budget-import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_file_is_imported_from_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "ektelesi-2026-10.csv"
    path.write_bytes(csv_bytes(EXPENDITURE, encoding="cp1253"))

    out, _err = _run("--year", "2026", "--as-of", "2026-10-31", str(path))

    snapshot = Snapshot.objects.get()
    assert snapshot.file_name == "ektelesi-2026-10.csv"
    assert snapshot.imported_by is None
    assert LineAmounts.objects.filter(snapshot=snapshot).count() == 4
    assert f"Εισήχθη η κατάσταση {snapshot.pk}: 4 γραμμές του 2026 στις 2026-10-31." in out


def test_a_bad_file_exits_with_an_error_and_its_lines(tmp_path: Path) -> None:
    rows = [list(row) for row in EXPENDITURE]
    rows[2][7] = "99.000,00"  # ordered 12.000,00
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(rows))
    err = StringIO()

    with pytest.raises(CommandError) as failed:
        call_command(
            "budget-import", "--year", "2026", "--as-of", "2026-10-31", str(path), stderr=err
        )

    assert "Γραμμή 4: τα Πληρωθέντα (99.000,00) είναι περισσότερα" in err.getvalue()
    assert str(failed.value) == "Το αρχείο δεν εισήχθη: 1 πρόβλημα· τίποτα δεν άλλαξε."
    assert not Snapshot.objects.exists()


def test_the_command_exits_non_zero_on_a_bad_file(tmp_path: Path) -> None:
    from dimos.cli import main

    path = tmp_path / "bad.csv"
    path.write_bytes(b"nothing;here\n1;2\n")

    with pytest.raises(SystemExit) as exited:
        main(["budget-import", "--year", "2026", "--as-of", "2026-10-31", str(path)])

    assert exited.value.code == 1


def test_a_dry_run_shows_the_preview_and_imports_nothing(tmp_path: Path) -> None:
    path = tmp_path / "ektelesi.csv"
    path.write_bytes(csv_bytes(EXPENDITURE))

    out, _err = _run("--year", "2026", "--as-of", "2026-10-31", "--dry-run", str(path))

    assert "4 γραμμές, 4 νέες, 0 με αλλαγές, 0 χωρίς αλλαγές" in out
    assert "Έξοδα / πληρωθέντα: 1.288.120,75" in out
    assert "Δεν εισήχθη τίποτα (δοκιμαστική εκτέλεση)." in out
    assert not Snapshot.objects.exists()
