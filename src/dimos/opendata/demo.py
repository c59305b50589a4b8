"""The demo catalogue, Thessaloniki-flavoured: the municipality's directorates as publishers,
the EU data themes as groups, a few datasets of the kind Thessaloniki publishes (parking spaces
for disabled drivers with their points, air quality measurements, municipal libraries as an
XLSX file, cycle lanes as GeoJSON), and the platform's own datasets refreshed once. A demo
publisher account. Idempotent: what exists is left alone, the platform's data refreshed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import sys

from django.core.files.uploadedfile import SimpleUploadedFile

from dimos.accounts.demo import demo_staff_member
from dimos.opendata import platform, services, vocab
from dimos.opendata.models import Dataset, Organization, Resource, State

PUBLISHER = (
    "open data",
    "opendata@demo.dimos.gr",
    "demo-opendata-2026",
    "Ιωάννα",
    "Παπαδοπούλου",
    ("open_data_publisher",),
    "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U",
)

ORGANISATIONS = (
    (
        "digital",
        "Διεύθυνση Ψηφιακής Διακυβέρνησης",
        "Directorate of Digital Governance",
        "opendata@thessaloniki.gr",
    ),
    (
        "environment",
        "Διεύθυνση Περιβάλλοντος",
        "Directorate of the Environment",
        "environment@thessaloniki.gr",
    ),
    (
        "transport",
        "Διεύθυνση Βιώσιμης Κινητικότητας",
        "Directorate of Sustainable Mobility",
        "mobility@thessaloniki.gr",
    ),
    ("culture", "Διεύθυνση Πολιτισμού", "Directorate of Culture", "culture@thessaloniki.gr"),
)

STREETS = (
    "Εγνατία",
    "Τσιμισκή",
    "Μητροπόλεως",
    "Αγίας Σοφίας",
    "Βασ. Όλγας",
    "Δελφών",
    "Αριστοτέλους",
    "Ερμού",
    "Βενιζέλου",
    "Κασσάνδρου",
    "Παπαναστασίου",
    "Λαγκαδά",
)
STATIONS = (
    ("agia-sofia", "Αγίας Σοφίας"),
    ("egnatia", "Εγνατίας"),
    ("kalamaria", "Καλαμαριάς"),
    ("martiou", "25ης Μαρτίου"),
)
LIBRARIES = (
    ("Κεντρική Δημοτική Βιβλιοθήκη", "Εθνικής Αμύνης 27", 40.6310, 22.9530),
    ("Παράρτημα Άνω Πόλης", "Ολυμπιάδος 110", 40.6400, 22.9540),
    ("Παράρτημα Χαριλάου", "Παπαναστασίου 135", 40.6030, 22.9690),
    ("Παράρτημα Τούμπας", "Ελ. Βενιζέλου 24", 40.6110, 22.9780),
    ("Παράρτημα Καλαμαριάς", "Μεταμορφώσεως 6", 40.5850, 22.9520),
    ("Παράρτημα Ξηροκρήνης", "Καλλιθέας 2", 40.6460, 22.9290),
)


def seed() -> None:
    demo_staff_member(*PUBLISHER)
    sys.stdout.write(
        f"  {'open data':<14} {PUBLISHER[1]:<26} {PUBLISHER[2]}   "
        f"two-step code: dimos totp {PUBLISHER[1]}\n"
    )
    for code in vocab.THEMES:
        platform.theme_group(code)
    orgs = {}
    for key, el, en, email in ORGANISATIONS:
        orgs[key], _ = Organization.objects.get_or_create(
            name=key, defaults={"title_el": el, "title_en": en, "email": email}
        )
    platform.municipality_org()
    if not Dataset.objects.filter(name="disabled-parking").exists():
        _datasets(orgs)
    platform.refresh_all()


def _csv(rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def _dataset(
    org: Organization,
    name: str,
    el: str,
    en: str,
    notes_el: str,
    notes_en: str,
    theme: str,
    tags: list[str],
    frequency: str,
    **extra: object,
) -> Dataset:
    dataset = services.create_dataset(
        actor=None,
        values={
            "name": name,
            "title_el": el,
            "title_en": en,
            "notes_el": notes_el,
            "notes_en": notes_en,
            "organization": org,
            "license_id": "CC-BY-4.0",
            "frequency": frequency,
            "maintainer": org.title_el,
            "maintainer_email": org.email,
            "spatial": "Δήμος Θεσσαλονίκης",
            **extra,
        },
        tags=tags,
        groups=[platform.theme_group(theme)],  # type: ignore[list-item]
        state=State.ACTIVE,
    )
    return dataset


def _add(dataset: Dataset, name_el: str, name_en: str, filename: str, content: bytes) -> Resource:
    resource = services.add_resource(
        dataset=dataset,
        actor=None,
        name_el=name_el,
        name_en=name_en,
        upload=SimpleUploadedFile(filename, content),
    )
    services.load_datastore(resource_id=str(resource.pk))
    return resource


def _datasets(orgs: dict[str, Organization]) -> None:
    rnd = random.Random(15)
    parking = _dataset(
        orgs["transport"],
        "disabled-parking",
        "Θέσεις στάθμευσης ΑμεΑ",
        "Parking spaces for disabled drivers",
        "Οι θέσεις στάθμευσης για άτομα με αναπηρία στον δήμο, με τη διεύθυνση, τον αριθμό "
        "θέσεων και το σημείο τους.",
        "The municipality's parking spaces for disabled drivers, with their address, number of "
        "spaces and point.",
        "TRAN",
        ["στάθμευση", "ΑμεΑ", "parking", "accessibility"],
        "MONTHLY",
    )
    rows: list[list[object]] = [["address", "spaces", "lat", "lon", "since"]]
    for _ in range(60):
        street = rnd.choice(STREETS)
        rows.append(
            [
                f"{street} {rnd.randint(1, 180)}",
                rnd.choice((1, 1, 2, 3)),
                round(40.60 + rnd.random() * 0.05, 5),
                round(22.92 + rnd.random() * 0.06, 5),
                (dt.date(2018, 1, 1) + dt.timedelta(days=rnd.randint(0, 2500))).isoformat(),
            ]
        )
    _add(
        parking,
        "Θέσεις στάθμευσης ΑμεΑ",
        "Disabled parking spaces",
        "disabled-parking.csv",
        _csv(rows),
    )

    air = _dataset(
        orgs["environment"],
        "air-quality",
        "Μετρήσεις ποιότητας ατμοσφαιρικού αέρα",
        "Air quality measurements",
        "Ημερήσιοι μέσοι όροι των σταθμών μέτρησης του δήμου: αιωρούμενα σωματίδια PM10 και "
        "PM2.5 και διοξείδιο του αζώτου (μg/m³). Όπου ο σταθμός δεν μέτρησε, η τιμή είναι "
        "«εκτός λειτουργίας».",
        "Daily means of the municipality's measuring stations: particulate matter PM10 and "
        "PM2.5 and nitrogen dioxide (µg/m³). Where a station did not measure, the value reads "
        "«εκτός λειτουργίας» (out of order).",
        "ENVI",
        ["ποιότητα αέρα", "air quality", "PM10", "περιβάλλον"],
        "DAILY",
        temporal_start=dt.date.today() - dt.timedelta(days=90),
        temporal_end=dt.date.today(),
    )
    rows = [["station", "station_name", "date", "pm10", "pm2_5", "no2"]]
    for day in range(90, 0, -1):
        when = dt.date.today() - dt.timedelta(days=day)
        for code, name in STATIONS:
            pm10 = round(18 + rnd.random() * 40, 1)
            rows.append(
                [
                    code,
                    name,
                    when.isoformat(),
                    "εκτός λειτουργίας" if (code == "kalamaria" and day == 37) else pm10,
                    round(pm10 * 0.6, 1),
                    rnd.randint(12, 70),
                ]
            )
    _add(air, "Ημερήσιες μετρήσεις", "Daily measurements", "air-quality.csv", _csv(rows))

    libraries = _dataset(
        orgs["culture"],
        "municipal-libraries",
        "Δημοτικές βιβλιοθήκες",
        "Municipal libraries",
        "Η Κεντρική Δημοτική Βιβλιοθήκη και τα παραρτήματά της, με διεύθυνση, ωράριο και σημείο.",
        "The Central Municipal Library and its branches, with address, opening hours and point.",
        "EDUC",
        ["βιβλιοθήκες", "libraries", "πολιτισμός"],
        "ANNUAL",
    )
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name", "address", "opening_hours", "latitude", "longitude", "books"])
    for name, address, lat, lon in LIBRARIES:
        sheet.append([name, address, "Δευ–Παρ 08:30–20:00", lat, lon, rnd.randint(8000, 120000)])
    out = io.BytesIO()
    book.save(out)
    _add(libraries, "Βιβλιοθήκες (XLSX)", "Libraries (XLSX)", "libraries.xlsx", out.getvalue())

    lanes = _dataset(
        orgs["transport"],
        "cycle-lanes",
        "Ποδηλατόδρομοι",
        "Cycle lanes",
        "Οι ποδηλατόδρομοι του δήμου ως γραμμές στον χάρτη (GeoJSON).",
        "The municipality's cycle lanes as lines on the map (GeoJSON).",
        "TRAN",
        ["ποδήλατο", "cycling", "κινητικότητα"],
        "ANNUAL",
    )
    features = [
        {
            "type": "Feature",
            "properties": {"name": "Νέα Παραλία", "length_km": 4.6},
            "geometry": {
                "type": "LineString",
                "coordinates": [
                    [22.9400, 40.6260],
                    [22.9480, 40.6200],
                    [22.9560, 40.6120],
                    [22.9600, 40.6020],
                ],
            },
        },
        {
            "type": "Feature",
            "properties": {"name": "Λεωφόρος Νίκης", "length_km": 1.9},
            "geometry": {
                "type": "LineString",
                "coordinates": [[22.9330, 40.6330], [22.9400, 40.6290], [22.9450, 40.6260]],
            },
        },
        {
            "type": "Feature",
            "properties": {"name": "Εγνατία", "length_km": 2.8},
            "geometry": {
                "type": "LineString",
                "coordinates": [[22.9330, 40.6420], [22.9450, 40.6370], [22.9560, 40.6320]],
            },
        },
    ]
    _add(
        lanes,
        "Ποδηλατόδρομοι (GeoJSON)",
        "Cycle lanes (GeoJSON)",
        "cycle-lanes.geojson",
        json.dumps(
            {"type": "FeatureCollection", "features": features}, ensure_ascii=False
        ).encode(),
    )

    draft = _dataset(
        orgs["digital"],
        "wifi-hotspots",
        "Σημεία δωρεάν Wi-Fi",
        "Free Wi-Fi hotspots",
        "Τα σημεία δωρεάν ασύρματης πρόσβασης του δήμου.",
        "The municipality's free Wi-Fi hotspots.",
        "TECH",
        ["wifi", "διαδίκτυο"],
        "IRREG",
    )
    services.set_state(dataset=draft, actor=None, state=State.DRAFT)
