"""Dataset names (slugs) from Greek titles: transliterated as ELOT 743 does, CKAN's
``[a-z0-9_-]{2,100}``."""

from __future__ import annotations

import re

from dimos.core.text import fold

_PAIRS = {"ου": "ou", "αυ": "av", "ευ": "ev", "μπ": "b", "ντ": "nt", "γκ": "gk", "γγ": "ng"}
_ONE = dict(
    zip(
        "αβγδεζηθικλμνξοπρσςτυφχψω",
        [
            "a",
            "v",
            "g",
            "d",
            "e",
            "z",
            "i",
            "th",
            "i",
            "k",
            "l",
            "m",
            "n",
            "x",
            "o",
            "p",
            "r",
            "s",
            "s",
            "t",
            "y",
            "f",
            "ch",
            "ps",
            "o",
        ],
        strict=True,
    )
)
NAME = re.compile(r"^[a-z0-9_-]{2,100}$")


def transliterate(text: str) -> str:
    folded = fold(text)
    out = []
    i = 0
    while i < len(folded):
        pair = folded[i : i + 2]
        if pair in _PAIRS:
            out.append(_PAIRS[pair])
            i += 2
            continue
        out.append(_ONE.get(folded[i], folded[i]))
        i += 1
    return "".join(out)


def slug_for(title: str, taken: set[str] | None = None, max_length: int = 80) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", transliterate(title)).strip("-")[:max_length].strip("-")
    base = base if len(base) >= 2 else "dataset"
    name, n = base, 2
    while taken is not None and name in taken:
        name = f"{base}-{n}"
        n += 1
    return name
