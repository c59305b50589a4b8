"""The budget officers' pages: years, the import with its preview and confirmation, spending
decisions; only budget officers get in, and everything they do is audited."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dimos.accounts.models import User
from dimos.budget.models import BudgetLine, FiscalYear, Snapshot, SpendingDecision
from dimos.budget.panels import queue_counts, stale_years
from dimos.budget.services import import_snapshot
from dimos.budget.tests.files import EXPENDITURE, csv_bytes
from dimos.core.models import AuditEntry
from dimos.testing.personas import login, staff

pytestmark = pytest.mark.django_db

ADA = "Ψ4Ω2ΩΞΑ-8ΑΒ"


@pytest.fixture(autouse=True)
def _private_files(settings: Any, tmp_path: Any) -> None:
    settings.DIMOS_PRIVATE_DIR = tmp_path / "private"


@pytest.fixture
def officer(db: Any) -> User:
    return staff("officer@example.org", "budget_officer")


@pytest.fixture
def office(officer: User) -> Client:
    return login(officer)


@pytest.fixture
def year_2026(db: Any) -> FiscalYear:
    return FiscalYear.objects.create(year=2026)


def _upload(client: Client, data: bytes, as_of: str = "2026-10-31", name: str = "e.csv") -> Any:
    return client.post(
        "/staff/budget/import/",
        {"year": "2026", "as_of": as_of, "file": SimpleUploadedFile(name, data)},
    )


def _confirm(client: Client, response: Any) -> Any:
    preview = response.context["preview"]
    return client.post(
        "/staff/budget/import/confirm/",
        {
            "year": preview.year,
            "as_of": preview.as_of.isoformat(),
            "sha256": preview.file.sha256,
            "file_name": preview.file.name,
        },
    )


# --- Who gets in ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/staff/budget/",
        "/staff/budget/2026/",
        "/staff/budget/import/",
        "/staff/budget/2026/decisions/",
        "/staff/budget/2026/decisions/new/",
    ],
)
def test_residents_and_other_staff_are_refused(
    path: str, citizen: User, clerk: User, year_2026: FiscalYear
) -> None:
    assert login(citizen).get(path).status_code == 403
    assert login(clerk).get(path).status_code == 403


def test_someone_signed_out_is_sent_to_sign_in(year_2026: FiscalYear) -> None:
    response = Client().get("/staff/budget/import/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_other_staff_cannot_import_or_publish(clerk: User, year_2026: FiscalYear) -> None:
    client = login(clerk)

    assert _upload(client, csv_bytes(EXPENDITURE)).status_code == 403
    assert client.post("/staff/budget/2026/publish/", {"published": "1"}).status_code == 403
    assert not Snapshot.objects.exists()
    assert not FiscalYear.objects.get().published


# --- Years ------------------------------------------------------------------------------------


def test_an_officer_adds_a_year_once(office: Client, officer: User) -> None:
    response = office.post("/staff/budget/years/", {"year": "2027"})

    assert response.status_code == 302
    assert FiscalYear.objects.get().year == 2027
    again = office.post("/staff/budget/years/", {"year": "2027"})
    assert again.status_code == 400
    assert "Το έτος 2027 υπάρχει ήδη." in again.content.decode()
    assert FiscalYear.objects.count() == 1
    assert AuditEntry.objects.filter(action="budget.year_created", actor=officer).count() == 1


def test_an_officer_publishes_and_unpublishes_a_year(
    office: Client, officer: User, year_2026: FiscalYear
) -> None:
    office.post("/staff/budget/2026/publish/", {"published": "1"})
    year_2026.refresh_from_db()
    assert year_2026.published

    office.post("/staff/budget/2026/publish/", {"published": "0"})
    year_2026.refresh_from_db()
    assert not year_2026.published
    actions = list(
        AuditEntry.objects.filter(actor=officer, target_id=str(year_2026.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["budget.year_published", "budget.year_unpublished"]


def test_the_year_page_lists_its_snapshots_with_who_when_file_and_hash(
    office: Client, officer: User, year_2026: FiscalYear
) -> None:
    snapshot = import_snapshot(
        year=2026, as_of=date(2026, 10, 31), file_name="oct.csv", data=csv_bytes(EXPENDITURE),
        actor=officer,
    )  # fmt: skip

    page = office.get("/staff/budget/2026/").content.decode()

    assert "31 Οκτωβρίου 2026" in page
    assert "oct.csv" in page
    assert snapshot.sha256 in page
    assert "officer@example.org" in page or officer.get_full_name() in page


# --- Importing ----------------------------------------------------------------------------------


def test_the_preview_shows_what_changes_and_imports_nothing(
    office: Client, year_2026: FiscalYear
) -> None:
    response = _upload(office, csv_bytes(EXPENDITURE))

    assert response.status_code == 200
    page = response.content.decode()
    assert "4 νέες γραμμές" in page
    assert "10-6011" in page
    assert "1.288.120,75" in page  # paid, in total
    assert "Εισαγωγή αυτής της κατάστασης" in page
    assert not Snapshot.objects.exists()


def test_a_file_with_errors_shows_each_line_and_no_confirmation(
    office: Client, year_2026: FiscalYear
) -> None:
    rows = [list(row) for row in EXPENDITURE]
    rows[3][7] = "130.000,00"

    response = _upload(office, csv_bytes(rows))

    assert response.status_code == 400
    page = response.content.decode()
    assert "Το αρχείο δεν μπορεί να εισαχθεί: 1 πρόβλημα. Τίποτα δεν άλλαξε." in page
    assert "Γραμμή 5: τα Πληρωθέντα (130.000,00) είναι περισσότερα από τα Ενταλθέντα" in page
    assert "Εισαγωγή αυτής της κατάστασης" not in page
    assert not Snapshot.objects.exists()


def test_confirming_imports_once_even_clicked_twice(
    office: Client, officer: User, year_2026: FiscalYear
) -> None:
    preview = _upload(office, csv_bytes(EXPENDITURE))

    first = _confirm(office, preview)
    second = _confirm(office, preview)

    assert first.status_code == 302
    assert second.status_code == 302
    snapshot = Snapshot.objects.get()
    assert snapshot.imported_by == officer
    assert snapshot.as_of == date(2026, 10, 31)
    assert BudgetLine.objects.count() == 4
    assert AuditEntry.objects.filter(action="budget.snapshot_imported").count() == 1


def test_a_confirmation_without_the_kept_file_asks_for_it_again(
    office: Client, year_2026: FiscalYear
) -> None:
    response = office.post(
        "/staff/budget/import/confirm/",
        {"year": "2026", "as_of": "2026-10-31", "sha256": "0" * 64, "file_name": "x.csv"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/staff/budget/import/?year=2026"
    assert not Snapshot.objects.exists()


def test_a_confirmation_with_bad_values_is_not_found(office: Client) -> None:
    response = office.post(
        "/staff/budget/import/confirm/", {"year": "x", "as_of": "no", "sha256": "../etc"}
    )

    assert response.status_code == 404


def test_the_form_refuses_a_future_date_and_a_missing_file(
    office: Client, year_2026: FiscalYear
) -> None:
    response = office.post("/staff/budget/import/", {"year": "2026", "as_of": "2999-01-01"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Η ημερομηνία δεν μπορεί να είναι στο μέλλον." in page
    assert "govgr-error-summary" in page


# --- Spending decisions -------------------------------------------------------------------------


@pytest.fixture
def lines(officer: User, year_2026: FiscalYear) -> None:
    import_snapshot(
        year=2026, as_of=date(2026, 10, 31), file_name="oct.csv", data=csv_bytes(EXPENDITURE),
        actor=officer,
    )  # fmt: skip


def _decision(**changes: str) -> dict[str, str]:
    values = {
        "ada": ADA,
        "date": "2026-10-02",
        "subject": "Ανάληψη υποχρέωσης για συντήρηση κτιρίων",
        "amount": "12000.50",
        "kind": "commitment",
        "service": "20",
        "kae": "6262.003",
    }
    return {**values, **changes}


def test_an_officer_adds_changes_and_deletes_a_decision(
    office: Client, officer: User, lines: None
) -> None:
    assert office.post("/staff/budget/2026/decisions/new/", _decision()).status_code == 302
    decision = SpendingDecision.objects.get()
    assert decision.line.code == "20-6262.003"
    assert decision.created_by == officer

    changed = office.post(f"/staff/budget/decisions/{decision.pk}/", _decision(amount="13000"))
    assert changed.status_code == 302
    decision.refresh_from_db()
    assert str(decision.amount) == "13000.00"

    assert office.post(f"/staff/budget/decisions/{decision.pk}/delete/").status_code == 302
    assert not SpendingDecision.objects.exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="budget.decision_")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "budget.decision_added",
        "budget.decision_changed",
        "budget.decision_deleted",
    ]


def test_a_decision_on_a_line_the_year_lacks_is_refused(office: Client, lines: None) -> None:
    response = office.post("/staff/budget/2026/decisions/new/", _decision(kae="6999"))

    assert response.status_code == 400
    assert "Το έτος 2026 δεν έχει γραμμή με υπηρεσία 20 και ΚΑΕ 6999." in response.content.decode()
    assert not SpendingDecision.objects.exists()


def test_a_decision_with_a_bad_ada_is_refused(office: Client, lines: None) -> None:
    response = office.post("/staff/budget/2026/decisions/new/", _decision(ada="ABC-123"))

    assert response.status_code == 400
    assert not SpendingDecision.objects.exists()


def _decisions_file(rows: list[tuple[str, ...]]) -> SimpleUploadedFile:
    header = ("ΑΔΑ", "Ημερομηνία", "Θέμα", "Ποσό", "Είδος", "Υπηρεσία", "Κ.Α.")
    return SimpleUploadedFile("apofaseis.csv", csv_bytes(rows, header, encoding="cp1253"))


def test_decisions_are_imported_from_a_file_and_updated_by_ada(
    office: Client, officer: User, lines: None
) -> None:
    rows = [
        (ADA, "02/10/2026", "Συντήρηση κτιρίων", "12.000,50", "ανάληψη υποχρέωσης",
         "20", "6262.003"),
        ("6ΖΣΚΩΞΑ-ΓΡ1", "15/10/2026", "Μισθοδοσία Οκτωβρίου", "95.000,00", "Ένταλμα πληρωμής",
         "10", "6011"),
    ]  # fmt: skip
    url = "/staff/budget/2026/decisions/import/"

    assert office.post(url, {"file": _decisions_file(rows)}).status_code == 302
    rows[0] = (*rows[0][:3], "12.500,00", *rows[0][4:])
    assert office.post(url, {"file": _decisions_file(rows)}).status_code == 302

    assert SpendingDecision.objects.count() == 2
    payment = SpendingDecision.objects.get(ada="6ΖΣΚΩΞΑ-ΓΡ1")
    assert payment.kind == SpendingDecision.Kind.PAYMENT
    assert payment.line.code == "10-6011"
    assert str(SpendingDecision.objects.get(ada=ADA).amount) == "12500.00"
    assert AuditEntry.objects.filter(action="budget.decisions_imported").count() == 2


def test_a_decisions_file_with_errors_imports_none(office: Client, lines: None) -> None:
    rows = [
        (ADA, "02/10/2026", "Συντήρηση κτιρίων", "12.000,50", "", "20", "6262.003"),
        ("6ΖΣΚΩΞΑ-ΓΡ1", "31/02/2026", "Μισθοδοσία", "95.000,00", "", "10", "6011"),
        (ADA, "03/10/2026", "Ξανά", "1,00", "", "10", "6099"),
    ]

    response = office.post("/staff/budget/2026/decisions/import/", {"file": _decisions_file(rows)})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Γραμμή 3: η ημερομηνία «31/02/2026» δεν είναι ημερομηνία όπως 31/10/2026." in page
    assert "Γραμμή 4: ο ΑΔΑ Ψ4Ω2ΩΞΑ-8ΑΒ υπάρχει ήδη στη γραμμή 2." in page
    assert "Γραμμή 4: το έτος 2026 δεν έχει γραμμή με υπηρεσία 10 και ΚΑΕ 6099." in page
    assert not SpendingDecision.objects.exists()


# --- The staff queue ----------------------------------------------------------------------------


def test_the_queue_counts_years_without_a_recent_snapshot(officer: User) -> None:
    FiscalYear.objects.create(year=2025)
    current = FiscalYear.objects.create(year=2026)
    import_snapshot(
        year=2025, as_of=date(2025, 12, 31), file_name="dec.csv", data=csv_bytes(EXPENDITURE),
        actor=officer,
    )  # fmt: skip

    assert [y.year for y in stale_years(date(2026, 11, 30))] == [2026]
    import_snapshot(
        year=2026, as_of=date(2026, 10, 31), file_name="oct.csv",
        data=csv_bytes(EXPENDITURE[:2]), actor=officer,
    )  # fmt: skip
    assert stale_years(date(2026, 11, 30)) == []
    assert [y.year for y in stale_years(date(2027, 1, 20))] == [2026]
    assert current.year == 2026
    assert queue_counts(officer).open == len(stale_years())


def test_the_staff_lists_stay_within_a_dozen_queries(
    office: Client, officer: User, lines: None, django_assert_max_num_queries: Any
) -> None:
    for n, (service, kae) in enumerate([("20", "6262.003"), ("10", "6011"), ("30", "7323.015")]):
        SpendingDecision.objects.create(
            ada=f"6ΖΣΚΩΞΑ-ΓΡ{n}",
            date=date(2026, 10, 1),
            subject="Απόφαση",
            amount=1,
            line=BudgetLine.objects.get(service__code=service, kae__code=kae),
        )
    import_snapshot(
        year=2026, as_of=date(2026, 11, 30), file_name="nov.csv",
        data=csv_bytes(EXPENDITURE[:3]), actor=officer,
    )  # fmt: skip

    for path in ("/staff/budget/", "/staff/budget/2026/", "/staff/budget/2026/decisions/"):
        with django_assert_max_num_queries(12):
            assert office.get(path).status_code == 200
