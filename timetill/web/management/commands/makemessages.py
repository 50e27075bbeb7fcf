"""`timetill makemessages`: Django's, then each catalogue rewrapped with Babel at the committed width."""

from pathlib import Path

from django.core.management.commands import makemessages

from timetill.catalogs import rewrap


class Command(makemessages.Command):
    def write_po_file(self, potfile: str, locale: str) -> None:
        super().write_po_file(potfile, locale)
        # msgmerge wraps at 79 columns: without this, every long entry of the catalogue would move.
        rewrap(Path(potfile).parent / locale / "LC_MESSAGES" / f"{self.domain}.po")
