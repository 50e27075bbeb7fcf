"""`timetill compiletranslations`: the French and Italian catalogues compiled with Babel (no GNU gettext)."""

from django.core.management.base import BaseCommand

from timetill.catalogs import LOCALE_DIR, compile_catalogues


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po → .mo) with Babel; only the stale ones unless --all."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--all", action="store_true", help="compile every catalogue, even fresh ones")

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        written = compile_catalogues(LOCALE_DIR, only_stale=not options["all"])
        for path in written:
            self.stdout.write(f"compiled {path.relative_to(LOCALE_DIR)}")
        if not written:
            self.stdout.write("the catalogues are up to date")
