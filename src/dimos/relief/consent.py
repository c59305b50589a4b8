"""The consent a beneficiary gives, by version. A new wording is a new version here; the
beneficiary record keeps the version they (or the helpline, for them) agreed to."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TEXTS: dict[int, Promise] = {
    1: _(
        "The municipality keeps the name, address, phone and needs of the person helped to "
        "arrange the help, shows them only to its relief coordinators and to the courier of "
        "each delivery, and erases them after a year without help."
    ),
    2: _(
        "The municipality keeps the name, address, phone and needs of the person helped, and "
        "for a food parcel whether they qualify for the social grocery, to arrange the help; "
        "shows them only to its relief coordinators and to the courier of each delivery; and "
        "erases them a year after the last help, or sooner when no help was brought."
    ),
}
CURRENT = max(TEXTS)


def text(version: int = CURRENT) -> Promise:
    return TEXTS[version]
