"""Importing budget and execution files: every encoding and format the systems write, and
every broken file refused with its line number in Greek, changing nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from dimos.budget.importer import ImportRefused, read_budget_file
from dimos.budget.importing.preview import preview
from dimos.budget.kae import CLASSES_AND_GROUPS
from dimos.budget.models import (
    BudgetLine,
    FiscalYear,
    Kae,
    LineAmounts,
    Service,
    Snapshot,
)
from dimos.budget.services import import_snapshot
from dimos.budget.tests.files import (
    EXPENDITURE,
    REVENUE,
    REVENUE_HEADER,
    csv_bytes,
    dotted,
    xlsx_bytes,
    zip_bomb_xlsx,
)
from dimos.core.models import AuditEntry

pytestmark = pytest.mark.django_db

OCTOBER = date(2026, 10, 31)


def _import(data: bytes, as_of: date = OCTOBER, name: str = "ektelesi.csv") -> Snapshot:
    return import_snapshot(year=2026, as_of=as_of, file_name=name, data=data, actor=None)


def _state() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (FiscalYear, Snapshot, BudgetLine, LineAmounts, Service, Kae, AuditEntry)
    )


def _refused(data: bytes, as_of: date = OCTOBER) -> list[str]:
    """Import a broken file: it is refused, nothing changes, and the problems are returned."""
    before = _state()
    with pytest.raises(ImportRefused) as refused:
        _import(data, as_of)
    assert _state() == before
    return [str(e) for e in refused.value.errors]


def _paid(code: str, snapshot: Snapshot) -> Decimal | None:
    service, kae = code.split("-")
    return LineAmounts.objects.get(
        snapshot=snapshot, line__service__code=service, line__kae__code=kae
    ).paid


# --- Encodings and formats --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "separator", "greek_numbers"),
    [
        ("utf-8", ";", True),
        ("utf-8-sig", ";", True),
        ("utf-8-sig", ",", False),
        ("cp1253", ";", True),
        ("utf-16", ";", True),
        ("utf-16", "\t", False),
    ],
)
def test_a_csv_in_each_encoding_and_separator_is_imported(
    encoding: str, separator: str, greek_numbers: bool
) -> None:
    rows = EXPENDITURE if greek_numbers else dotted(EXPENDITURE)
    snapshot = _import(csv_bytes(rows, encoding=encoding, separator=separator))

    assert snapshot.rows == 4
    assert snapshot.as_of == OCTOBER
    assert _paid("10-6011", snapshot) == Decimal("948120.75")
    assert _paid("20-6262.003", snapshot) == Decimal("0.00")
    line = BudgetLine.objects.get(kae__code="6262.003")
    assert line.description == "Συντήρηση και επισκευή κτιρίων"
    assert line.direction == "expenditure"
    assert line.year.year == 2026


def test_an_xlsx_with_number_cells_is_imported() -> None:
    snapshot = _import(xlsx_bytes(EXPENDITURE), name="ektelesi.xlsx")

    assert snapshot.rows == 4
    assert _paid("10-6011", snapshot) == Decimal("948120.75")
    amounts = LineAmounts.objects.get(snapshot=snapshot, line__kae__code="7323.015")
    assert amounts.committed == Decimal("300000.00")


def test_an_xlsx_with_text_cells_is_imported() -> None:
    snapshot = _import(xlsx_bytes(EXPENDITURE, numbers=False), name="ektelesi.xlsx")

    assert _paid("10-6011", snapshot) == Decimal("948120.75")


def test_a_revenue_file_fills_assessed_and_collected() -> None:
    snapshot = _import(csv_bytes(REVENUE, REVENUE_HEADER))

    amounts = LineAmounts.objects.get(snapshot=snapshot, line__kae__code="0311")
    assert amounts.assessed == Decimal("3900000.00")
    assert amounts.collected == Decimal("3200000.50")
    assert amounts.paid is None
    assert amounts.line.direction == "revenue"


def test_title_lines_above_the_header_and_headers_without_accents_are_read() -> None:
    header = ["ΥΠΗΡΕΣΙΑ", "ΚΑΕ", "ΠΕΡΙΓΡΑΦΗ", "ΠΡΟΥΠΟΛΟΓΙΣΘΕΝΤΑ", "διαμορφωθέντα"]
    rows = [row[:5] for row in EXPENDITURE]
    data = csv_bytes(rows, header, before=["ΔΗΜΟΣ ΣΕΡΡΩΝ", "Προϋπολογισμός 2026", ""])

    snapshot = _import(data)

    assert snapshot.rows == 4
    amounts = LineAmounts.objects.get(snapshot=snapshot, line__kae__code="6011")
    assert amounts.adjusted == Decimal("1300000.00")
    assert amounts.committed is None


def test_the_classification_is_made_and_longer_codes_are_named_from_the_file() -> None:
    _import(csv_bytes(EXPENDITURE))

    assert set(CLASSES_AND_GROUPS) <= set(Kae.objects.values_list("code", flat=True))
    line_kae = Kae.objects.get(code="6262.003")
    assert line_kae.name_el == "Συντήρηση και επισκευή κτιρίων"
    assert line_kae.level == 5
    assert [k.code for k in _ancestors(line_kae)] == ["6262", "626", "62", "6"]
    assert Kae.objects.get(code="626").name_el == "Κ.Α. 626"
    assert Kae.objects.get(code="62").name_el == CLASSES_AND_GROUPS["62"][0]


def _ancestors(kae: Kae) -> list[Kae]:
    found = []
    while kae.parent is not None:
        kae = kae.parent
        found.append(kae)
    return found


def test_services_are_made_and_named_from_the_file() -> None:
    rows = [("10 Διεύθυνση Διοικητικών Υπηρεσιών", *EXPENDITURE[0][1:]), EXPENDITURE[2]]
    _import(csv_bytes(rows))

    assert Service.objects.get(code="10").name_el == "Διεύθυνση Διοικητικών Υπηρεσιών"
    assert Service.objects.get(code="20").name_el == "Υπηρεσία 20"


def test_a_later_snapshot_keeps_the_earlier_one_and_updates_descriptions() -> None:
    first = _import(csv_bytes(EXPENDITURE), as_of=date(2026, 9, 30))
    later_rows = [list(row) for row in EXPENDITURE]
    later_rows[0][2] = "Τακτικές αποδοχές μόνιμων υπαλλήλων"
    later_rows[0][7] = "1.000.000,00"
    later_rows[0][6] = "1.050.000,00"
    second = _import(csv_bytes(later_rows))

    assert _paid("10-6011", first) == Decimal("948120.75")
    assert _paid("10-6011", second) == Decimal("1000000.00")
    assert BudgetLine.objects.count() == 4
    assert BudgetLine.objects.get(kae__code="6011").description == (
        "Τακτικές αποδοχές μόνιμων υπαλλήλων"
    )


def test_the_import_is_audited_with_its_hash() -> None:
    snapshot = _import(csv_bytes(EXPENDITURE))

    entry = AuditEntry.objects.get(action="budget.snapshot_imported")
    assert entry.target_id == str(snapshot.pk)
    assert entry.details["sha256"] == snapshot.sha256
    assert entry.details["rows"] == 4


# --- What an import would change ------------------------------------------------------------


def test_the_preview_of_a_first_file_lists_new_lines_and_totals() -> None:
    result = preview(year=2026, as_of=OCTOBER, name="a.csv", data=csv_bytes(EXPENDITURE))

    assert result.ok
    assert len(result.new_lines) == 4
    assert result.previous is None
    paid = next(t for t in result.totals if t.phase == "paid")
    assert paid.amount == Decimal("1288120.75")
    assert paid.change is None
    assert sorted(result.new_services) == ["10", "20", "30"]
    assert not Snapshot.objects.exists()


def test_the_preview_of_a_later_file_shows_changed_amounts_and_missing_lines() -> None:
    _import(csv_bytes(EXPENDITURE), as_of=date(2026, 9, 30))
    rows = [list(row) for row in EXPENDITURE[:3]]
    rows[1][7] = "245.000,00"
    rows[1][6] = "245.000,00"
    rows.append(["40", "6414.001", "Μεταφορά μαθητών", "10,00", "10,00", "0", "0", "0"])

    result = preview(year=2026, as_of=OCTOBER, name="b.csv", data=csv_bytes(rows))

    assert result.ok
    assert [r.kae for r in result.new_lines] == ["6414.001"]
    assert [c.row.kae for c in result.changed] == ["6051.001"]
    assert [(b, a) for _label, b, a in result.changed[0].phases] == [
        (Decimal("240000.00"), Decimal("245000.00")),
        (Decimal("240000.00"), Decimal("245000.00")),
    ]
    assert result.unchanged == 2
    assert result.missing == ["30-7323.015"]
    paid = next(t for t in result.totals if t.phase == "paid")
    assert paid.change == Decimal("245000.00") - Decimal("240000.00") - Decimal("100000.00")


# --- Broken files -----------------------------------------------------------------------------


def test_a_file_in_another_encoding_is_refused_not_read_as_mojibake() -> None:
    errors = _refused(csv_bytes(EXPENDITURE, encoding="cp737"))  # DOS Greek

    assert errors == [
        "Η κωδικοποίηση του αρχείου δεν αναγνωρίστηκε. Αποθηκεύστε το ως CSV σε UTF-8, "
        "Windows-1253 (ελληνικά) ή UTF-16, ή ως XLSX."
    ]


def test_a_file_that_decodes_only_to_nonsense_is_refused() -> None:
    rows = [("10", "6011", "Salaries", "1,00", "1,00", "0", "0", "0")]
    errors = _refused(csv_bytes(rows, encoding="mac_greek"))  # decodes, to nonsense

    assert errors == [
        "Δεν βρέθηκε καμία γνωστή στήλη: το αρχείο μπορεί να είναι σε άλλη κωδικοποίηση. "
        "Αποθηκεύστε το ως CSV σε UTF-8, Windows-1253 (ελληνικά) ή UTF-16, ή ως XLSX."
    ]


def test_the_older_greek_encoding_is_told_apart_from_windows_1253() -> None:
    rows = [("10", "6011", "Άδεια μητρότητας", "1,00", "1,00", "0", "0", "0")]

    _import(csv_bytes(rows, encoding="iso8859_7"))

    assert BudgetLine.objects.get().description == "Άδεια μητρότητας"


def test_a_utf16_file_with_broken_bytes_is_refused() -> None:
    data = csv_bytes(EXPENDITURE, encoding="utf-16")[:-1]

    errors = _refused(data)

    assert errors[0].startswith("Η κωδικοποίηση του αρχείου δεν αναγνωρίστηκε.")


def test_unknown_and_missing_columns_are_named() -> None:
    header = ["Υπηρεσία", "Κ.Α.", "Ονομασία", "Προϋπολογισθέντα", "Πληρωμές"]
    data = csv_bytes([row[:5] for row in EXPENDITURE], header)

    errors = _refused(data)

    assert len(errors) == 1
    assert errors[0].startswith("Γραμμή 1: ")
    assert "άγνωστη στήλη «Ονομασία»" in errors[0]
    assert "άγνωστη στήλη «Πληρωμές»" in errors[0]
    assert "λείπουν οι στήλες: Περιγραφή" in errors[0]


def test_a_kae_that_does_not_fit_the_hierarchy_is_refused_with_its_line() -> None:
    rows = [list(row) for row in EXPENDITURE]
    rows[1][1] = "60Α1"
    rows[2][1] = "6911"
    rows[3][1] = "62"

    errors = _refused(csv_bytes(rows))

    assert errors[0].startswith("Γραμμή 3: το «60Α1» δεν είναι κωδικός ΚΑΕ")
    assert errors[1] == (
        "Γραμμή 4: ο ΚΑΕ 6911 δεν ταιριάζει στην ταξινόμηση: δεν υπάρχει ομάδα 69."
    )
    assert errors[2].startswith("Γραμμή 5: ο ΚΑΕ «62» είναι τάξη, ομάδα ή υποσύνολο")


def test_a_revenue_code_in_a_file_of_expenditure_is_refused() -> None:
    rows = [*EXPENDITURE, ("00", "0311", "Τέλη καθαριότητας", "1,00", "1,00", "0", "0", "0")]

    errors = _refused(csv_bytes(rows))

    assert errors == [
        "Γραμμή 6: ο ΚΑΕ 0311 είναι κωδικός εσόδων (τάξεις 0–5) αλλά το αρχείο έχει τις "
        "στήλες των εξόδων."
    ]


def test_amounts_that_do_not_parse_are_refused_with_line_and_column() -> None:
    rows = [list(row) for row in EXPENDITURE]
    rows[0][5] = "1.100.000,0,0"
    rows[2][7] = "δώδεκα"

    errors = _refused(csv_bytes(rows))

    assert errors == [
        "Γραμμή 2: το ποσό «1.100.000,0,0» στη στήλη Δεσμευθέντα δεν είναι ποσό σε ευρώ "
        "(για παράδειγμα 1.234,56 ή 1234.56).",
        "Γραμμή 4: το ποσό «δώδεκα» στη στήλη Πληρωθέντα δεν είναι ποσό σε ευρώ "
        "(για παράδειγμα 1.234,56 ή 1234.56).",
    ]


def test_paid_more_than_payment_ordered_is_flagged_with_its_line() -> None:
    rows = [list(row) for row in EXPENDITURE]
    rows[3][7] = "130.000,00"  # ordered 120.000,00

    errors = _refused(csv_bytes(rows))

    assert errors == [
        "Γραμμή 5: τα Πληρωθέντα (130.000,00) είναι περισσότερα από τα Ενταλθέντα "
        "(120.000,00): η εκτέλεση πηγαίνει δεσμευθέντα → ενταλθέντα → πληρωθέντα, το καθένα "
        "το πολύ όσο το προηγούμενο."
    ]


def test_payment_ordered_more_than_committed_is_flagged() -> None:
    rows = [list(row) for row in EXPENDITURE]
    rows[2][6] = "41.000,00"  # committed 40.000,00

    errors = _refused(csv_bytes(rows))

    assert len(errors) == 1
    assert errors[0].startswith("Γραμμή 4: τα Ενταλθέντα (41.000,00) είναι περισσότερα από")


def test_a_line_twice_in_the_file_is_refused() -> None:
    rows = [*EXPENDITURE, EXPENDITURE[1]]

    errors = _refused(csv_bytes(rows))

    assert errors == ["Γραμμή 6: η υπηρεσία 10 και ο ΚΑΕ 6051.001 υπάρχουν ήδη στη γραμμή 3."]


def test_an_empty_description_and_service_are_refused() -> None:
    rows = [list(row) for row in EXPENDITURE]
    rows[0][0] = ""
    rows[1][2] = ""

    errors = _refused(csv_bytes(rows))

    assert errors == [
        "Γραμμή 2: η υπηρεσία (Υπηρεσία) είναι κενή.",
        "Γραμμή 3: η περιγραφή (Περιγραφή) είναι κενή.",
    ]


def test_a_snapshot_dated_before_the_last_one_is_refused() -> None:
    _import(csv_bytes(EXPENDITURE))

    errors = _refused(csv_bytes(dotted(EXPENDITURE)), as_of=date(2026, 9, 30))

    assert errors == [
        "Το έτος 2026 έχει ήδη κατάσταση στις 31 Οκτωβρίου 2026: μια νέα πρέπει να έχει "
        "μεταγενέστερη ημερομηνία (το ιστορικό δεν ξαναγράφεται ποτέ)."
    ]


def test_the_same_file_twice_is_refused_naming_the_earlier_snapshot() -> None:
    data = csv_bytes(EXPENDITURE)
    _import(data, as_of=date(2026, 9, 30))

    errors = _refused(data)

    assert len(errors) == 1
    assert errors[0].startswith(
        "Αυτό το αρχείο έχει ήδη εισαχθεί: κατάσταση του 2026 στις 30 Σεπτεμβρίου 2026 "
        "(ektelesi.csv, εισαγωγή "
    )


def test_a_file_too_big_is_refused(settings: Any) -> None:
    settings.DIMOS_BUDGET_IMPORT_MAX_BYTES = 2_000_000
    data = csv_bytes(EXPENDITURE) + b" " * 2_000_000

    errors = _refused(data)

    assert errors == ["Το αρχείο είναι 2,0 MB, περισσότερα από τα 2 MB που επιτρέπονται."]


def test_a_zip_bomb_xlsx_is_refused_before_it_is_opened(settings: Any) -> None:
    settings.DIMOS_BUDGET_IMPORT_MAX_BYTES = 1_000_000
    data = zip_bomb_xlsx(30_000_000)
    assert len(data) < 1_000_000

    errors = _refused(data)

    assert errors == [
        "Το αρχείο XLSX αποσυμπιέζεται σε 30 MB, περισσότερα από τα 10 MB που επιτρέπονται."
    ]


def test_a_damaged_xlsx_is_refused() -> None:
    errors = _refused(xlsx_bytes(EXPENDITURE)[:2000])

    assert errors == ["Το αρχείο XLSX είναι κατεστραμμένο και δεν ανοίγει."]


def test_every_problem_of_a_file_is_reported_at_once() -> None:
    rows = [list(row) for row in EXPENDITURE]
    rows[0][3] = "x"
    rows[3][1] = "9999"

    result = read_budget_file("a.csv", csv_bytes(rows))

    assert [e.line for e in result.errors] == [2, 5]
    assert result.rows == []


def test_errors_are_in_english_when_the_officer_reads_english() -> None:
    from django.utils import translation

    rows = [list(row) for row in EXPENDITURE]
    rows[3][7] = "130.000,00"
    with translation.override("en"):
        errors = [str(e) for e in read_budget_file("a.csv", csv_bytes(rows)).errors]

    assert errors[0].startswith("Line 5: Πληρωθέντα (130,000.00) are more than Ενταλθέντα")


def test_numbers_with_three_decimals_are_ambiguous_and_refused() -> None:
    rows = [list(row) for row in dotted(EXPENDITURE)]
    rows[0][3] = "1.250"  # 1.250 euros or 1,250 euros? Neither is guessed.

    errors = _refused(csv_bytes(rows, separator=","))

    assert errors[0].startswith("Γραμμή 2: το ποσό «1.250» στη στήλη Προϋπολογισθέντα")
