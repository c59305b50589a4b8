"""``dimos backup DEST``: the database, uploaded and private files and the keys in one archive."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dimos.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write a backup archive (tar; .tar.gz compresses): the database, the uploaded and the "
        "private files, SECRET_KEY and the signing key, with a manifest of checksums. Safe "
        "while Dimos runs. DEST is a file name, or a folder to write a dated archive into."
    )
    # A backup must work on a site whose checks fail (that may be why it is being saved).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("destination")
        parser.add_argument(
            "--without-secrets",
            action="store_true",
            help="Leave out SECRET_KEY and the signing key (when you keep them elsewhere).",
        )
        parser.add_argument("--force", action="store_true", help="Replace an existing file.")

    def handle(self, *args: Any, **options: Any) -> None:
        destination = Path(options["destination"])
        if destination.is_dir():
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
            destination = destination / f"dimos-backup-{stamp}.tar"
        if destination.exists() and not options["force"]:
            raise CommandError(f"{destination} exists (--force replaces it).")
        try:
            manifest = create_backup(
                destination, secrets=not options["without_secrets"], say=self.stdout.write
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Backup written: {destination} ({len(manifest.members)} files)")
        )
        if manifest.missing:
            raise CommandError(
                f"{len(manifest.missing)} file(s) the database names are missing from the "
                "storage (listed above); the archive holds everything else."
            )
