"""Compiles the translation catalogues (locale/*/LC_MESSAGES/*.po → .mo) with Babel: Python alone, no gettext;
and rewraps a catalogue that `makemessages` wrote (rewrap) at the width the committed ones use.

Run by `make install`, by the test suite before it starts, by `timetill compiletranslations` and by the
package build (setup.py), so a fresh machine with only Python and pip gets its French and Italian pages.
Imports nothing of Django or of the rest of Timetill: the build loads this file on its own.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
# The width the committed catalogues are wrapped at (GNU msgmerge wraps at 79): `makemessages` rewraps to it.
PO_WIDTH = 110


def catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Every .po file under the locale folder, in a stable order."""
    return sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))


def compile_catalogues(
    locale_dir: Path = LOCALE_DIR, *, only_stale: bool = True, target_dir: Path | None = None
) -> list[Path]:
    """Writes each .po's .mo beside it (or under `target_dir`, same layout); returns the .mo files written.

    `only_stale` skips a .mo newer than its .po. Fuzzy entries are left out, as msgfmt does: a translation
    marked fuzzy is a guess nobody checked. Each file is written to a temporary name then renamed, so parallel
    test workers never read half a catalogue."""
    written = []
    for po_path in catalogues(locale_dir):
        relative = po_path.relative_to(locale_dir).with_suffix(".mo")
        mo_path = (target_dir or locale_dir) / relative
        if only_stale and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=mo_path.parent, prefix=".", suffix=".mo")
        try:
            with os.fdopen(handle, "wb") as mo_file:
                write_mo(mo_file, catalog, use_fuzzy=False)
            os.replace(temporary, mo_path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        written.append(mo_path)
    return written


def rewrap(po_path: Path, *, width: int = PO_WIDTH) -> None:
    """Writes a .po file again with Babel at `width`, as the committed catalogues are, so that extracting the
    messages changes only the entries that changed. Fuzzy entries keep the message they were guessed from."""
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=po_path.parent.parent.name)
    handle, temporary = tempfile.mkstemp(dir=po_path.parent, prefix=".", suffix=".po")
    try:
        with os.fdopen(handle, "wb") as out:
            write_po(out, catalog, width=width, include_previous=True)
        os.replace(temporary, po_path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


if __name__ == "__main__":
    for path in compile_catalogues(only_stale=False):
        print(path)
