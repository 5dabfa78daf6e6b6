"""What :mod:`bot.domain.text` keeps and takes out of typed text, and which names it refuses."""

from __future__ import annotations

import pytest

from bot.domain.errors import InvalidInput
from bot.domain.text import check_name, clean, clean_formatted

FAMILY = "👨\u200d👩\u200d👧"  # a ZWJ emoji sequence
SCOTLAND = "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"  # tags after a flag


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Frau Müller, Zimmer 12", "Frau Müller, Zimmer 12"),
        ("Grüße\x0b aus\x1b[31m dem\x01 Garten", "Grüße aus[31m dem Garten"),
        ("line one\nline two\tand a tab", "line one\nline two\tand a tab"),
        ("windows\r\nline", "windows\nline"),
        ("old mac\rline", "old mac\nline"),
        ("para\u2029graph\u2028line", "para\ngraph\nline"),
        ("C1\x85next\x9bcontrol", "C1\nnextcontrol"),
        ("nul\x00byte", "nulbyte"),
        ("lone \ud800surrogate\udfff", "lone surrogate"),
        ("non\ufffecharacter\uffff\ufdd0", "noncharacter"),
        ("zero\u200bwidth\u2060joiner\ufeff", "zerowidthjoiner"),
        ("evil\u202egnp.exe", "evilgnp.exe"),
        ("isolate \u2066x\u2069 done", "isolate x done"),
        (f"family {FAMILY}!", f"family {FAMILY}!"),
        ("👍🏽 ❤️", "👍🏽 ❤️"),
        (f"flag {SCOTLAND}", f"flag {SCOTLAND}"),
        ("stray\U000e0067 tag", "stray tag"),
        ("\u200dleading joiner\u200d", "leading joiner"),
        ("می\u200cخواهم", "می\u200cخواهم"),  # Persian: the non-joiner belongs to the word
        ("שלום עולם", "שלום עולם"),
        ("مرحبا \u200fبالعالم", "مرحبا \u200fبالعالم"),
        ("soft\u00adhyphen", "softhyphen"),
        ("", ""),
    ],
)
def test_clean_keeps_what_is_written_and_drops_what_cannot_be_seen(
    typed: str, stored: str
) -> None:
    assert clean(typed) == stored


def test_a_one_line_text_gets_spaces_for_its_breaks_and_tabs() -> None:
    assert clean("Haus\nam\tSee\r\nNord", lines=False) == "Haus am See Nord"


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("  Frau   M.  ", "Frau M."),
        ("Herr\x1bK.", "HerrK."),
        ("Jürgen\nSchmidt", "Jürgen Schmidt"),
        ("אברהם", "אברהם"),
        (f"Oma {FAMILY}", f"Oma {FAMILY}"),
        ("Zimmer\u200b 7", "Zimmer 7"),
    ],
)
def test_check_name_gives_the_name_on_one_line(typed: str, name: str) -> None:
    assert check_name(typed) == name


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "empty"),
        ("   \t ", "empty"),
        ("\u200b\u200b", "empty"),
        ("\u200d\u200c\u200e", "visible"),
        ("\u3164\u3164", "visible"),
        ("\x01\x1b", "empty"),
        ("Anna\x00", "NUL"),
        ("\u202eevil", "direction"),
        ("Max \u2067Mustermann\u2069", "direction"),
        ("\u202aembedded\u202c", "direction"),
    ],
)
def test_check_name_refuses_names_nobody_can_read_safely(typed: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_name(typed, "unit")
    assert refused.value.field == "unit"
    assert reason in refused.value.reason


def test_entities_move_with_the_characters_taken_out() -> None:
    text = "\x1bHi 👍\u200b bold\x0b end"
    bold = {"type": "bold", "offset": 8, "length": 5}  # "bold\x0b" in UTF-16 units
    gone = {"type": "italic", "offset": 6, "length": 1}  # only the zero-width space
    cleaned, entities = clean_formatted(text, [bold, gone])
    assert cleaned == "Hi 👍 bold end"
    assert entities == [{"type": "bold", "offset": 6, "length": 4}]
    assert cleaned.encode("utf-16-le")[12:20].decode("utf-16-le") == "bold"


def test_entities_of_a_clean_text_stay_as_they_are() -> None:
    entities = [{"type": "url", "offset": 0, "length": 4, "url": "x"}]
    assert clean_formatted("link\r\nnext", entities) == ("link\nnext", entities)
