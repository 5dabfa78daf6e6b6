"""Telegram's HTML parse mode: only its tags, balanced, with its error messages."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from bot.sandbox.telegram.api_errors import ApiError, bad_request
from bot.sandbox.telegram.plain_text import FormattedText, PlainTextBuilder, byte_offset

_ENTITY_OF_TAG = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
    "blockquote": "blockquote",
}
_CHARACTER_REFERENCE = re.compile(r"&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
_KNOWN_NAMED_REFERENCES = {"lt", "gt", "amp", "quot"}
_ATTRIBUTE = re.compile(r"""\s*([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")


@dataclass
class _OpenTag:
    name: str
    attributes: dict[str, str]
    start: int
    source_index: int
    extra: dict[str, str] = field(default_factory=dict)


def parse_html(source: str) -> FormattedText:
    """Parse ``parse_mode=HTML`` text, raising Telegram's 400 errors for bad markup."""
    parser = _HtmlParser(source)
    return parser.run()


def _cant_parse(reason: str) -> ApiError:
    return bad_request(f"can't parse entities: {reason}")


class _HtmlParser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.index = 0
        self.builder = PlainTextBuilder()
        self.open_tags: list[_OpenTag] = []

    def run(self) -> FormattedText:
        while self.index < len(self.source):
            char = self.source[self.index]
            if char == "<":
                self._read_tag()
            elif char == "&":
                self._read_character_reference()
            else:
                self._read_text()
        if self.open_tags:
            name = self.open_tags[-1].name
            raise _cant_parse(f'Can\'t find end tag corresponding to start tag "{name}"')
        return self.builder.result()

    def _read_text(self) -> None:
        end = len(self.source)
        for stop in ("<", "&"):
            found = self.source.find(stop, self.index)
            if found != -1:
                end = min(end, found)
        self.builder.append(self.source[self.index : end])
        self.index = end

    def _read_character_reference(self) -> None:
        match = _CHARACTER_REFERENCE.match(self.source, self.index)
        name = match.group(1) if match else ""
        if match and (name.startswith("#") or name in _KNOWN_NAMED_REFERENCES):
            self.builder.append(html.unescape(match.group(0)))
            self.index = match.end()
        else:
            # Telegram keeps an '&' it does not understand as text.
            self.builder.append("&")
            self.index += 1

    def _read_tag(self) -> None:
        close = self.source.find(">", self.index)
        if self.source.startswith("</", self.index):
            self._read_end_tag(close)
        else:
            self._read_start_tag(close)

    def _read_start_tag(self, close: int) -> None:
        at = byte_offset(self.source, self.index)
        body = self.source[self.index + 1 : close if close != -1 else len(self.source)]
        name = re.match(r"[^\s>/]*", body).group(0).lower()  # type: ignore[union-attr]
        if name not in _ENTITY_OF_TAG:
            raise _cant_parse(f'Unsupported start tag "{name}" at byte offset {at}')
        if close == -1:
            raise _cant_parse(f"Unclosed start tag at byte offset {at}")
        attributes = _read_attributes(body[len(name) :], name, at)
        _check_attributes(name, attributes, at)
        tag = _OpenTag(name, attributes, self.builder.offset, self.index)
        self.open_tags.append(tag)
        self.index = close + 1

    def _read_end_tag(self, close: int) -> None:
        at = byte_offset(self.source, self.index)
        if close == -1:
            raise _cant_parse(f"Unclosed end tag at byte offset {at}")
        name = self.source[self.index + 2 : close].strip().lower()
        if not self.open_tags:
            raise _cant_parse(f"Unexpected end tag at byte offset {at}")
        expected = self.open_tags[-1].name
        if name != expected:
            raise _cant_parse(
                f'Unmatched end tag at byte offset {at}, expected "</{expected}>", '
                f'found "</{name}>"'
            )
        self._close(self.open_tags.pop())
        self.index = close + 1

    def _close(self, tag: _OpenTag) -> None:
        kind = _ENTITY_OF_TAG[tag.name]
        language = tag.attributes.get("class", "")
        parent = self.open_tags[-1] if self.open_tags else None
        if kind == "code" and parent and parent.name == "pre" and language.startswith("language-"):
            parent.extra["language"] = language.removeprefix("language-")
            return
        if kind == "text_link":
            self._close_link(tag)
        elif kind == "custom_emoji":
            self.builder.close_entity(kind, tag.start, custom_emoji_id=tag.attributes["emoji-id"])
        elif kind == "blockquote" and "expandable" in tag.attributes:
            self.builder.close_entity("expandable_blockquote", tag.start)
        else:
            self.builder.close_entity(kind, tag.start, None, **tag.extra)

    def _close_link(self, tag: _OpenTag) -> None:
        href = tag.attributes.get("href", "")
        if href.startswith("tg://user?id="):
            user_id = int(href.removeprefix("tg://user?id=") or 0)
            self.builder.close_entity("text_mention", tag.start, user={"id": user_id})
        elif href:
            self.builder.close_entity("text_link", tag.start, url=href)


def _read_attributes(text: str, tag: str, at: int) -> dict[str, str]:
    attributes: dict[str, str] = {}
    rest = text.strip().rstrip("/")
    while rest.strip():
        match = _ATTRIBUTE.match(rest)
        if match is None or match.end() == 0:
            raise _cant_parse(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                f"at byte offset {at}"
            )
        value = next((group for group in match.groups()[1:] if group is not None), "")
        attributes[match.group(1).lower()] = html.unescape(value)
        rest = rest[match.end() :]
    return attributes


def _check_attributes(name: str, attributes: dict[str, str], at: int) -> None:
    if name == "span" and attributes.get("class") != "tg-spoiler":
        raise _cant_parse(f'Tag "span" must have class "tg-spoiler" at byte offset {at}')
    if name == "tg-emoji" and not attributes.get("emoji-id", "").isdigit():
        raise _cant_parse(f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {at}')
