"""The fonts of the PDFs Dimos makes with reportlab (certificates, the Advocate's answers and
annual report, the certificates of attendance): DejaVu Sans, shipped in ``core/fonts/`` (licence in
``fonts/LICENSE-DejaVu.txt``), covers Greek and Latin; reportlab embeds the subset of glyphs a
document uses, so a PDF reads the same on any machine. And a QR code, drawn on a page
(a certificate's verification) or as SVG (an event ticket).
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.graphics import renderPDF, renderSVG
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

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


def _qr_drawing(text: str, size: float) -> Drawing:
    widget = QrCodeWidget(text, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def draw_qr(c: canvas.Canvas, text: str, x: float, y: float, size: float) -> None:
    """A QR code of ``text``, ``size`` points square, its lower left corner at (x, y)."""
    renderPDF.draw(_qr_drawing(text, size), c, x, y)


def qr_svg(text: str, size: float = 200) -> str:
    """A QR code of ``text`` as an SVG element (for a page: a ticket to show at the door)."""
    svg = renderSVG.drawToString(_qr_drawing(text, size))
    return svg[svg.index("<svg") :]
