"""Budget and execution files shaped like the municipal finance systems' exports, made in
memory for the tests and the import benchmark."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from decimal import Decimal

EXPENDITURE_HEADER = (
    "Υπηρεσία",
    "Κ.Α.",
    "Περιγραφή",
    "Προϋπολογισθέντα",
    "Διαμορφωθέντα",
    "Δεσμευθέντα",
    "Ενταλθέντα",
    "Πληρωθέντα",
)
REVENUE_HEADER = (
    "Υπηρεσία",
    "Κ.Α.",
    "Περιγραφή",
    "Προϋπολογισθέντα",
    "Διαμορφωθέντα",
    "Βεβαιωθέντα",
    "Εισπραχθέντα",
)

Cells = Sequence[object]

# Serres-like execution: (service, KAE, description, approved, adjusted, committed, ordered, paid)
EXPENDITURE: list[Cells] = [
    ("10", "6011", "Τακτικές αποδοχές υπαλλήλων", "1.250.000,00", "1.300.000,00",
     "1.100.000,00", "950.000,50", "948.120,75"),
    ("10", "6051.001", "Εργοδοτικές εισφορές ΙΚΑ", "310.000,00", "310.000,00",
     "250.000,00", "240.000,00", "240.000,00"),
    ("20", "6262.003", "Συντήρηση και επισκευή κτιρίων", "80.000,00", "95.500,00",
     "40.000,00", "12.000,00", "0,00"),
    ("30", "7323.015", "Ασφαλτοστρώσεις δημοτικών οδών", "500.000,00", "450.000,00",
     "300.000,00", "120.000,00", "100.000,00"),
]  # fmt: skip
REVENUE: list[Cells] = [
    ("00", "0111", "Μισθώματα από ακίνητα", "120.000,00", "120.000,00",
     "95.000,00", "80.000,00"),
    ("00", "0311", "Τέλη καθαριότητας και φωτισμού", "4.500.000,00", "4.600.000,00",
     "3.900.000,00", "3.200.000,50"),
]  # fmt: skip


def dotted(rows: Sequence[Cells]) -> list[Cells]:
    """The same rows with ``1234.56`` numbers instead of ``1.234,56``."""

    def plain(cell: object) -> object:
        if isinstance(cell, str) and "," in cell:
            return cell.replace(".", "").replace(",", ".")
        return cell

    return [tuple(plain(c) for c in row) for row in rows]


def csv_bytes(
    rows: Sequence[Cells],
    header: Sequence[str] = EXPENDITURE_HEADER,
    *,
    encoding: str = "utf-8",
    separator: str = ";",
    before: Sequence[str] = (),
) -> bytes:
    """A CSV file; ``before`` are title lines above the header."""
    lines = [*before, separator.join(header)]
    lines += [separator.join(_quoted(str(c), separator) for c in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def _quoted(cell: str, separator: str) -> str:
    return f'"{cell}"' if separator in cell else cell


def xlsx_bytes(
    rows: Sequence[Cells], header: Sequence[str] = EXPENDITURE_HEADER, *, numbers: bool = True
) -> bytes:
    """An XLSX workbook; with ``numbers`` the amounts are number cells, as most systems write."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Εκτέλεση"
    sheet.append(list(header))
    for row in rows:
        cells: list[object] = []
        for index, cell in enumerate(row):
            if numbers and index >= 3 and isinstance(cell, str) and cell:
                cells.append(float(Decimal(cell.replace(".", "").replace(",", "."))))
            else:
                cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb_xlsx(inflated: int) -> bytes:
    """A real workbook plus one part of ``inflated`` zero bytes, which compresses to almost
    nothing."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(EXPENDITURE)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            bomb.writestr(info, source.read(info))
        with bomb.open("xl/media/padding.bin", "w", force_zip64=True) as part:
            chunk = b"\0" * 1_000_000
            for _ in range(inflated // len(chunk)):
                part.write(chunk)
    return out.getvalue()


def big_expenditure(lines: int, *, seed: int = 1) -> list[Cells]:
    """``lines`` distinct expenditure lines across services and groups, in order."""
    groups = ["60", "61", "62", "63", "64", "65", "66", "67", "68", "71", "73", "74", "81", "82"]
    services = ["00", "10", "15", "20", "25", "30", "35", "40", "45", "50", "60", "70"]
    rows: list[Cells] = []
    index = 0
    while len(rows) < lines:
        group = groups[index % len(groups)]
        rest = index // len(groups)  # (group, rest) names one line
        service = services[index % len(services)]
        kae = f"{group}{(rest * seed) % 10}{rest % 10}.{rest:04d}"
        approved = Decimal(10_000 + (index * 7919) % 900_000)
        committed = approved * Decimal("0.6")
        rows.append(
            (
                service,
                kae,
                f"Δαπάνη {index} για υλικά και υπηρεσίες",
                _greek(approved),
                _greek(approved * Decimal("1.05")),
                _greek(committed),
                _greek(committed * Decimal("0.8")),
                _greek(committed * Decimal("0.7")),
            )
        )
        index += 1
    return rows


def _greek(amount: Decimal) -> str:
    whole, _dot, cents = f"{amount.quantize(Decimal('0.01')):,.2f}".partition(".")
    return f"{whole.replace(',', '.')},{cents}"
