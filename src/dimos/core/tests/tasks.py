"""Tasks for the tests that run real worker processes (test_processes.py)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def hold(folder: str) -> str:
    """Note that it started (one line per run in ``runs``), then wait for ``release``."""
    here = Path(folder)
    with (here / "runs").open("a") as runs:
        runs.write(f"{os.getpid()}\n")
    deadline = time.monotonic() + 120
    while not (here / "release").exists():
        if time.monotonic() > deadline:
            raise TimeoutError("the test never released the task")
        time.sleep(0.05)
    return "released"
