"""``dimos restore SRC``: put a ``dimos backup`` archive back into an empty site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dimos.core.backup import BackupError, restore_backup, verify_backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive into this site's database, storages and key files. The "
        "site must be empty (a new DIMOS_VAR_DIR, database and bucket) unless --force. Stop "
        "Dimos first."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("source")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite a site that is not empty (its database and same-named files).",
        )
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="Only check the archive (manifest, every file's checksum); restore nothing.",
        )
        parser.add_argument(
            "--keep-current-keys",
            action="store_true",
            help="Restore although SECRET_KEY or the signing key here differ from the backup's.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["source"])
        if not source.is_file():
            raise CommandError(f"{source} is not a file.")
        if options["verify_only"]:
            try:
                manifest = verify_backup(source)
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                self.style.SUCCESS(
                    f"The archive is intact: {len(manifest.members)} files, made "
                    f"{manifest.created_at} by Dimos {manifest.dimos}."
                )
            )
            return
        try:
            manifest = restore_backup(
                source,
                force=options["force"],
                keep_current_keys=options["keep_current_keys"],
                say=self.stdout.write,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest.created_at} (Dimos {manifest.dimos}). "
                "Run `dimos migrate` if this release is newer, then start Dimos."
            )
        )
