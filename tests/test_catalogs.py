"""The catalogs are complete, keep every placeholder, and are up to date with the source."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from bot.i18n import available_locales, language_name, locales_dir, negotiate, translator

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")
REQUIRED_LOCALES = ("de", "en")


def _read(path: Path) -> Catalog:
    with path.open("rb") as po_file:
        return read_po(po_file)


def _catalog(locale: str) -> Catalog:
    return _read(locales_dir() / locale / "LC_MESSAGES" / "messages.po")


def _forms(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def _key(message: Message) -> tuple[object, str | None]:
    return (message.id, message.context)


def test_german_and_english_are_available() -> None:
    assert set(REQUIRED_LOCALES) <= set(available_locales())


@pytest.mark.parametrize("locale", available_locales())
def test_every_message_has_a_translation(locale: str) -> None:
    catalog = _catalog(locale)
    template = _read(locales_dir() / "messages.pot")
    for message in template:
        if not message.id:
            continue
        translated = catalog.get(message.id, context=message.context)
        assert translated is not None, f"{locale}: missing {message.id!r}"
        assert not translated.fuzzy, f"{locale}: fuzzy {message.id!r}"
        assert all(_forms(translated.string)), f"{locale}: untranslated {message.id!r}"


@pytest.mark.parametrize("locale", available_locales())
def test_translations_keep_every_placeholder(locale: str) -> None:
    for message in _catalog(locale):
        if not message.id:
            continue
        wanted = set().union(*(set(PLACEHOLDER.findall(form)) for form in _forms(message.id)))
        for form in _forms(message.string):
            assert set(PLACEHOLDER.findall(form)) == wanted, (
                f"{locale}: {message.id!r} → {form!r} changes the placeholders"
            )


def test_catalogs_are_up_to_date_with_the_source(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "update_catalogs", ROOT / "scripts" / "update_catalogs.py"
    )
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    fresh = tmp_path / "messages.pot"
    script.extract(fresh)
    in_source = {_key(m) for m in _read(fresh) if m.id}
    assert in_source, "extraction found no messages at all"
    in_template = {_key(m) for m in _read(locales_dir() / "messages.pot") if m.id}
    assert in_source == in_template, "run: python scripts/update_catalogs.py"
    for locale in available_locales():
        in_catalog = {_key(m) for m in _catalog(locale) if m.id}
        assert in_catalog == in_template, f"{locale} is stale: python scripts/update_catalogs.py"


def test_a_placeholder_check_would_catch_a_renamed_placeholder() -> None:
    assert PLACEHOLDER.findall("Hallo {nmae}") != PLACEHOLDER.findall("Hello {name}")
    assert PLACEHOLDER.findall("{count:,} of {total}") == ["count", "total"]


@pytest.mark.parametrize(
    ("language_code", "expected"),
    [("de", "de"), ("de-AT", "de"), ("en-GB", "en"), ("EN", "en"), ("tr", "de"),
     (None, "de"), ("", "de"), ("zz-ZZ", "de")],
)
def test_telegram_language_is_negotiated(language_code: str | None, expected: str) -> None:
    assert negotiate(language_code, "de") == expected


def test_a_regional_language_falls_back_to_its_base_language() -> None:
    assert negotiate("pt-br", "de", available=("de", "en", "pt")) == "pt"
    assert negotiate("pt-BR", "de", available=("de", "pt_BR")) == "pt_BR"
    assert negotiate("pt-br", "en", available=("de", "en")) == "en"


def test_each_language_is_named_in_itself() -> None:
    assert language_name("de") == "Deutsch"
    assert language_name("en") == "English"


def test_numbers_and_plurals_follow_the_locale() -> None:
    assert translator("de").number(1200) == "1.200"
    assert translator("en").number(1200) == "1,200"
    assert translator("de")._("This button is no longer valid.") == (
        "Diese Schaltfläche gilt nicht mehr."
    )


NAME_PLACEHOLDERS = re.compile(
    r"\{(resident|residents|name|names|relative|author|contact|contacts|pseudonym)\}"
)
NAME_AFTER_PREPOSITION = re.compile(
    r"\b(für|von|mit|an|bei|zu|über|zum|beim|vom|um|ohne|gegen)\s+(Herr|Frau)\s", re.IGNORECASE
)


def test_german_names_never_follow_a_preposition() -> None:
    """A resident is stored as "Herr K." or "Frau M.": after "für", "von", "mit" … German
    would need "Herrn", so every German message must place the name where no case ending is
    needed ("Frau M.: …")."""
    offending = []
    for message in _catalog("de"):
        if not message.id:
            continue
        for form in _forms(message.string):
            rendered = [NAME_PLACEHOLDERS.sub(who, form) for who in ("Herr K.", "Frau M.")]
            if any(NAME_AFTER_PREPOSITION.search(text) for text in rendered):
                offending.append(_forms(message.id)[0])
                break
    assert not offending, "German puts a name after a preposition:\n" + "\n".join(offending)
