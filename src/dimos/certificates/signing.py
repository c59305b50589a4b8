"""PAdES signing and validation with pyHanko.

The municipality's certificate and key come from a PKCS#12 file (``DIMOS_SIGNING_PKCS12`` and
``DIMOS_SIGNING_PKCS12_PASSWORD``), required in production. Without one (development only), a
self-signed *demo* certificate and key are generated on first use and kept in the private
storage (``signing/demo.pem``: under ``DIMOS_PRIVATE_DIR``, mode 0600, or in the private
bucket), so that every process and machine of one installation signs with the same key and a
backup holds it; every document is then visibly marked as a demo. With
``DIMOS_SIGNING_TSA_URL`` an RFC 3161 timestamp is added (PAdES B-T). Nothing here logs the
key, its contents or the password.
"""

from __future__ import annotations

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
from django.core.files.base import ContentFile

from dimos.certificates.conf import conf

logger = logging.getLogger(__name__)

DEMO_SUBJECT_CN = "Dimos DEMO signing certificate (not valid for real use)"
# The demo key and certificate (PEM, key first), in the private storage.
DEMO_NAME = "signing/demo.pem"


@dataclass(frozen=True)
class SigningIdentity:
    signer: Any  # pyhanko.sign.signers.SimpleSigner
    certificate: asn1_x509.Certificate
    demo: bool

    @property
    def subject(self) -> str:
        return str(self.certificate.subject.human_friendly)


_lock = threading.Lock()


def generate_demo_pem() -> bytes:
    """A new demo key and self-signed certificate (RSA 2048, 10 years), as PEM: key, cert."""
    from dimos.core.keys import self_signed_pem

    return self_signed_pem(common_name=DEMO_SUBJECT_CN, organization="Dimos demo municipality")


def _legacy_demo_pem() -> bytes | None:
    """The demo key that releases before ADR 0020 kept in ``<DIMOS_VAR_DIR>/signing/``: taken
    over, so that the certificates it signed still verify."""
    folder = Path(settings.VAR_DIR) / "signing"
    key, cert = folder / "demo-key.pem", folder / "demo-cert.pem"
    if key.is_file() and cert.is_file():
        return key.read_bytes() + cert.read_bytes()
    return None


def demo_pem() -> bytes:
    """The installation's demo key and certificate, generated once into the private storage."""
    from dimos.core.storage import private_storage

    storage = private_storage()
    if not storage.exists(DEMO_NAME):
        saved = storage.save(DEMO_NAME, ContentFile(_legacy_demo_pem() or generate_demo_pem()))
        if saved != DEMO_NAME:  # another process stored one at the same moment: use theirs
            storage.delete(saved)
    with storage.open(DEMO_NAME, "rb") as handle:
        return bytes(handle.read())


def _demo_location() -> str:
    """Which private storage holds the demo key (the identity is cached per storage)."""
    return f"{settings.STORAGES['private']!r} {settings.DIMOS_PRIVATE_DIR}"


@lru_cache(maxsize=1)
def _identity(pkcs12: str, demo_location: str) -> SigningIdentity:
    from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    if pkcs12:
        password = settings.DIMOS_SIGNING_PKCS12_PASSWORD
        signer = signers.SimpleSigner.load_pkcs12(
            pkcs12, passphrase=password.encode() if password else None
        )
        if signer is None:
            raise RuntimeError("The signing PKCS#12 file could not be loaded.")
        return SigningIdentity(signer=signer, certificate=signer.signing_cert, demo=False)
    pem = demo_pem()
    (certificate,) = load_certs_from_pemder_data(pem)
    signer = signers.SimpleSigner(
        signing_cert=certificate,
        signing_key=load_private_key_from_pemder_data(pem, passphrase=None),
        cert_registry=SimpleCertificateStore.from_certs([certificate]),
    )
    return SigningIdentity(signer=signer, certificate=certificate, demo=True)


def identity() -> SigningIdentity:
    """The signing identity in use (loaded once per process)."""
    with _lock:
        return _identity(settings.DIMOS_SIGNING_PKCS12, _demo_location())


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
    tsa_url = conf.SIGNING_TSA_URL
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

    if len(pdf) > conf.UPLOAD_MAX_BYTES:
        raise CheckNotPossible("larger than DIMOS_CERTIFICATES_UPLOAD_MAX_BYTES")
    roots = trust_roots if trust_roots is not None else [identity().certificate]
    timeout = float(conf.VERIFY_TIMEOUT)
    argv = [
        sys.executable,
        "-I",  # isolated: no environment variables, no user site, not the script's folder
        pdfcheck.__file__,
        str(int(conf.VERIFY_MEMORY_MB)),
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


def check_signing_key(app_configs: Any, **kwargs: Any) -> list[Any]:
    """System check: a configured PKCS#12 opens with its password and holds a key and a
    certificate, so a wrong path or password stops start-up instead of the first issue."""
    from cryptography.hazmat.primitives.serialization import pkcs12
    from django.core import checks

    path = settings.DIMOS_SIGNING_PKCS12
    if not path:
        return []
    password = settings.DIMOS_SIGNING_PKCS12_PASSWORD
    try:
        key, certificate, _chain = pkcs12.load_key_and_certificates(
            Path(path).read_bytes(), password.encode() if password else None
        )
    except OSError as exc:
        problem = f"cannot be read ({exc.strerror or type(exc).__name__})"
    except ValueError:
        problem = "cannot be opened: wrong DIMOS_SIGNING_PKCS12_PASSWORD, or not a PKCS#12 file"
    else:
        if key is not None and certificate is not None:
            return []
        problem = "does not hold both a private key and its certificate"
    return [
        checks.Error(
            f"The signing key DIMOS_SIGNING_PKCS12={path} {problem}.",
            hint="See docs/deploy.md, Signing key.",
            id="dimos.E020",
        )
    ]
