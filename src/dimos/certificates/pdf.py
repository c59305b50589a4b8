"""Rendering a certificate as PDF with reportlab: DejaVu Sans embedded, header, QR code.

The DejaVu fonts (``dimos.core.pdf``) cover Greek and Latin; reportlab embeds the subset of
glyphs a document uses.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from reportlab.platypus import Frame, Paragraph, Spacer
from reportlab.platypus.tables import Table, TableStyle

from dimos.core.pdf import BOLD, REGULAR, draw_qr, register_fonts

BLUE = colors.HexColor("#003476")


@dataclass(frozen=True)
class Document:
    """Everything printed on a certificate, already in the document's language."""

    municipality: str
    municipality_address: str
    title: str
    body: str
    protocol_label: str
    protocol_number: str
    date_label: str
    date: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    code_label: str = ""
    code: str = ""
    verify_text: str = ""
    verify_url: str = ""
    demo_text: str = ""
    logo: bytes | None = None
    language: str = "el"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _emblem(c: canvas.Canvas, x: float, y: float, size: float) -> None:
    """The platform's building emblem (static/img/logo.svg) when there is no logo file."""
    s = size / 48
    c.saveState()
    c.setFillColor(BLUE)
    c.rect(x + 8 * s, y + (48 - 41) * s, 32 * s, 3 * s, stroke=0, fill=1)
    path = c.beginPath()
    path.moveTo(x + 10 * s, y + (48 - 19) * s)
    path.lineTo(x + 38 * s, y + (48 - 19) * s)
    path.lineTo(x + 24 * s, y + (48 - 10) * s)
    path.close()
    c.drawPath(path, stroke=0, fill=1)
    for column in (12, 22, 32):
        c.rect(x + column * s, y + (48 - 35) * s, 4 * s, 14 * s, stroke=0, fill=1)
    c.restoreState()


def _qr(c: canvas.Canvas, url: str, x: float, y: float, size: float) -> None:
    draw_qr(c, url, x, y, size)


def render(doc: Document) -> bytes:
    """The certificate as PDF bytes (one A4 page)."""
    register_fonts()
    buffer = io.BytesIO()
    width, height = A4
    c = canvas.Canvas(buffer, pagesize=A4, pageCompression=1, invariant=0)
    c.setTitle(doc.title)
    c.setAuthor(doc.municipality)
    c.setSubject(f"{doc.protocol_label} {doc.protocol_number}")
    c.setCreator("Dimos")

    # Header: logo, municipality, address, rule.
    top = height - 20 * mm
    logo_drawn = False
    if doc.logo:
        try:
            c.drawImage(
                ImageReader(io.BytesIO(doc.logo)),
                20 * mm,
                top - 18 * mm,
                18 * mm,
                18 * mm,
                preserveAspectRatio=True,
                mask="auto",
            )
            logo_drawn = True
        except Exception:  # an SVG or broken logo: the emblem instead
            logo_drawn = False
    if not logo_drawn:
        _emblem(c, 20 * mm, top - 18 * mm, 18 * mm)
    c.setFillColor(BLUE)
    c.setFont(BOLD, 15)
    c.drawString(42 * mm, top - 7 * mm, doc.municipality)
    c.setFillColor(colors.black)
    c.setFont(REGULAR, 9)
    c.drawString(42 * mm, top - 13 * mm, doc.municipality_address)
    c.setStrokeColor(BLUE)
    c.setLineWidth(1.2)
    c.line(20 * mm, top - 22 * mm, width - 20 * mm, top - 22 * mm)

    # Protocol number and date, top right.
    c.setFont(REGULAR, 9)
    c.drawRightString(width - 20 * mm, top - 7 * mm, f"{doc.protocol_label}: {doc.protocol_number}")
    c.drawRightString(width - 20 * mm, top - 12 * mm, f"{doc.date_label}: {doc.date}")

    # Demo marking: a banner and a diagonal watermark.
    if doc.demo_text:
        c.setKeywords("DEMO - not valid")
        c.saveState()
        c.setFillColor(colors.Color(0.85, 0.1, 0.1, alpha=0.12))
        c.setFont(BOLD, 46)
        c.translate(width / 2, height / 2)
        c.rotate(35)
        c.drawCentredString(0, 0, "DEMO · ΔΟΚΙΜΗ")
        c.restoreState()
        c.setFillColor(colors.HexColor("#b00020"))
        c.setFont(BOLD, 9)
        c.drawCentredString(width / 2, top - 28 * mm, doc.demo_text)
        c.setFillColor(colors.black)

    # Title, fields and text.
    title = ParagraphStyle("title", fontName=BOLD, fontSize=17, leading=22, alignment=1)
    body = ParagraphStyle(
        "body", fontName=REGULAR, fontSize=11, leading=16, alignment=TA_JUSTIFY, spaceAfter=8
    )
    flow: list = [Paragraph(_escape(doc.title), title)]
    if doc.fields:
        rows = [[_escape(label), _escape(value)] for label, value in doc.fields]
        cell = ParagraphStyle("cell", fontName=REGULAR, fontSize=11, leading=15)
        table = Table(
            [[Paragraph(label, cell), Paragraph(value, cell)] for label, value in rows],
            colWidths=[60 * mm, 110 * mm],
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
                ]
            )
        )
        flow.append(table)
        flow.append(Spacer(1, 6 * mm))
    body_bold = ParagraphStyle("b", parent=body, fontName=REGULAR)
    for paragraph in doc.body.split("\n\n"):
        if paragraph.strip():
            flow.append(Paragraph(_escape(paragraph.strip()).replace("\n", "<br/>"), body_bold))
    from reportlab.lib.fonts import addMapping

    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    frame = Frame(20 * mm, 60 * mm, width - 40 * mm, top - 34 * mm - 60 * mm, showBoundary=0)
    frame.addFromList(flow, c)

    # Footer: QR code and the verification code.
    if doc.verify_url:
        _qr(c, doc.verify_url, 20 * mm, 18 * mm, 34 * mm)
    c.setFont(BOLD, 11)
    c.drawString(58 * mm, 44 * mm, f"{doc.code_label}: {doc.code}")
    small = ParagraphStyle("small", fontName=REGULAR, fontSize=9, leading=12)
    footer = Frame(57 * mm, 16 * mm, width - 77 * mm, 25 * mm, showBoundary=0)
    footer.addFromList(
        [Paragraph(_escape(doc.verify_text), small), Paragraph(_escape(doc.verify_url), small)], c
    )
    c.showPage()
    c.save()
    return buffer.getvalue()
