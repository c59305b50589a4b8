"""Hostile images for tests: small files that declare huge canvases, and a memory probe."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

SRC = Path(__file__).resolve().parents[2]  # the src/ folder


def png_declaring(width: int, height: int) -> bytes:
    """An RGB PNG of ``width``×``height`` black pixels, built row by row in little memory.

    7700×7700 (the audit's file) compresses to about 170 KB and decodes to 178 MB.
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    compressor = zlib.compressobj(6)
    row = b"\x00" * (width * 3 + 1)  # filter byte, then the pixels
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


# Runs in a fresh interpreter: the growth of its peak resident memory (ru_maxrss) while one
# call handles the file, after a warm-up call on a small image has loaded every module.
_PROBE = """
import io, json, resource, sys
import django
django.setup()
from django.utils.module_loading import import_string
from PIL import Image
call = import_string(sys.argv[1])
warm = io.BytesIO()
Image.new("RGB", (64, 48), "red").save(warm, "JPEG")
call(io.BytesIO(warm.getvalue()))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
outcome = "accepted"
try:
    with open(sys.argv[2], "rb") as handle:
        call(handle)
except Exception as exc:
    outcome = type(exc).__name__ + ": " + str(exc)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"outcome": outcome, "grew_mb": (after - before) / 1024}))
"""


def peak_memory(function: str, path: Path, var_dir: Path) -> dict:
    """Run ``function`` (a dotted path taking a binary file) on ``path`` in a subprocess.

    Returns ``{"outcome": "accepted" | "<Exception>: <message>", "grew_mb": float}``.
    """
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "DJANGO_SETTINGS_MODULE": "dimos.settings",
        "DIMOS_VAR_DIR": str(var_dir),
        "DIMOS_TESTING": "1",
    }
    env.pop("DATABASE_URL", None)  # nothing here touches the database
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, function, str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result: dict = json.loads(done.stdout.strip().splitlines()[-1])
    return result
