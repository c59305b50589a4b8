"""Certificate types made before ``document_fields``: what their texts print, they need.

Every placeholder of a type's Greek and English text (but the municipality) becomes a detail
the document needs, so the form asks for it and no certificate is issued with a blank. The
questions of the demo types also get the labels their documents print (until now the PDF
printed the question itself).
"""

import string

from django.db import migrations

HOLDER_FIELDS = ("holder_father_name", "holder_birth_date", "holder_address")
SKIP = {"municipality", "holder_name"}
# The demo types' questions (certificates/demo.py): the labels their documents print.
DOCUMENT_LABELS = {
    "years": ("Έτη κατοικίας στον δήμο", "Years of residence in the municipality"),
    "purpose": ("Χρήση", "Purpose"),
    "registry_number": ("Αριθμός δημοτολογίου", "Municipal registry number"),
    "birth_place": ("Τόπος γέννησης", "Place of birth"),
    "mother_name": ("Μητρώνυμο", "Mother's name"),
    "tax_number": ("ΑΦΜ", "Tax number (AFM)"),
}


def _placeholders(text):
    names = []
    for match in string.Template.pattern.finditer(text or ""):
        name = match.group("named") or match.group("braced")
        if name and name not in SKIP and name not in names:
            names.append(name)
    return names


def forward(apps, schema_editor):
    CertificateType = apps.get_model("certificates", "CertificateType")
    for ctype in CertificateType.objects.all():
        questions = {
            spec.get("name"): spec for spec in ctype.fields or [] if isinstance(spec, dict)
        }
        needed = list(ctype.document_fields or [])
        for name in _placeholders(ctype.template_el) + _placeholders(ctype.template_en):
            if (name in HOLDER_FIELDS or name in questions) and name not in needed:
                needed.append(name)
        fields = []
        for spec in ctype.fields or []:
            if isinstance(spec, dict) and spec.get("name") in needed:
                labels = DOCUMENT_LABELS.get(spec["name"])
                if labels and not spec.get("document_label_el"):
                    spec = {**spec, "document_label_el": labels[0], "document_label_en": labels[1]}
            fields.append(spec)
        ctype.document_fields = needed
        ctype.fields = fields
        ctype.save(update_fields=["document_fields", "fields"])


class Migration(migrations.Migration):
    dependencies = [("certificates", "0003_type_document_fields")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
