"""The vocabularies of the catalogue: licences, the EU data themes, file types, frequencies.

Licences are CKAN's ``license_list`` entries with the EU licence vocabulary's URI beside them;
themes are the EU data themes (``http://publications.europa.eu/resource/authority/data-theme``),
formats the EU file types (``…/authority/file-type``). DCAT-AP names each by its URI.
"""

from __future__ import annotations

from dataclasses import dataclass

EU = "http://publications.europa.eu/resource/authority/"
THEME_BASE = EU + "data-theme/"
FILE_TYPE_BASE = EU + "file-type/"
FREQUENCY_BASE = EU + "frequency/"
LICENCE_BASE = EU + "licence/"


@dataclass(frozen=True)
class Licence:
    id: str
    title: str
    url: str
    eu: str  # the EU licence vocabulary's code
    od_conformance: str = "approved"
    is_open: bool = True

    def ckan(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "status": "active",
            "maintainer": "",
            "family": "",
            "od_conformance": self.od_conformance,
            "osd_conformance": "not reviewed",
            "domain_content": True,
            "domain_data": True,
            "domain_software": False,
            "is_generic": False,
            "is_okd_compliant": self.is_open,
            "is_osi_compliant": False,
        }

    @property
    def uri(self) -> str:
        return LICENCE_BASE + self.eu


LICENCES: dict[str, Licence] = {
    lic.id: lic
    for lic in (
        Licence(
            "CC-BY-4.0",
            "Creative Commons Attribution 4.0",
            "https://creativecommons.org/licenses/by/4.0/",
            "CC_BY_4_0",
        ),
        Licence(
            "CC-BY-SA-4.0",
            "Creative Commons Attribution Share-Alike 4.0",
            "https://creativecommons.org/licenses/by-sa/4.0/",
            "CC_BYSA_4_0",
        ),
        Licence(
            "CC0-1.0",
            "Creative Commons CCZero",
            "https://creativecommons.org/publicdomain/zero/1.0/",
            "CC0",
        ),
        Licence(
            "ODbL-1.0",
            "Open Data Commons Open Database License 1.0",
            "https://opendatacommons.org/licenses/odbl/1-0/",
            "ODBL",
        ),
        Licence(
            "ODC-BY-1.0",
            "Open Data Commons Attribution License 1.0",
            "https://opendatacommons.org/licenses/by/1-0/",
            "ODC_BY",
        ),
        Licence(
            "PDDL-1.0",
            "Open Data Commons Public Domain Dedication and License 1.0",
            "https://opendatacommons.org/licenses/pddl/1-0/",
            "ODC_PDDL",
        ),
    )
}

# The EU data themes: code → (Greek, English).
THEMES: dict[str, tuple[str, str]] = {
    "AGRI": ("Γεωργία, αλιεία, δασοκομία και τρόφιμα", "Agriculture, fisheries, forestry and food"),
    "ECON": ("Οικονομία και χρηματοοικονομικά", "Economy and finance"),
    "EDUC": ("Παιδεία, πολιτισμός και αθλητισμός", "Education, culture and sport"),
    "ENER": ("Ενέργεια", "Energy"),
    "ENVI": ("Περιβάλλον", "Environment"),
    "GOVE": ("Κυβέρνηση και δημόσιος τομέας", "Government and public sector"),
    "HEAL": ("Υγεία", "Health"),
    "INTR": ("Διεθνή θέματα", "International issues"),
    "JUST": (
        "Δικαιοσύνη, νομικό σύστημα και δημόσια ασφάλεια",
        "Justice, legal system and public safety",
    ),
    "REGI": ("Περιφέρειες και πόλεις", "Regions and cities"),
    "SOCI": ("Πληθυσμός και κοινωνία", "Population and society"),
    "TECH": ("Επιστήμη και τεχνολογία", "Science and technology"),
    "TRAN": ("Μεταφορές", "Transport"),
}

# Formats as CKAN names them → (EU file-type code, media type).
FORMATS: dict[str, tuple[str, str]] = {
    "CSV": ("CSV", "text/csv"),
    "XLSX": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "JSON": ("JSON", "application/json"),
    "GEOJSON": ("GEOJSON", "application/geo+json"),
    "PDF": ("PDF", "application/pdf"),
    "XML": ("XML", "application/xml"),
    "ZIP": ("ZIP", "application/zip"),
    "HTML": ("HTML", "text/html"),
    "TSV": ("TSV", "text/tab-separated-values"),
    "ODS": ("ODS", "application/vnd.oasis.opendocument.spreadsheet"),
    "KML": ("KML", "application/vnd.google-earth.kml+xml"),
    "SHP": ("SHP", "application/x-shapefile"),
    "RDF": ("RDF_XML", "application/rdf+xml"),
    "TTL": ("RDF_TURTLE", "text/turtle"),
    "TXT": ("TXT", "text/plain"),
}

# How a format is spelled in file names → the catalogue's format.
EXTENSIONS = {
    "csv": "CSV",
    "xlsx": "XLSX",
    "json": "JSON",
    "geojson": "GeoJSON",
    "pdf": "PDF",
    "xml": "XML",
    "zip": "ZIP",
    "tsv": "TSV",
    "ods": "ODS",
    "kml": "KML",
    "txt": "TXT",
}


def format_info(fmt: str) -> tuple[str, str]:
    """The EU file-type code and the media type of a format ("CSV", "GeoJSON"…)."""
    return FORMATS.get(fmt.upper(), ("OCTET", "application/octet-stream"))


def licence(license_id: str) -> Licence | None:
    return LICENCES.get(license_id)
