"""Documents of activities: the certificate of attendance (PDF) and the QR check-in ticket.

The certificate is made when it is downloaded, from the attendance taken, in the language of
the page; it is not a signed certificate of the registry (it certifies taking part, nothing a
public body relies on), so it carries no verification code.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from dimos.activities.models import Registration, RegistrationStatus
from dimos.core import audit
from dimos.core.models import Municipality
from dimos.core.pdf import BOLD, REGULAR, qr_svg, register_fonts

if TYPE_CHECKING:
    from django.http import HttpRequest

BLUE = colors.HexColor("#003476")


def attended_sessions(registration: Registration) -> list:
    return [
        a.session
        for a in registration.attendance.filter(present=True)
        .select_related("session")
        .order_by("session__starts_at")
    ]


def certificate_ready(registration: Registration) -> bool:
    """A certificate once the programme offers one and the participant was at a session."""
    return (
        registration.programme.certificate
        and registration.status == RegistrationStatus.CONFIRMED
        and registration.attendance.filter(present=True).exists()
    )


def _wrap(c: canvas.Canvas, text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if c.stringWidth(trial, font, size) <= width:
            line = trial
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def certificate_pdf(registration: Registration, request: HttpRequest | None = None) -> bytes:
    """The certificate of attendance as one landscape A4 page."""
    register_fonts()
    programme = registration.programme
    sessions = attended_sessions(registration)
    total = programme.sessions.filter(status="scheduled", starts_at__lte=timezone.now()).count()
    municipality = Municipality.current()
    town = str(municipality.name) if municipality else "Dimos"
    buffer = io.BytesIO()
    width, height = landscape(A4)
    c = canvas.Canvas(buffer, pagesize=landscape(A4), pageCompression=1, invariant=0)
    title = _("Certificate of attendance")
    c.setTitle(f"{title} · {programme.title}")
    c.setAuthor(town)
    c.setCreator("Dimos")
    # A frame and the municipality's name.
    c.setStrokeColor(BLUE)
    c.setLineWidth(3)
    c.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    c.setLineWidth(0.8)
    c.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)
    c.setFillColor(BLUE)
    c.setFont(BOLD, 16)
    c.drawCentredString(width / 2, height - 35 * mm, town)
    c.setFont(BOLD, 30)
    c.drawCentredString(width / 2, height - 60 * mm, title)
    c.setFillColor(colors.black)
    c.setFont(REGULAR, 14)
    c.drawCentredString(width / 2, height - 80 * mm, _("This certifies that"))
    c.setFont(BOLD, 26)
    c.drawCentredString(width / 2, height - 97 * mm, registration.participant)
    first = (
        formats.date_format(timezone.localtime(sessions[0].starts_at), "j E Y") if sessions else ""
    )
    last = (
        formats.date_format(timezone.localtime(sessions[-1].starts_at), "j E Y") if sessions else ""
    )
    if first == last:
        sentence = _(
            "took part in “%(title)s”, organised by %(organiser)s, attending %(count)s of "
            "%(total)s sessions, on %(first)s."
        )
    else:
        sentence = _(
            "took part in “%(title)s”, organised by %(organiser)s, attending %(count)s of "
            "%(total)s sessions between %(first)s and %(last)s."
        )
    text = sentence % {
        "title": programme.title,
        "organiser": programme.organiser_name,
        "count": len(sessions),
        "total": max(total, len(sessions)),
        "first": first,
        "last": last,
    }
    y = height - 115 * mm
    c.setFont(REGULAR, 14)
    for line in _wrap(c, text, REGULAR, 14, width - 70 * mm):
        c.drawCentredString(width / 2, y, line)
        y -= 8 * mm
    c.setFont(REGULAR, 10)
    c.setFillColor(colors.HexColor("#444444"))
    issued = formats.date_format(timezone.localdate(), "j E Y")
    c.drawString(25 * mm, 25 * mm, _("Issued on %(date)s") % {"date": issued})
    c.drawRightString(
        width - 25 * mm, 25 * mm, _("Registration %(number)s") % {"number": registration.pk}
    )
    c.showPage()
    c.save()
    audit.record(action="activity.certificate_downloaded", target=registration, request=request)
    return buffer.getvalue()


def ticket_qr_svg(request: HttpRequest, registration: Registration) -> str:
    """The QR code on a ticket: the organisers' check-in address with the ticket's code, so
    any phone camera of an organiser opens it (the page asks them to log in)."""
    url = request.build_absolute_uri(
        reverse("activities_staff:check_in_code", args=[registration.check_in_code])
    )
    return qr_svg(url, 220)
