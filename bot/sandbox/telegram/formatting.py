"""Turning ``text`` + ``parse_mode``/``entities`` into what Telegram stores: plain text and
entities with UTF-16 offsets."""

from __future__ import annotations

from typing import Any

from bot.sandbox.telegram.api_errors import bad_request
from bot.sandbox.telegram.html_markup import parse_html
from bot.sandbox.telegram.markdown_markup import parse_markdown, parse_markdown_v2
from bot.sandbox.telegram.plain_text import FormattedText
from bot.sandbox.telegram.text_entities import utf16_length

_PARSERS = {"html": parse_html, "markdownv2": parse_markdown_v2, "markdown": parse_markdown}


def format_text(
    text: str, parse_mode: str | None, entities: list[dict[str, Any]] | None
) -> FormattedText:
    """Parse message text or a caption the way Telegram does.

    Explicit ``entities`` win over ``parse_mode``; leading and trailing whitespace is trimmed.
    """
    if entities:
        return trim_whitespace(FormattedText(text, _checked_entities(entities)))
    if not parse_mode:
        return trim_whitespace(FormattedText(text))
    return trim_whitespace(_parse_markup(text, parse_mode))


def _parse_markup(text: str, parse_mode: str) -> FormattedText:
    parser = _PARSERS.get(parse_mode.lower())
    if parser is None:
        raise bad_request(f"unsupported parse_mode {parse_mode}")
    return parser(text)


def _checked_entities(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for found in entities:
        if not isinstance(found, dict) or not {"type", "offset", "length"} <= found.keys():
            raise bad_request("can't parse entities JSON object")
        user = found.get("user")
        if found["type"] == "text_mention" and not (isinstance(user, dict) and "id" in user):
            raise bad_request("can't parse entities: text mention user is not specified")
    return sorted(entities, key=lambda found: (found["offset"], -found["length"]))


def trim_whitespace(formatted: FormattedText) -> FormattedText:
    """Strip surrounding whitespace and shift/clip entities as Telegram does."""
    stripped = formatted.text.strip()
    if stripped == formatted.text:
        return formatted
    shift = utf16_length(formatted.text[: len(formatted.text) - len(formatted.text.lstrip())])
    limit = utf16_length(stripped)
    entities = []
    for found in formatted.entities:
        start = max(found["offset"] - shift, 0)
        end = min(found["offset"] + found["length"] - shift, limit)
        if end > start:
            entities.append({**found, "offset": start, "length": end - start})
    return FormattedText(stripped, entities)
