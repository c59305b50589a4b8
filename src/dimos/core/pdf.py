"""The fonts of the PDFs Dimos makes with reportlab (certificates, the Advocate's answers and
annual report): DejaVu Sans, shipped in ``core/fonts/`` (licence in
``fonts/LICENSE-DejaVu.txt``), covers Greek and Latin; reportlab embeds the subset of glyphs a
document uses, so a PDF reads the same on any machine.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"
_lock = threading.Lock()
_ready = False


def register_fonts() -> None:
    """Register DejaVu Sans (regular and bold) with reportlab, once per process."""
    global _ready
    with _lock:
        if _ready:
            return
        pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))
        _ready = True
