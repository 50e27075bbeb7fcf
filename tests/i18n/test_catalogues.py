"""Every message of the code has a French and an Italian translation, with the same placeholders."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from timetill.catalogs import LOCALE_DIR, PO_WIDTH, compile_catalogues, rewrap

LANGUAGES = ("fr", "it")
PACKAGE = LOCALE_DIR.parent
# %(name)s, %s, %d, {name}: what the code fills in; a translation must keep every one.
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdr]|%[sd]|\{[a-z_]+\}")


def _catalogue(language: str, locale_dir: Path = LOCALE_DIR):
    with (locale_dir / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        return read_po(po, locale=language)


def _key(message) -> tuple:
    return (message.context or "", message.id)


def _untranslated(catalogue) -> list[str]:
    out = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            out.append(message.id if isinstance(message.id, str) else message.id[0])
    return out


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_entry_of_the_catalogue_is_empty_or_fuzzy(language):
    assert _untranslated(_catalogue(language)) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_translation_keeps_the_placeholders_of_its_message(language):
    wrong = []
    for message in _catalogue(language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            found = set(PLACEHOLDER.findall(string))
            # A plural's singular may say "one" instead of its number.
            if found != wanted and not (len(ids) > 1 and found < wanted):
                wrong.append((ids[0], string))
    assert wrong == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="extracting needs GNU xgettext")
def test_every_message_in_the_code_is_in_both_catalogues(tmp_path):
    """makemessages run afresh into a copy of the catalogues: a message of the code that the committed
    catalogues lack comes out empty there, and this test names it."""
    copy = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, copy, ignore=shutil.ignore_patterns("*.mo"))
    work = tmp_path / "timetill"
    shutil.copytree(PACKAGE, work, ignore=shutil.ignore_patterns("locale", "__pycache__", "*.mo"))
    (work / "locale").symlink_to(copy, target_is_directory=True)
    command = [sys.executable, "-m", "django", "makemessages", "--no-obsolete", "--add-location", "file"]
    command += [f"--locale={language}" for language in LANGUAGES]
    subprocess.run(
        command,
        cwd=work,
        check=True,
        capture_output=True,
        env={"DJANGO_SETTINGS_MODULE": "timetill.settings", "PATH": "/usr/bin:/bin"},
    )
    for language in LANGUAGES:
        fresh = _catalogue(language, copy)
        committed = {_key(m) for m in _catalogue(language) if m.id}
        missing = sorted(str(key[1]) for key in (_key(m) for m in fresh if m.id) if key not in committed)
        assert missing == [], f"{language}: not in the catalogue (run `make messages` and translate)"
        assert _untranslated(fresh) == [], f"{language}: untranslated after makemessages"
        # makemessages leaves the catalogue wrapped as Babel writes it at the committed width, not at
        # msgmerge's 79 columns: writing it again changes nothing.
        extracted = copy / language / "LC_MESSAGES" / "django.po"
        before = extracted.read_text(encoding="utf-8")
        rewrap(extracted)
        assert extracted.read_text(encoding="utf-8") == before


def test_the_catalogues_compile_with_babel_alone(tmp_path):
    written = compile_catalogues(LOCALE_DIR, only_stale=False, target_dir=tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        f"{language}/LC_MESSAGES/django.mo" for language in LANGUAGES
    ]
    assert all(path.stat().st_size > 10_000 for path in written)


def test_a_catalogue_wrapped_at_79_columns_is_rewrapped_at_the_committed_width(tmp_path):
    long = "The tariff does not validate: see each problem below, and correct the fields named in red."
    po = tmp_path / "fr" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    # As GNU msgmerge writes an entry longer than 79 columns.
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        f'#: catalog/views/products.py\nmsgid ""\n"{long[:60]}"\n"{long[60:]}"\nmsgstr "Bien."\n',
        encoding="utf-8",
    )
    rewrap(po)
    text = po.read_text(encoding="utf-8")
    assert f'msgid "{long}"\nmsgstr "Bien."' in text
    assert max(len(line) for line in text.splitlines()) <= PO_WIDTH
