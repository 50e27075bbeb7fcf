"""`timetill customers import FILE` (CSV or XLSX, checked row by row) and `timetill customers export FILE`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from timetill.customers import exporting, importing
from timetill.customers.models import Customer


class Command(BaseCommand):
    help = "Import customers from a CSV or XLSX file, or export them."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "import",
            help="Import customers (columns: name, group, email, codes, notes). Nothing is imported while a "
            "row is wrong, unless --valid-only.",
        )  # fmt: skip
        load.add_argument("file", type=Path)
        load.add_argument(
            "--valid-only", action="store_true", help="Import the valid rows, leave the wrong out."
        )
        load.add_argument("--dry-run", action="store_true", help="Check the rows, import nothing.")
        dump = sub.add_parser("export", help="Write every customer to a .csv or .xlsx file.")
        dump.add_argument("file", type=Path)

    def handle(self, *args, **options):
        path: Path = options["file"]
        if options["action"] == "export":
            data = exporting.to_xlsx if path.suffix.lower() == ".xlsx" else exporting.to_csv
            path.write_bytes(data(Customer.objects.all()))
            self.stdout.write(f"{Customer.objects.count()} customers written to {path}.")
            return
        if not path.is_file():
            raise CommandError(_("There is no file %(path)s.") % {"path": path})
        try:
            rows = importing.read_rows(path.read_bytes(), path.name)
        except importing.ImportError_ as error:
            raise CommandError(error.message) from error
        wrong = [row for row in rows if not row.ok]
        for row in wrong:
            for problem in row.problems:
                self.stderr.write(f"row {row.number}: {problem}")
        self.stdout.write(f"{len(rows)} rows read, {len(rows) - len(wrong)} valid, {len(wrong)} wrong.")
        if options["dry_run"]:
            return
        if wrong and not options["valid_only"]:
            raise CommandError(
                _("Nothing was imported: correct the rows above, or import with --valid-only.")
            )
        outcome = importing.import_rows(rows, valid_only=options["valid_only"])
        self.stdout.write(f"{outcome.imported} customers imported, {outcome.skipped} rows left out.")
