"""A small open budget with figures one can add up by hand, built with the models directly.

Two published years. 2026 has two snapshots (31 March and 30 June); 2025 one (31 December).
Services: 00 revenue, 10 administration, 20 finance, 30 technical works.

2026, as of 30 June (the latest)::

    line          approved adjusted committed ordered  paid | assessed collected
    10-6011         1000     1200      900      700    600
    20-6011          500      500      300      250    200
    20-6262.01       400      300      150      100     50
    30-7323         2000     2000      500      100    100
    00-0311         3000     3000                            2500     1500
    00-1311         1000     1100                            1100     1100

    expenditure     3900     4000     1850     1150    950   (execution 23.8 %, committed 46.3 %)
    revenue         4000     4100                            3600     2600   (execution 63.4 %)

On 31 March every execution phase (committed … paid, assessed, collected) is half of June's and
adjusted equals approved. 2025 (31 December): 10-6011 900/1000/1000/950/950, 10-6021
100/100/80/80/80, 20-6262.01 300/300/300/300/290, revenue 00-0311 2800/2800/2700/2600.

One spending decision (a commitment, ADA «Ψ4Ω2ΩΞΑ-8ΑΒ», 300 €) is linked to 2026's 10-6011.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from dimos.budget.models import (
    BudgetLine,
    FiscalYear,
    Kae,
    LineAmounts,
    Service,
    Snapshot,
    SpendingDecision,
    direction_of,
    level_of,
    parent_code,
)
from dimos.budget.services import ensure_kae_classes

SERVICES = {
    "00": ("Έσοδα", "Revenue"),
    "10": ("Διοικητικές υπηρεσίες", "Administrative services"),
    "20": ("Οικονομικές υπηρεσίες", "Financial services"),
    "30": ("Τεχνικές υπηρεσίες", "Technical services"),
}

# The codes below the groups: (Greek, English).
CODES = {
    "031": ("Τέλη και δικαιώματα", "Fees and rights"),
    "0311": ("Τέλη καθαριότητας και φωτισμού", "Cleaning and lighting fees"),
    "131": ("Επιχορηγήσεις για έργα", "Grants for works"),
    "1311": ("Επιχορήγηση από ΣΑΤΑ", "SATA grant"),
    "601": ("Τακτικές αποδοχές", "Regular pay"),
    "6011": ("Τακτικές αποδοχές υπαλλήλων", "Regular pay of employees"),
    "602": ("Αποδοχές εκτάκτων", "Pay of temporary staff"),
    "6021": ("Αποδοχές εκτάκτων υπαλλήλων", "Pay of temporary employees"),
    "626": ("Συντήρηση και επισκευή", "Maintenance and repair"),
    "6262": ("Συντήρηση έργων", "Maintenance of works"),
    "6262.01": ("Συντήρηση οδών", "Road maintenance"),
    "732": ("Έργα", "Works"),
    "7323": ("Έργα οδοποιίας και πλατειών", "Roads and squares"),
}

# code -> (approved, adjusted, committed, ordered, paid) or (approved, adjusted, assessed,
# collected) for revenue; the latest snapshot of 2026.
LINES_2026 = {
    ("10", "6011"): ("Τακτικές αποδοχές υπαλλήλων διοίκησης", (1000, 1200, 900, 700, 600)),
    ("20", "6011"): ("Τακτικές αποδοχές υπαλλήλων οικονομικής", (500, 500, 300, 250, 200)),
    ("20", "6262.01"): ("Συντήρηση οδών και πεζοδρομίων", (400, 300, 150, 100, 50)),
    ("30", "7323"): ("Ανάπλαση πλατείας Ελευθερίας", (2000, 2000, 500, 100, 100)),
    ("00", "0311"): ("Τέλη καθαριότητας και φωτισμού", (3000, 3000, 2500, 1500)),
    ("00", "1311"): ("Επιχορήγηση από ΣΑΤΑ για έργα", (1000, 1100, 1100, 1100)),
}
LINES_2025 = {
    ("10", "6011"): ("Τακτικές αποδοχές υπαλλήλων διοίκησης", (900, 1000, 1000, 950, 950)),
    ("10", "6021"): ("Αποδοχές εκτάκτων υπαλλήλων", (100, 100, 80, 80, 80)),
    ("20", "6262.01"): ("Συντήρηση οδών και πεζοδρομίων", (300, 300, 300, 300, 290)),
    ("00", "0311"): ("Τέλη καθαριότητας και φωτισμού", (2800, 2800, 2700, 2600)),
}
ADA = "Ψ4Ω2ΩΞΑ-8ΑΒ"


@dataclass
class BudgetData:
    """What :func:`make_budget` made, to look things up in tests."""

    years: dict[int, FiscalYear] = field(default_factory=dict)
    snapshots: dict[date, Snapshot] = field(default_factory=dict)
    lines: dict[tuple[int, str], BudgetLine] = field(default_factory=dict)  # (year, "10-6011")
    decision: SpendingDecision | None = None


def ensure_kae(code: str) -> Kae:
    """The KAE code, made with its ancestors (names from :data:`CODES`) if missing."""
    existing = Kae.objects.filter(code=code).first()
    if existing is not None:
        return existing
    parent = ensure_kae(parent_code(code)) if parent_code(code) else None
    name_el, name_en = CODES.get(code, (code, code))
    return Kae.objects.create(
        code=code,
        parent=parent,
        level=level_of(code),
        direction=direction_of(code),
        name_el=name_el,
        name_en=name_en,
    )


def _amounts(code: str, figures: tuple[int, ...], half: bool) -> dict[str, Decimal]:
    names = (
        ("approved", "adjusted", "committed", "ordered", "paid")
        if direction_of(code) == "expenditure"
        else ("approved", "adjusted", "assessed", "collected")
    )
    values = {name: Decimal(value) for name, value in zip(names, figures, strict=True)}
    if half:
        values = {
            name: value if name == "approved" else value / 2 for name, value in values.items()
        }
        values["adjusted"] = values["approved"]
    return values


def _year(
    data: BudgetData,
    year: int,
    lines: dict[tuple[str, str], tuple[str, tuple[int, ...]]],
    as_of: list[tuple[date, bool]],
) -> None:
    fiscal = FiscalYear.objects.create(year=year, published=True)
    data.years[year] = fiscal
    for (service_code, kae_code), (description, _figures) in lines.items():
        data.lines[(year, f"{service_code}-{kae_code}")] = BudgetLine.objects.create(
            year=fiscal,
            service=Service.objects.get(code=service_code),
            kae=ensure_kae(kae_code),
            direction=direction_of(kae_code),
            description=description,
        )
    for day, half in as_of:
        snapshot = Snapshot.objects.create(
            year=fiscal,
            as_of=day,
            file_name=f"execution-{day.isoformat()}.csv",
            sha256=f"{day.isoformat():0<64}",
            rows=len(lines),
        )
        data.snapshots[day] = snapshot
        for (service_code, kae_code), (_description, figures) in lines.items():
            LineAmounts.objects.create(
                snapshot=snapshot,
                line=data.lines[(year, f"{service_code}-{kae_code}")],
                **_amounts(kae_code, figures, half),
            )


def make_budget() -> BudgetData:
    """The budget of the module's docstring (needs the database)."""
    ensure_kae_classes()
    for code, (name_el, name_en) in SERVICES.items():
        Service.objects.get_or_create(code=code, defaults={"name_el": name_el, "name_en": name_en})
    data = BudgetData()
    _year(data, 2025, LINES_2025, [(date(2025, 12, 31), False)])
    _year(data, 2026, LINES_2026, [(date(2026, 3, 31), True), (date(2026, 6, 30), False)])
    data.decision = SpendingDecision.objects.create(
        ada=ADA,
        date=date(2026, 2, 10),
        subject="Ανάληψη υποχρέωσης για τακτικές αποδοχές Φεβρουαρίου",
        amount=Decimal("300.00"),
        kind=SpendingDecision.Kind.COMMITMENT,
        line=data.lines[(2026, "10-6011")],
    )
    return data
