"""The `timetill` command: `quote`, `demo`, `scan`, `device`, and every Django management command."""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "quote":
        from timetill.pricing.cli import main as quote_main  # noqa: PLC0415 - keeps `quote` free of Django start-up

        return quote_main(argv[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timetill.settings")
    import django  # noqa: PLC0415
    from django.core.management import execute_from_command_line  # noqa: PLC0415
    from django.utils import translation  # noqa: PLC0415

    from timetill.console import console_language  # noqa: PLC0415

    django.setup()
    # A person at a shell reads the commands' messages in the shell's language (LANG=fr_FR.UTF-8).
    with translation.override(console_language()):
        execute_from_command_line(["timetill", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
