"""Diavgeia (diavgeia.gov.gr), the national transparency portal: its decision ids (ΑΔΑ).

Every decision of a municipality that is posted on Diavgeia gets an ADA: Greek capitals and
digits, a dash and three more, e.g. «Ψ4Ω2ΩΞΑ-8ΑΒ» or «6ΖΣΚΩΞΑ-ΓΡ1». The council's decisions and
the budget's spending decisions carry one and link to it.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ADA_RE = re.compile(r"^[0-9Α-Ω]{4}[0-9Α-Ω]{3,6}-[0-9Α-Ω]{3}$")


def validate_ada(value: str) -> None:
    """Refuse what is not an ADA (the form's and the model's validator)."""
    if not ADA_RE.fullmatch(value or ""):
        raise ValidationError(
            _(
                "A Diavgeia ADA is written in Greek capitals and digits, like Ψ4Ω2ΩΞΑ-8ΑΒ: "
                "seven to ten characters, a dash and three more."
            ),
            code="ada",
        )


def decision_url(ada: str) -> str:
    """The decision's page on Diavgeia, "" without an ADA."""
    return f"https://diavgeia.gov.gr/decision/view/{ada}" if ada else ""
