"""``dimos budget-import --year 2026 --as-of 2026-10-31 FILE``: import a budget or execution
file as a snapshot, as the staff pages do (``--dry-run`` shows what would change)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from dimos.budget.conf import conf
from dimos.budget.importer import ImportRefused, file_too_big, format_amount
from dimos.budget.importing.preview import Preview, preview
from dimos.budget.services import import_snapshot


class Command(BaseCommand):
    help = "Import a budget or execution file (CSV or XLSX) as a year's snapshot as of a date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV or XLSX file.")
        parser.add_argument("--year", type=int, required=True, help="The fiscal year.")
        parser.add_argument(
            "--as-of", type=date.fromisoformat, required=True, help="The file's date (YYYY-MM-DD)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change and import nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            size = path.stat().st_size
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": error}
            ) from error
        if size > conf.IMPORT_MAX_BYTES:
            self._fail(file_too_big(size).errors)
        data = path.read_bytes()
        year, as_of = options["year"], options["as_of"]
        if options["dry_run"]:
            result = preview(year=year, as_of=as_of, name=path.name, data=data)
            if not result.ok:
                self._fail(result.errors)
            self._summary(result)
            return
        try:
            snapshot = import_snapshot(
                year=year, as_of=as_of, file_name=path.name, data=data, actor=None
            )
        except ImportRefused as refused:
            self._fail(refused.errors)
        self.stdout.write(
            _("Imported snapshot %(id)s: %(rows)s lines of %(year)s as of %(as_of)s.")
            % {"id": snapshot.pk, "rows": snapshot.rows, "year": year, "as_of": as_of.isoformat()}
        )

    def _fail(self, errors: list[Any]) -> NoReturn:
        for error in errors:
            self.stderr.write(str(error))
        raise CommandError(ImportRefused(errors).summary)

    def _summary(self, result: Preview) -> None:
        write = self.stdout.write
        write(
            _("Dry run: %(rows)s lines, %(new)s new, %(changed)s changed, %(same)s unchanged.")
            % {
                "rows": len(result.file.rows),
                "new": len(result.new_lines),
                "changed": len(result.changed),
                "same": result.unchanged,
            }
        )
        if result.missing:
            write(
                _("Lines of the previous snapshot missing from the file: %(lines)s")
                % {"lines": ", ".join(result.missing)}
            )
        for total in result.totals:
            line = f"{total.direction_label} / {total.label}: {format_amount(total.amount)}"
            if total.change is not None:
                line += f" ({'+' if total.change >= 0 else '−'}{format_amount(abs(total.change))})"
            write(line)
        write(_("Nothing was imported (dry run)."))
