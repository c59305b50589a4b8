"""Personal data taken out of free text before anything of it is published.

Emails, phone numbers, AMKA/AFM-like runs of digits, IBANs, street numbers with a name, and
names introduced as names ("my name is …", «λέγομαι …», a title such as «κ.» or "Mr") are
replaced by a bracketed word. What is redacted is never stored: the original stays with the
staff who triage it, the published text is redacted when it is shown.
"""

from __future__ import annotations

import re

from django.utils.translation import pgettext

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", re.UNICODE)
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}(?:\s?[A-Z0-9]{1,4})?\b")
# A phone: +30 and/or 10 digits with spaces, dots or dashes between groups.
PHONE = re.compile(r"(?<!\w)(?:\+|00)?(?:30[\s.-]?)?(?:\d[\s.-]?){9}\d(?!\w)")
# AMKA (11 digits), AFM (9), ID-like runs: 6 digits or more.
NUMBER = re.compile(r"(?<!\w)\d{6,}(?!\w)")
ID_CARD = re.compile(r"\b[Α-ΩA-Z]{1,2}\s?\d{6}\b")
TITLE_NAME = re.compile(
    r"(?:\b(?:κ\.|κα\.|κας\.|κυρ[ιί]α|κ[υύ]ριος|κ[υύ]ριε|Mr\.?|Mrs\.?|Ms\.?|Dr\.?)\s+)"
    r"([Α-ΩΆΈΉΊΌΎΏA-Z][\wάέήίόύώϊϋΐΰ'-]+(?:\s+[Α-ΩΆΈΉΊΌΎΏA-Z][\wάέήίόύώϊϋΐΰ'-]+)?)",
    re.UNICODE,
)
CALLED = re.compile(
    r"((?:\bmy name is|\bI am|\bλέγομαι|\bονομάζομαι|\bτο όνομά μου είναι|\bείμαι ο|\bείμαι η)\s+)"
    r"([Α-ΩΆΈΉΊΌΎΏA-Z][\wάέήίόύώϊϋΐΰ'-]+(?:\s+[Α-ΩΆΈΉΊΌΎΏA-Z][\wάέήίόύώϊϋΐΰ'-]+)?)",
    re.UNICODE | re.IGNORECASE,
)


def redact(text: str) -> str:
    """``text`` with the personal data in it replaced, e.g. ``[email]``."""
    if not text:
        return ""
    email = "[" + pgettext("redacted", "email") + "]"
    number = "[" + pgettext("redacted", "number") + "]"
    phone = "[" + pgettext("redacted", "phone") + "]"
    name = "[" + pgettext("redacted", "name") + "]"
    text = EMAIL.sub(email, text)
    text = IBAN.sub(number, text)
    text = PHONE.sub(phone, text)
    text = ID_CARD.sub(number, text)
    text = NUMBER.sub(number, text)
    text = TITLE_NAME.sub(lambda m: m.group(0)[: m.start(1) - m.start(0)] + name, text)
    return CALLED.sub(lambda m: m.group(1) + name, text)
