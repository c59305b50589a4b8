"""A year's budget as a Fiscal Data Package (v1.0rc1): ``datapackage.json`` and ``data.csv``.

The CSV is the package's one resource, in the long form the specification calls denormalised:
one row per budget line and phase of the execution chain, with a single ``amount``. Each column
is mapped to a *columnType* of the budget taxonomy — ``value``, ``direction``, ``phase:id``,
``date:fiscal-year``, ``budget-line-id``, the administrative classification (the service) at
level 1 and the economic classification (KAE) at levels 1–4 and in full — so a fiscal-data tool
understands it without knowing Greek budgets. The Greek phases are ``phase:id`` values
(``committed``, ``ordered`` for payment-ordered, ``assessed``, ``collected`` beside
``approved``, ``adjusted``, ``paid``), named in Greek (``phase:label``) and English.

A package holds one snapshot: the year's latest by default (its "current" figures), or the one
"as of" a given date. The snapshot's date is the package's ``version``, its ``asOf``, in its
title and in every row (``as_of``), so no one mistakes November's figures for the final ones.
The descriptor names ``data.csv`` by a relative path: saved beside it, or read from its URL,
it finds its data.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from dimos.budget.models import EXPENDITURE_PHASES, REVENUE_PHASES, Kae, LineAmounts, Snapshot
from dimos.core.selectors import current_municipality

CSV_NAME = "data.csv"
CURRENCY = "EUR"
TAXONOMY = "https://frictionlessdata.io/taxonomies/fiscal/budgets.json"
# Law 4727/2020 makes public-sector data open by default; CC BY 4.0 is its usual licence.
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}

# The phases as the files name them (Greek) and in English; the ids are the phase:id values.
PHASE_LABELS = {
    "approved": ("Προϋπολογισθέντα", "Approved"),
    "adjusted": ("Διαμορφωθέντα", "Adjusted"),
    "committed": ("Δεσμευθέντα", "Committed"),
    "ordered": ("Ενταλθέντα", "Payment-ordered"),
    "paid": ("Πληρωθέντα", "Paid"),
    "assessed": ("Βεβαιωθέντα", "Assessed"),
    "collected": ("Εισπραχθέντα", "Collected"),
}
PHASES_OF = {"expenditure": EXPENDITURE_PHASES, "revenue": REVENUE_PHASES}
KAE_LEVEL_NAMES = {1: "class", 2: "group", 3: "3-digit code", 4: "4-digit code"}


def _field(
    name: str, kind: str, column_type: str, description: str, **extra: Any
) -> dict[str, Any]:
    return {
        "name": name,
        "type": kind,
        "columnType": column_type,
        "description": description,
        **extra,
    }


def _kae_fields() -> list[dict[str, Any]]:
    fields = []
    for level, what in KAE_LEVEL_NAMES.items():
        base = f"economic-classification:generic:level{level}"
        fields += [
            _field(f"kae_level{level}_code", "string", f"{base}:code", f"The KAE {what}."),
            _field(f"kae_level{level}_label", "string", f"{base}:label", f"The KAE {what}'s name."),
            _field(
                f"kae_level{level}_label_en",
                "string",
                f"{base}:label:en",
                f"The KAE {what}'s name in English, where known.",
            ),
        ]
    return fields


FIELDS: list[dict[str, Any]] = [
    _field("fiscal_year", "integer", "date:fiscal-year", "The budget's year."),
    _field(
        "as_of",
        "date",
        "date:generic",
        "The date of the published execution (the snapshot) the amounts are as of.",
    ),
    _field(
        "budget_line_id",
        "string",
        "budget-line-id",
        "The line's code: its service and KAE code (10-6011), the same every year.",
        constraints={"required": True},
    ),
    _field(
        "direction",
        "string",
        "direction",
        "Expenditure or revenue (KAE classes 6–9 or 0–5).",
        constraints={"required": True, "enum": ["expenditure", "revenue"]},
    ),
    _field(
        "phase",
        "string",
        "phase:id",
        "The phase of the execution chain. Expenditure: approved (Προϋπολογισθέντα), adjusted "
        "(Διαμορφωθέντα), committed (Δεσμευθέντα), ordered (Ενταλθέντα, payment-ordered), paid "
        "(Πληρωθέντα). Revenue: approved, adjusted, assessed (Βεβαιωθέντα), collected "
        "(Εισπραχθέντα). In the phases of FDP v0.3, approved and adjusted are themselves and "
        "paid and collected are executed; committed, ordered and assessed have no equivalent.",
        constraints={"required": True, "enum": list(PHASE_LABELS)},
    ),
    _field("phase_label", "string", "phase:label", "The phase as the Greek files name it."),
    _field("phase_label_en", "string", "phase:label:en", "The phase in English."),
    _field(
        "service_code",
        "string",
        "administrative-classification:generic:level1:code",
        "The service or directorate (Υπηρεσία) the line belongs to.",
    ),
    _field(
        "service_label",
        "string",
        "administrative-classification:generic:level1:label",
        "The service's name.",
    ),
    _field(
        "service_label_en",
        "string",
        "administrative-classification:generic:level1:label:en",
        "The service's name in English, where known.",
    ),
    *_kae_fields(),
    _field(
        "kae_code",
        "string",
        "economic-classification:generic:code",
        "The line's full KAE code, with its local extension if any (6262.001).",
    ),
    _field("kae_label", "string", "economic-classification:generic:label", "The code's name."),
    _field(
        "description",
        "string",
        "economic-classification:generic:description",
        "The line's description as the budget writes it.",
    ),
    _field(
        "amount",
        "number",
        "value",
        "The line's amount in this phase, in euros (empty: not reported in this snapshot).",
        decimalChar=".",
        bareNumber=True,
    ),
    _field("currency", "string", "value-currency:code", "The amount's currency (ISO 4217)."),
]
COLUMNS = [f["name"] for f in FIELDS]

# The taxonomy's types this package adds: the English labels (an implicit ":en" would inherit
# nothing, so they say what they label).
COLUMN_TYPES: list[Any] = [
    TAXONOMY,
    [
        {"name": "phase:label:en", "dataType": "string", "labelOf": "phase:id"},
        {
            "name": "administrative-classification:generic:level1:label:en",
            "dataType": "string",
            "labelOf": "administrative-classification:generic:level1:code",
        },
        *(
            {
                "name": f"economic-classification:generic:level{level}:label:en",
                "dataType": "string",
                "labelOf": f"economic-classification:generic:level{level}:code",
            }
            for level in KAE_LEVEL_NAMES
        ),
    ],
]


def package_name(snapshot: Snapshot, latest: bool) -> str:
    year = snapshot.year.year
    return f"budget-{year}" if latest else f"budget-{year}-{snapshot.as_of.isoformat()}"


def descriptor(snapshot: Snapshot, *, homepage: str = "", latest: bool = True) -> dict[str, Any]:
    """The ``datapackage.json`` of a snapshot (``latest``: the year's current figures)."""
    year, as_of = snapshot.year.year, snapshot.as_of.isoformat()
    municipality = current_municipality()
    city_el = municipality.name_el if municipality else "Δήμος"
    city_en = (municipality.name_en or municipality.name_el) if municipality else "Municipality"
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": package_name(snapshot, latest),
        "title": f"{city_el}: προϋπολογισμός {year}, εκτέλεση ως τις {as_of}",
        "description": (
            f"{city_en}: every line of the {year} budget and its execution, as published on "
            f"{as_of} — approved, adjusted, committed, payment-ordered and paid for expenditure; "
            "approved, adjusted, assessed and collected for revenue. One row per line and phase."
        ),
        "version": as_of,
        "asOf": as_of,
        "created": snapshot.imported_at.isoformat(timespec="seconds"),
        "fiscalPeriod": {"start": f"{year}-01-01", "end": f"{year}-12-31"},
        "countryCode": "GR",
        "currency": CURRENCY,
        "keywords": ["budget", "προϋπολογισμός", "KAE", "ΚΑΕ", "fiscal data", str(year)],
        "licenses": [LICENSE],
        "columnTypes": COLUMN_TYPES,
        "resources": [
            {
                "name": package_name(snapshot, latest),
                "path": CSV_NAME,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": FIELDS,
                    "primaryKey": ["budget_line_id", "phase"],
                    "missingValues": [""],
                },
            }
        ],
    }
    if homepage:
        package["homepage"] = homepage
    return package


def rows(snapshot: Snapshot) -> Iterator[list[Any]]:
    """The CSV's rows (without the header): each line of the snapshot, each of its phases."""
    names = {
        code: (el, en) for code, el, en in Kae.objects.values_list("code", "name_el", "name_en")
    }
    year, as_of = snapshot.year.year, snapshot.as_of.isoformat()
    amounts = (
        LineAmounts.objects.filter(snapshot=snapshot)
        .order_by("line__kae__code", "line__service__code")
        .values_list(
            "line__service__code",
            "line__service__name_el",
            "line__service__name_en",
            "line__kae__code",
            "line__direction",
            "line__description",
            *PHASE_LABELS,
        )
    )
    for service, service_el, service_en, kae, direction, description, *figures in amounts:
        by_phase = dict(zip(PHASE_LABELS, figures, strict=True))
        levels: list[str] = []
        head = kae.partition(".")[0]
        for level in KAE_LEVEL_NAMES:
            prefix = head[:level] if len(head) >= level else ""
            el, en = names.get(prefix, ("", ""))
            levels += [prefix, el, en]
        for phase in PHASES_OF[direction]:
            label_el, label_en = PHASE_LABELS[phase]
            amount = by_phase[phase]
            yield [
                year,
                as_of,
                f"{service}-{kae}",
                direction,
                phase,
                label_el,
                label_en,
                service,
                service_el,
                service_en,
                *levels,
                kae,
                names.get(kae, ("", ""))[0],
                description,
                "" if amount is None else f"{amount:.2f}",
                CURRENCY,
            ]


def _safe(value: Any) -> Any:
    # A spreadsheet would run a text cell that starts with these as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def csv_text(snapshot: Snapshot) -> str:
    """The package's ``data.csv``: a header, then :func:`rows` (amounts left as written)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    amount = COLUMNS.index("amount")
    for row in rows(snapshot):
        writer.writerow([v if i == amount else _safe(v) for i, v in enumerate(row)])
    return out.getvalue()
