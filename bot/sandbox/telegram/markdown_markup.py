"""Telegram's MarkdownV2 and legacy Markdown parse modes, with their error messages."""

from __future__ import annotations

from dataclasses import dataclass

from bot.sandbox.telegram.api_errors import ApiError, bad_request
from bot.sandbox.telegram.plain_text import FormattedText, PlainTextBuilder, byte_offset

_RESERVED = set("_*[]()~`>#+-=|{}.!")
_ENTITY_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}
# Which marker closes an open entity of each kind.
_CLOSERS = {
    "bold": "*",
    "italic": "_",
    "underline": "__",
    "strikethrough": "~",
    "spoiler": "||",
    "code": "`",
    "pre": "```",
    "text_link": "]",
    "custom_emoji": "]",
}


@dataclass
class _OpenEntity:
    kind: str
    start: int
    source_index: int


def _cant_parse(reason: str) -> ApiError:
    return bad_request(f"can't parse entities: {reason}")


def parse_markdown_v2(source: str) -> FormattedText:
    """Parse ``parse_mode=MarkdownV2`` text, raising Telegram's 400 errors."""
    return _MarkdownV2Parser(source).run()


class _MarkdownV2Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.index = 0
        self.builder = PlainTextBuilder()
        self.open: list[_OpenEntity] = []
        self.quote_start: int | None = None

    def run(self) -> FormattedText:
        while self.index < len(self.source):
            self._step()
        self._end_quote()
        if self.open:
            top = self.open[-1]
            at = byte_offset(self.source, top.source_index)
            name = _ENTITY_NAMES[top.kind]
            raise _cant_parse(f"Can't find end of {name} entity at byte offset {at}")
        return self.builder.result()

    def _step(self) -> None:
        char = self.source[self.index]
        if self._at_line_start():
            self._handle_line_start()
            if self.index >= len(self.source):
                return
            char = self.source[self.index]
        if char == "\\" and self.index + 1 < len(self.source):
            self.builder.append(self.source[self.index + 1])
            self.index += 2
        elif self.open and self.open[-1].kind in {"code", "pre"}:
            self._step_in_code(char)
        elif char not in _RESERVED:
            self.builder.append(char)
            self.index += 1
        elif not self._try_close(char):
            self._open_entity(char)

    def _at_line_start(self) -> bool:
        return self.index == 0 or self.source[self.index - 1] == "\n"

    def _handle_line_start(self) -> None:
        in_code = bool(self.open) and self.open[-1].kind in {"code", "pre"}
        if not in_code and self.source.startswith(">", self.index):
            if self.quote_start is None:
                self.quote_start = self.builder.offset
            self.index += 1
        else:
            self._end_quote()

    def _end_quote(self) -> None:
        if self.quote_start is not None:
            # The newline that ended the quote is not part of it.
            at_newline = self.index > 0 and self.source[self.index - 1] == "\n"
            end = self.builder.offset - 1 if at_newline else None
            self.builder.close_entity("blockquote", self.quote_start, end)
            self.quote_start = None

    def _step_in_code(self, char: str) -> None:
        closer = _CLOSERS[self.open[-1].kind]
        if self.source.startswith(closer, self.index):
            self._close(closer)
        else:
            self.builder.append(char)
            self.index += 1

    def _try_close(self, char: str) -> bool:
        if not self.open:
            return False
        closer = _CLOSERS[self.open[-1].kind]
        if closer == "_" and self.source.startswith("__", self.index):
            return False
        if not self.source.startswith(closer, self.index):
            return False
        self._close(closer)
        return True

    def _close(self, closer: str) -> None:
        entity = self.open.pop()
        self.index += len(closer)
        if entity.kind == "text_link":
            self._close_link(entity)
        else:
            self.builder.close_entity(entity.kind, entity.start)

    def _close_link(self, entity: _OpenEntity) -> None:
        if not self.source.startswith("(", self.index):
            return
        end = self._find_unescaped(")", self.index + 1)
        url = self.source[self.index + 1 : end].replace("\\)", ")").replace("\\\\", "\\")
        self.index = end + 1
        self.builder.close_entity("text_link", entity.start, url=url)

    def _find_unescaped(self, char: str, start: int) -> int:
        index = start
        while index < len(self.source):
            if self.source[index] == "\\":
                index += 2
                continue
            if self.source[index] == char:
                return index
            index += 1
        at = byte_offset(self.source, start)
        raise _cant_parse(f"Can't find end of a URL at byte offset {at}")

    def _open_entity(self, char: str) -> None:
        kind, width = self._entity_starting_here(char)
        self.open.append(_OpenEntity(kind, self.builder.offset, self.index))
        self.index += width
        if kind == "pre":
            self._skip_pre_language()

    def _entity_starting_here(self, char: str) -> tuple[str, int]:
        rest = self.source[self.index :]
        starts = [
            ("```", "pre"),
            ("__", "underline"),
            ("||", "spoiler"),
            ("![", "custom_emoji"),
            ("`", "code"),
            ("_", "italic"),
            ("*", "bold"),
            ("~", "strikethrough"),
            ("[", "text_link"),
        ]
        for marker, kind in starts:
            if rest.startswith(marker):
                return kind, len(marker)
        raise _cant_parse(
            f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
        )

    def _skip_pre_language(self) -> None:
        newline = self.source.find("\n", self.index)
        closer = self.source.find("```", self.index)
        if newline != -1 and (closer == -1 or newline < closer):
            self.index = newline + 1


def parse_markdown(source: str) -> FormattedText:
    """Parse legacy ``parse_mode=Markdown``: *bold*, _italic_, `code`, ```pre```, [a](url)."""
    builder = PlainTextBuilder()
    index = 0
    while index < len(source):
        char = source[index]
        if char == "\\" and index + 1 < len(source) and source[index + 1] in "_*`[":
            builder.append(source[index + 1])
            index += 2
        elif char in "_*`[":
            index = _read_legacy_entity(source, index, builder)
        else:
            builder.append(char)
            index += 1
    return builder.result()


def _read_legacy_entity(source: str, index: int, builder: PlainTextBuilder) -> int:
    marker = "```" if source.startswith("```", index) else source[index]
    closer = "]" if marker == "[" else marker
    end = source.find(closer, index + len(marker))
    if end == -1:
        at = byte_offset(source, index)
        raise _cant_parse(f"Can't find end of the entity starting at byte offset {at}")
    start = builder.offset
    builder.append(source[index + len(marker) : end])
    kinds = {"*": "bold", "_": "italic", "`": "code", "```": "pre"}
    if marker != "[":
        builder.close_entity(kinds[marker], start)
        return end + len(closer)
    if not source.startswith("(", end + 1) or source.find(")", end) == -1:
        return end + 1
    url_end = source.find(")", end)
    builder.close_entity("text_link", start, url=source[end + 2 : url_end])
    return url_end + 1
