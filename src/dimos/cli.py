"""The ``dimos`` command: Django's management commands plus ours (demo, serve, worker)."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path


def ensure_development_secret_key() -> None:
    """Outside production, without SECRET_KEY: a random key kept in DIMOS_VAR_DIR/secret_key.

    Made here, before Django reads its settings, so that every process the command starts
    (the web server's workers, the task worker) and later runs share it, and sessions survive
    restarts. Production takes SECRET_KEY from the environment and never writes a file.
    """
    if os.environ.get("SECRET_KEY") or os.environ.get("DIMOS_ENV") == "production":
        return
    var_dir = Path(os.environ.get("DIMOS_VAR_DIR", Path.cwd() / "var")).resolve()
    path = var_dir / "secret_key"
    if path.exists():
        return
    var_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: theirs is the key
        return
    with os.fdopen(fd, "w") as out:
        out.write(secrets.token_urlsafe(50))


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dimos.settings")
    ensure_development_secret_key()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["dimos", *(argv if argv is not None else sys.argv[1:])])


if __name__ == "__main__":
    main()
