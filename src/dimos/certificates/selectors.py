"""Reads: a resident's requests, the staff queue's figures, the public verification."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from dimos.certificates.models import (
    CertificateRequest,
    DocumentStatus,
    IssuedDocument,
    normalise_code,
)


def requests_of(user_id: int) -> QuerySet[CertificateRequest]:
    return CertificateRequest.objects.filter(applicant_id=user_id).select_related(
        "certificate_type"
    )


def issued_online_count() -> int:
    """Certificates issued through the platform (a re-issue counts once)."""
    return IssuedDocument.objects.filter(
        status__in=(DocumentStatus.VALID, DocumentStatus.REVOKED)
    ).count()


def mask_name(name: str) -> str:
    """``Αλίκη Παπαδοπούλου`` → ``Α*** Π***``: initials only (not even the names' lengths)."""
    return " ".join(word[0] + "***" for word in name.split() if word)


@dataclass(frozen=True)
class Verification:
    """What the public verification shows about a code or an uploaded PDF."""

    found: bool
    code: str = ""
    status: str = ""
    status_label: str = ""
    type_name: str = ""
    issued_at: Any = None
    holder: str = ""
    protocol_number: str = ""
    revoked_at: Any = None
    # Only for an uploaded PDF:
    hash_matches: bool | None = None
    signature_valid: bool | None = None

    @property
    def genuine(self) -> bool:
        """Found and, for an upload, the exact bytes and a valid signature."""
        if not self.found:
            return False
        if self.hash_matches is None:
            return True
        return bool(self.hash_matches and self.signature_valid)


def _verification(doc: IssuedDocument, **extra: Any) -> Verification:
    return Verification(
        found=True,
        code=doc.display_code,
        status=doc.status,
        status_label=str(doc.get_status_display()),
        type_name=str(doc.certificate_type.name),
        issued_at=doc.issued_at,
        holder=mask_name(doc.holder_name),
        protocol_number=doc.protocol_number,
        revoked_at=doc.revoked_at,
        **extra,
    )


# The registry state of a code is cached this long (and forgotten at once by the process that
# revokes or supersedes; with a shared cache such as Redis, by every process).
STATE_SECONDS = 5
# Pending and void rows (no signed PDF) are unknown to the public.
_STATE_SQL = (
    f"SELECT status, revoked_at FROM {IssuedDocument._meta.db_table} "  # noqa: S608
    "WHERE code = %s AND status IN ('valid', 'revoked', 'superseded')"
)


def _state_key(code: str) -> str:
    return f"dimos:verify-state:{code}"


def verification_state(raw: str) -> str | None:
    """A code's registry status and revocation time, or None for an unknown code.

    One indexed lookup in plain SQL (the ORM's query building cost more than the rest of a
    cached verification page), kept a few seconds in the cache.
    """
    code = normalise_code(raw)
    key = _state_key(code)
    state = cache.get(key)
    if state is None:
        with connection.cursor() as cursor:
            cursor.execute(_STATE_SQL, [code])
            row = cursor.fetchone()
        state = "" if row is None else f"{row[0]}:{row[1] or ''}"
        cache.set(key, state, STATE_SECONDS)
    return state or None


def forget_verification_state(code: str) -> None:
    cache.delete(_state_key(code))


def verify_code(raw: str) -> Verification:
    code = normalise_code(raw)
    if not code:
        return Verification(found=False)
    doc = (
        IssuedDocument.objects.select_related("certificate_type")
        .only(
            "code",
            "status",
            "issued_at",
            "holder_name",
            "protocol_number",
            "revoked_at",
            "certificate_type__name_el",
            "certificate_type__name_en",
        )
        .issued()
        .filter(code=code)
        .first()
    )
    return _verification(doc) if doc else Verification(found=False)


def verify_pdf(content: bytes) -> Verification:
    """An uploaded PDF: its SHA-256 must be in the registry and its signature must validate.

    The registry is asked first: a file the municipality did not issue is never parsed (a PDF
    can be built to make its parser expand gigabytes), so anyone's upload costs one hash and
    one indexed lookup. Only a registered file's signature is checked, in a bounded child
    process; :class:`signing.CheckNotPossible` when it hits a limit.
    """
    from dimos.certificates import signing

    digest = hashlib.sha256(content).hexdigest()
    doc = (
        IssuedDocument.objects.issued()
        .select_related("certificate_type")
        .filter(sha256=digest)
        .first()
    )
    if doc is None:
        return Verification(found=False, hash_matches=False)
    check = signing.validate_pdf(content)
    return _verification(doc, hash_matches=True, signature_valid=check.ok)


def verification_message(result: Verification, *, uploaded: bool) -> str:
    """The answer in one sentence, in the active language (the page and the API say the same)."""
    if uploaded and not result.found:
        return str(
            _(
                "Not a certificate issued by this municipality: this file matches no document "
                "in its registry."
            )
        )
    if not result.found:
        return str(_("No certificate has this code."))
    if uploaded and not result.genuine:
        return str(_("Not genuine: this file is not the certificate the municipality issued."))
    if result.status == DocumentStatus.REVOKED:
        return str(_("Revoked: this certificate is no longer valid."))
    if result.status == DocumentStatus.SUPERSEDED:
        return str(_("Superseded: a newer certificate replaced this one."))
    if uploaded:
        return str(
            _(
                "Genuine: the file is the certificate the municipality issued, and its "
                "signature is valid."
            )
        )
    return str(_("Valid: the municipality issued a certificate with this code."))


def totals_by_type_and_month(year: int | None = None) -> list[dict[str, Any]]:
    """Issued certificates (re-issues once) per type and month: the running totals."""
    documents = IssuedDocument.objects.filter(
        status__in=(DocumentStatus.VALID, DocumentStatus.REVOKED)
    )
    if year is not None:
        documents = documents.filter(issued_at__year=year)
    rows = (
        documents.annotate(month=TruncMonth("issued_at"))
        .values("month", "certificate_type__name_el", "certificate_type__name_en")
        .annotate(count=Count("pk"))
        .order_by("month", "certificate_type__name_el")
    )
    return list(rows)


def requests_by_status() -> dict[str, int]:
    rows = CertificateRequest.objects.values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}
