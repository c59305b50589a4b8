"""Reading the settings has no side effects and infers nothing (issue 11)."""

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[3]


def _python(code: str, var_dir: Path, *args: str) -> str:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(SRC),
        "DIMOS_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "dimos.settings",
    }
    result = subprocess.run(
        [sys.executable, *(args or ("-c", code))],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_importing_the_settings_writes_no_file_and_is_not_test_mode(tmp_path):
    var_dir = tmp_path / "var"
    # A process that imports pytest (a type checker's plugin, a tool) is not a test run.
    printed = _python(
        "import pytest, django; django.setup(); from django.conf import settings; "
        "print(settings.TESTING, len(settings.SECRET_KEY) >= 50)",
        var_dir,
    )
    assert printed == "False True"
    assert [p for p in var_dir.rglob("*") if p.is_file()] == []


def test_the_dimos_command_keeps_one_development_key(tmp_path):
    var_dir = tmp_path / "var"
    show = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = _python("", var_dir, "-m", "dimos.cli", "shell", "-c", show)
    second = _python("", var_dir, "-m", "dimos.cli", "shell", "-c", show)
    key_file = var_dir / "secret_key"
    assert first == second == key_file.read_text()
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_the_suite_runs_in_test_mode(settings):
    assert settings.TESTING is True
