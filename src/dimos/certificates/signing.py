"""PAdES signing and validation with pyHanko.

The municipality's certificate and key come from a PKCS#12 file (``DIMOS_SIGNING_PKCS12`` and
``DIMOS_SIGNING_PKCS12_PASSWORD``). Without one, a self-signed *demo* certificate and key are
generated on first use into ``DIMOS_VAR_DIR/signing/`` (mode 0600, never under static or media
files) and every document is visibly marked as a demo. With ``DIMOS_SIGNING_TSA_URL`` an RFC
3161 timestamp is added (PAdES B-T). Nothing here logs the key, its path's contents or the
password.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import math
import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from django.conf import settings

logger = logging.getLogger(__name__)

DEMO_SUBJECT_CN = "Dimos DEMO signing certificate (not valid for real use)"


@dataclass(frozen=True)
class SigningIdentity:
    signer: Any  # pyhanko.sign.signers.SimpleSigner
    certificate: asn1_x509.Certificate
    demo: bool

    @property
    def subject(self) -> str:
        return str(self.certificate.subject.human_friendly)


_lock = threading.Lock()


def _demo_dir() -> Path:
    return Path(settings.VAR_DIR) / "signing"


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def ensure_demo_certificate(directory: Path | None = None) -> tuple[Path, Path]:
    """The demo key and certificate files, generated once (RSA 2048, self-signed, 10 years)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    directory = directory or _demo_dir()
    key_path, cert_path = directory / "demo-key.pem", directory / "demo-cert.pem"
    if key_path.exists() and cert_path.exists():
        return key_path, cert_path
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "GR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Dimos demo municipality"),
            x509.NameAttribute(NameOID.COMMON_NAME, DEMO_SUBJECT_CN),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        _write_private(key_path, key_pem)
        _write_private(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    except FileExistsError:
        pass  # another process generated them at the same moment: use theirs
    return key_path, cert_path


@lru_cache(maxsize=1)
def _identity(pkcs12: str, demo_dir: str) -> SigningIdentity:
    from pyhanko.sign import signers

    if pkcs12:
        password = settings.DIMOS_SIGNING_PKCS12_PASSWORD
        signer = signers.SimpleSigner.load_pkcs12(
            pkcs12, passphrase=password.encode() if password else None
        )
        if signer is None:
            raise RuntimeError("The signing PKCS#12 file could not be loaded.")
        return SigningIdentity(signer=signer, certificate=signer.signing_cert, demo=False)
    key_path, cert_path = ensure_demo_certificate(Path(demo_dir))
    signer = signers.SimpleSigner.load(str(key_path), str(cert_path))
    if signer is None:
        raise RuntimeError("The demo signing key could not be loaded.")
    return SigningIdentity(signer=signer, certificate=signer.signing_cert, demo=True)


def identity() -> SigningIdentity:
    """The signing identity in use (loaded once per process)."""
    with _lock:
        return _identity(settings.DIMOS_SIGNING_PKCS12, str(_demo_dir()))


def reset() -> None:
    """Forget the loaded identity (tests that change the settings)."""
    _identity.cache_clear()


def is_demo() -> bool:
    return not settings.DIMOS_SIGNING_PKCS12


def sign_pdf(pdf: bytes, *, signer: Any = None, reason: str = "", location: str = "") -> bytes:
    """The PDF with a PAdES signature (B-B, or B-T with a timestamp authority) appended."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps import HTTPTimeStamper

    signer = signer or identity().signer
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name="Signature",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason or None,
        location=location or None,
    )
    tsa_url = settings.DIMOS_SIGNING_TSA_URL
    timestamper = HTTPTimeStamper(tsa_url, timeout=10) if tsa_url else None
    out = io.BytesIO()
    signers.PdfSigner(meta, signer=signer, timestamper=timestamper).sign_pdf(writer, output=out)
    return out.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    """What pyHanko found: a signature that is intact, valid, trusted and covers the file."""

    present: bool
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    covers_whole_file: bool = False
    signer: str = ""

    @property
    def ok(self) -> bool:
        return (
            self.present and self.intact and self.valid and self.trusted and self.covers_whole_file
        )


class CheckNotPossible(Exception):
    """The signature could not be checked within the limits (time, memory or size)."""


def validate_pdf(
    pdf: bytes, *, trust_roots: list[asn1_x509.Certificate] | None = None
) -> SignatureCheck:
    """Validate the last signature of ``pdf`` against our signing certificate as trust root.

    pyHanko runs in a child process (``certificates/pdfcheck.py``) bounded by
    ``DIMOS_VERIFY_TIMEOUT`` seconds of wall time and ``DIMOS_VERIFY_MEMORY_MB`` of address
    space; a file over ``DIMOS_CERTIFICATES_UPLOAD_MAX_BYTES`` is not looked at. Raises
    :class:`CheckNotPossible` when a limit is reached; the child is gone by then.
    """
    from dimos.certificates import pdfcheck

    if len(pdf) > settings.DIMOS_CERTIFICATES_UPLOAD_MAX_BYTES:
        raise CheckNotPossible("larger than DIMOS_CERTIFICATES_UPLOAD_MAX_BYTES")
    roots = trust_roots if trust_roots is not None else [identity().certificate]
    timeout = float(settings.DIMOS_VERIFY_TIMEOUT)
    argv = [
        sys.executable,
        "-I",  # isolated: no environment variables, no user site, not the script's folder
        pdfcheck.__file__,
        str(int(settings.DIMOS_VERIFY_MEMORY_MB)),
        str(math.ceil(timeout) + 1),  # CPU seconds: a backstop should the parent be gone
    ]
    try:
        done = subprocess.run(  # noqa: S603 - our interpreter and our script, no shell
            argv,
            input=pdfcheck.pack(pdf, [root.dump() for root in roots]),
            capture_output=True,
            timeout=timeout,
            check=False,
            env={"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"},
        )
    except subprocess.TimeoutExpired as exc:  # run() has killed and reaped the child
        logger.warning("PDF signature check stopped after %s s", timeout)
        raise CheckNotPossible("time limit") from exc
    except OSError as exc:
        logger.error("PDF signature check could not start: %s", exc)
        raise CheckNotPossible("could not start") from exc
    if done.returncode != 0:
        reason = "memory limit" if done.returncode == pdfcheck.EXIT_MEMORY else "failed"
        logger.warning(
            "PDF signature check %s (exit %s): %s",
            reason,
            done.returncode,
            done.stderr[-500:].decode(errors="replace"),
        )
        raise CheckNotPossible(reason)
    try:
        fields = json.loads(done.stdout)
        return SignatureCheck(**fields)
    except (ValueError, TypeError) as exc:
        raise CheckNotPossible("unreadable answer") from exc
