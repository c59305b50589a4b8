"""The Advocate's PDFs, rendered with reportlab (DejaVu Sans embedded, ``dimos.core.pdf``): the
answer letter to a complainant and the annual report to the council."""

from __future__ import annotations

import io
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from dimos.advocate.models import AnnualReport, Complaint
from dimos.core.models import Municipality
from dimos.core.pdf import BOLD, REGULAR, register_fonts

BLUE = colors.HexColor("#003476")


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=10.5, leading=15, spaceAfter=6)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11),
        "h1": ParagraphStyle(
            "h1", parent=body, fontName=BOLD, fontSize=16, leading=20, textColor=BLUE
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName=BOLD,
            fontSize=12,
            leading=16,
            textColor=BLUE,
            spaceBefore=8,
        ),
        "office": ParagraphStyle("office", parent=body, fontName=BOLD, fontSize=11, leading=14),
    }


def _text(value: str) -> str:
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("\n", "<br/>")


def _header(styles: dict[str, ParagraphStyle]) -> list[Any]:
    municipality = Municipality.current()
    name = str(municipality.name) if municipality else ""
    address = str(municipality.address) if municipality else ""
    return [
        Paragraph(_text(name), styles["office"]),
        Paragraph(_("The Advocate for citizens and enterprises"), styles["body"]),
        Paragraph(_text(address), styles["small"]),
        Spacer(1, 4 * mm),
    ]


def _table(rows: list[list[str]], widths: list[float], *, header: bool = True) -> Table:
    """A table of figures (a header row, numbers on the right) or of a letter's details."""
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    grey = colors.HexColor("#b1b4b6")
    style: list[Any] = [
        ("FONT", (0, 0), (-1, -1), REGULAR, 9.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        style += [
            ("FONT", (0, 0), (-1, 0), BOLD, 9.5),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, BLUE),
            ("LINEBELOW", (0, 1), (-1, -1), 0.3, grey),
            ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
        ]
    else:
        style += [("FONT", (0, 0), (0, -1), BOLD, 9.5), ("LINEBELOW", (0, 0), (-1, -1), 0.3, grey)]
    table.setStyle(TableStyle(style))
    return table


def _build(story: list[Any], *, title: str, subject: str) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        subject=subject,
        author=_("The Advocate for citizens and enterprises"),
        creator="Dimos",
    )
    doc.build(story)
    return buffer.getvalue()


def answer_letter(complaint: Complaint) -> bytes:
    """The Advocate's answer to the complainant, in their language."""
    with translation.override(complaint.language or "el"):
        styles = _styles()
        closed = complaint.closed_at or timezone.now()
        story = _header(styles)
        story.append(
            _table(
                [
                    [_("Protocol number"), complaint.reference],
                    [_("Date"), formats.date_format(timezone.localtime(closed), "j E Y")],
                    [pgettext("letter", "To"), complaint.display_name],
                    [_("Service concerned"), str(complaint.body.name)],
                ],
                [45 * mm, 125 * mm],
                header=False,
            )
        )
        story += [
            Spacer(1, 6 * mm),
            Paragraph(_("Answer to your complaint"), styles["h1"]),
            Paragraph(
                _("Outcome: %(outcome)s") % {"outcome": complaint.get_outcome_display()}
                if complaint.outcome
                else complaint.get_status_display(),
                styles["office"],
            ),
            Spacer(1, 3 * mm),
        ]
        text = complaint.answer or complaint.decision_text
        story += [Paragraph(_text(p), styles["body"]) for p in text.split("\n\n") if p.strip()]
        if complaint.recommendation:
            story += [
                Paragraph(_("Recommendation to the service"), styles["h2"]),
                Paragraph(_text(complaint.recommendation), styles["body"]),
            ]
        if complaint.service_reasons:
            story += [
                Paragraph(_("The service's reasons"), styles["h2"]),
                Paragraph(_text(complaint.service_reasons), styles["body"]),
            ]
        story += [
            Spacer(1, 10 * mm),
            Paragraph(_("The Advocate for citizens and enterprises"), styles["office"]),
            Spacer(1, 6 * mm),
            Paragraph(
                _(
                    "Art. 77 N.3852/2010. The Advocate mediates; the answer does not bind the "
                    "courts. Keep this letter for your records."
                ),
                styles["small"],
            ),
        ]
        return _build(story, title=_("Answer to your complaint"), subject=complaint.reference)


def annual_report(
    report: AnnualReport | None,
    year: int,
    figures: dict[str, Any],
    chart_list: list[Any],
    language: str,
) -> bytes:
    """The year's report to the council: the office's text, the figures and the charts."""
    with translation.override(language):
        styles = _styles()
        story = _header(styles)
        story.append(Paragraph(_("Annual report %(year)s") % {"year": year}, styles["h1"]))
        if report is not None and report.introduction:
            story += [
                Paragraph(_text(p), styles["body"])
                for p in str(report.introduction).split("\n\n")
                if p.strip()
            ]
        story.append(Paragraph(_("The year in figures"), styles["h2"]))
        median = figures["median_days"]
        story.append(
            _table(
                [
                    [_("Figure"), _("Value")],
                    [_("Complaints received"), str(figures["total"])],
                    [_("Admitted"), str(figures["admitted"])],
                    [_("Answered"), str(figures["answered"])],
                    [_("Median days to answer"), "—" if median is None else f"{median:g}"],
                    [
                        _("Answered within the legal deadline"),
                        "—"
                        if figures["deadline_kept_share"] is None
                        else f"{figures['deadline_kept']} ({figures['deadline_kept_share']} %)",
                    ],
                    [_("Recommendations made"), str(figures["recommendations"])],
                ],
                [120 * mm, 50 * mm],
            )
        )
        for chart in chart_list:
            try:
                png = chart.png()  # titled on the image itself
            except Exception:  # the converter missing: the title and the table say it all
                png = b""
                story.append(Paragraph(_text(str(chart.title)), styles["h2"]))
            if png:
                image = Image(io.BytesIO(png))
                scale = min(1.0, (170 * mm) / image.drawWidth)
                image.drawWidth *= scale
                image.drawHeight *= scale
                story.append(image)
            rows = [[str(c.title) for c in chart.columns]]
            rows += [[str(r[c.field]) for c in chart.columns] for r in chart.rows]
            story.append(_table(rows, [120 * mm, 50 * mm]))
        if report is not None and report.highlights:
            story.append(Paragraph(_("Highlights and proposals"), styles["h2"]))
            story += [
                Paragraph(_text(p), styles["body"])
                for p in str(report.highlights).split("\n\n")
                if p.strip()
            ]
        return _build(
            story,
            title=_("Annual report %(year)s") % {"year": year},
            subject=_("The Advocate for citizens and enterprises"),
        )
