"""Write translations from a JSON file into a catalog.

    python scripts/apply_translations.py de translations.json [more.json …]

Each JSON file maps a msgid to its translation: a string, or a list of plural forms for an
``ngettext`` entry (keyed by the singular). A ``pgettext`` entry is keyed ``"context|msgid"``.
Run ``scripts/update_catalogs.py`` first so that the entries exist; unknown msgids are listed and
make the script exit 1, so a typo is not lost silently.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def apply(locale: str, translations: dict[str, str | list[str]]) -> list[str]:
    """Set each translation in ``locale``'s catalog; the msgids it does not contain."""
    po_path = ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=locale)
    unknown = []
    for key, translation in translations.items():
        message = catalog.get(key)
        if message is None and "|" in key:
            context, _, msgid = key.partition("|")
            message = catalog.get(msgid, context=context)
        if message is None:
            unknown.append(key)
            continue
        message.string = tuple(translation) if isinstance(translation, list) else translation
        message.flags.discard("fuzzy")
    with po_path.open("wb") as po_file:
        write_po(po_file, catalog, omit_header=False, sort_output=True, no_location=True)
    return unknown


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    locale, *files = argv
    unknown = []
    for name in files:
        unknown += apply(locale, json.loads(Path(name).read_text(encoding="utf-8")))
    for key in unknown:
        print(f"not in the {locale} catalog: {key[:70]!r}")
    return 1 if unknown else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
