"""Validate a PDF's last signature in a child process with hard limits.

A PDF is a program for its parser: a few kilobytes of compressed streams can expand to
gigabytes and minutes of work. The public verification therefore never parses an upload in
the web process. ``signing.validate_pdf`` runs this file as a script, isolated (``python -I``,
no Django, an empty environment), with limits the child sets on itself before it reads
anything: address space (``RLIMIT_AS``), CPU seconds, no file writes, no core dump. The parent
adds the wall-clock deadline and kills the child when it passes.

Protocol: the limits on the command line (``memory_mb cpu_seconds``); on standard input the
trust roots (DER) and the PDF, framed by :func:`pack`; on standard output one JSON object with
the fields of ``signing.SignatureCheck``. Exit status 3 means the memory limit was reached.
"""

from __future__ import annotations

import io
import json
import resource
import struct
import sys
from typing import Any

EXIT_MEMORY = 3
_LENGTH = struct.Struct(">I")


def pack(pdf: bytes, roots: list[bytes]) -> bytes:
    """The child's standard input: the number of roots, each root with its length, the PDF."""
    parts = [_LENGTH.pack(len(roots))]
    for root in roots:
        parts += [_LENGTH.pack(len(root)), root]
    parts.append(pdf)
    return b"".join(parts)


def unpack(data: bytes) -> tuple[bytes, list[bytes]]:
    (count,), offset = _LENGTH.unpack_from(data, 0), _LENGTH.size
    roots = []
    for _ in range(count):
        (length,) = _LENGTH.unpack_from(data, offset)
        offset += _LENGTH.size
        roots.append(data[offset : offset + length])
        offset += length
    return data[offset:], roots


def apply_limits(memory_mb: int, cpu_seconds: int) -> None:
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def validate(pdf: bytes, roots: list[bytes]) -> dict[str, Any]:
    """The last signature of ``pdf``: intact, valid, trusted (``roots`` only), whole file."""
    from asn1crypto import x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except MemoryError:
        raise
    except Exception:  # a broken file is simply "not signed"
        return {"present": False}
    if not signatures:
        return {"present": False}
    context = ValidationContext(
        trust_roots=[x509.Certificate.load(root) for root in roots], allow_fetching=False
    )
    try:
        status = validate_pdf_signature(signatures[-1], context)
    except MemoryError:
        raise
    except Exception:
        return {"present": True}
    return {
        "present": True,
        "intact": bool(status.intact),
        "valid": bool(status.valid),
        "trusted": bool(status.trusted),
        "covers_whole_file": status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        "signer": str(status.signing_cert.subject.human_friendly) if status.signing_cert else "",
    }


def main(argv: list[str]) -> int:
    apply_limits(int(argv[1]), int(argv[2]))
    try:
        pdf, roots = unpack(sys.stdin.buffer.read())
        result = validate(pdf, roots)
    except MemoryError:
        return EXIT_MEMORY
    sys.stdout.write(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
