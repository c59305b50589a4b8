"""Issuance throughput of certificates vs bare pyHanko signing, in one process (one core).

    python -m benchmarks.certificates [--rounds 5] [--per-round 20] [--database-url URL]

Sets up a scratch database (SQLite in a temporary DIMOS_VAR_DIR unless --database-url) with
the demo municipality and certificate types and a generated 2048-bit RSA demo key, then
alternates rounds of:

- **bare sign**: pyHanko signing (PAdES B-B, SHA-256) of the same unsigned certificate PDF,
  with the same signer — the floor of any issuance;
- **issue**: ``certificates.services.issue`` — reserve the protocol number and a pending
  registry row (a short transaction), render the PDF (reportlab, embedded DejaVu), sign it,
  hash it and store it in private storage (no transaction), then complete the row and write
  the history, the audit entry and the notification (a second short transaction).

Reports documents/s of each and the ratio of their mean times (target: issue ≤ 2 × bare sign),
and writes JSON to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
TARGET_RATIO = 2.0


def _setup(database_url: str) -> None:
    scratch = tempfile.mkdtemp(prefix="dimos-bench-certs-")
    os.environ["DIMOS_VAR_DIR"] = scratch
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dimos.settings")
    os.environ.pop("DIMOS_SIGNING_PKCS12", None)
    os.environ.pop("DIMOS_SIGNING_TSA_URL", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _people() -> tuple[Any, Any]:
    from dimos.accounts.models import User

    resident = User.objects.create_user(
        email="bench-resident@example.org", password=None, identity_verified=True
    )
    issuer = User.objects.create_user(
        email="bench-issuer@example.org", password=None, is_staff=True
    )
    return resident, issuer


def run(rounds: int, per_round: int, database_url: str) -> dict[str, Any]:
    _setup(database_url)
    from django.db import connection

    from dimos.certificates import services, signing
    from dimos.certificates.demo import seed_types
    from dimos.core.demo import seed_municipality

    seed_municipality()
    types = {t.code: t for t in seed_types()}
    resident, issuer = _people()
    ident = signing.identity()
    key_bits = ident.signer.signing_cert.public_key.bit_size

    def new_request() -> Any:
        return services.submit_request(
            certificate_type=types["permanent-residence"],
            applicant=resident,
            holder_name="Αλίκη Παπαδοπούλου",
            holder_father_name="Νικόλαος",
            holder_address="Μεραρχίας 12, 621 22 Σέρρες",
            data={"years": 25, "purpose": "Εγγραφή στο σχολείο"},
        )

    # The same document both ways: a request rendered once for the bare signing.
    sample = new_request()
    unsigned = services.render_document(
        sample,
        code="ABCDEFGHJKMNPQRS",
        protocol_number="2026/000000",
        issued_at=sample.submitted_at,
        language="el",
    )
    # Warm-up: fonts, pyHanko imports, the first transaction.
    signing.sign_pdf(unsigned, signer=ident.signer)
    services.issue(req=new_request(), actor=issuer)

    bare_times: list[float] = []
    issue_times: list[float] = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(per_round):
            signing.sign_pdf(unsigned, signer=ident.signer)
        bare_times.append((time.perf_counter() - start) / per_round)

        pending = [new_request() for _ in range(per_round)]  # not timed
        start = time.perf_counter()
        for req in pending:
            services.issue(req=req, actor=issuer)
        issue_times.append((time.perf_counter() - start) / per_round)

    bare = statistics.median(bare_times)
    issue = statistics.median(issue_times)
    ratio = issue / bare
    return {
        "benchmark": "certificates-issuance",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "database": connection.vendor,
        "key": f"RSA {key_bits}",
        "signature": "PAdES B-B (SHA-256), pyHanko",
        "rounds": rounds,
        "per_round": per_round,
        "pdf_bytes_unsigned": len(unsigned),
        "bare_sign": {
            "ms_per_document": round(bare * 1000, 2),
            "documents_per_s": round(1 / bare, 1),
            "round_ms": [round(t * 1000, 2) for t in bare_times],
        },
        "issue": {
            "ms_per_document": round(issue * 1000, 2),
            "documents_per_s": round(1 / issue, 1),
            "round_ms": [round(t * 1000, 2) for t in issue_times],
        },
        "issue_over_bare_sign": round(ratio, 2),
        "target_max_ratio": TARGET_RATIO,
        "meets_target": ratio <= TARGET_RATIO,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.certificates", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds (5)")
    parser.add_argument("--per-round", type=int, default=20, help="documents per round (20)")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (default: SQLite)")
    parser.add_argument("--label", default="", help="added to the result file's name")
    parser.add_argument("--no-save", action="store_true", help="print only, write no JSON")
    args = parser.parse_args(argv)
    result = run(args.rounds, args.per_round, args.database_url)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if not args.no_save:
        RESULTS.mkdir(exist_ok=True)
        name = f"{datetime.now(UTC):%Y-%m-%d}-{result['database']}-certificates-issuance"
        path = RESULTS / f"{name}{'-' + args.label if args.label else ''}.json"
        path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"written {path}", file=sys.stderr)
    return 0 if result["meets_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
