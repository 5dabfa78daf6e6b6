"""Extract messages from the source and bring every catalog up to date.

    python scripts/update_catalogs.py

1. extract ``bot/`` and ``handlers/`` into ``locales/messages.pot`` (``pybabel extract``);
2. merge it into each ``locales/<lang>/LC_MESSAGES/messages.po`` (``pybabel update``);
3. English is the source language: its missing translations are filled with the source text;
4. list what translators still have to do in the other catalogs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
POT = LOCALES / "messages.pot"


def extract(target: Path) -> None:
    """Write the messages of ``bot/`` and ``handlers/`` (see babel.cfg) to ``target``."""
    pybabel(
        "extract", "-F", "babel.cfg", "-k", "N_", "-k", "pgettext:1c,2", "--no-location",
        "--sort-output", "--project=Heimbote", "--copyright-holder=Heimbote contributors",
        "-o", str(target), ".",
    )


def pybabel(*args: str) -> None:
    """Run one ``pybabel`` command in the repository root."""
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", *args],
        cwd=ROOT, check=True, capture_output=True,
    )


def fill_source_language(po_path: Path) -> None:
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale="en")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not all(message.string):
                message.string = message.id
        elif not message.string:
            message.string = message.id
        message.flags.discard("fuzzy")
    with po_path.open("wb") as po_file:
        write_po(po_file, catalog, omit_header=False, sort_output=True, no_location=True)


def untranslated(po_path: Path) -> list[str]:
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file)
    todo = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings) or message.fuzzy:
            todo.append(str(message.id))
    return todo


def main() -> int:
    extract(POT)
    pybabel("update", "-i", str(POT), "-d", str(LOCALES), "--no-fuzzy-matching",
            "--ignore-obsolete")
    fill_source_language(LOCALES / "en" / "LC_MESSAGES" / "messages.po")
    missing = 0
    for po_path in sorted(LOCALES.glob("*/LC_MESSAGES/messages.po")):
        for msgid in untranslated(po_path):
            missing += 1
            print(f"{po_path.relative_to(ROOT)}: untranslated: {msgid[:70]!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
