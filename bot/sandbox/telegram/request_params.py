"""Reading Bot API parameters the way Telegram does.

PTB's ``HTTPXRequest`` posts every method as ``application/x-www-form-urlencoded`` (or
``multipart/form-data`` when files are attached). Strings arrive as they are; everything else
arrives JSON-encoded (``"123"``, ``"true"``, ``'{"inline_keyboard": ...}'``). Other clients
post a JSON body with real types. Both end up as one typed ``ApiRequest``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.web_request import FileField

from bot.sandbox.telegram.api_errors import bad_request

INTEGER_PARAMS = frozenset(
    {
        "chat_id",
        "from_chat_id",
        "message_id",
        "message_thread_id",
        "offset",
        "limit",
        "timeout",
        "user_id",
        "reply_to_message_id",
        "max_connections",
        "cache_time",
        "duration",
        "width",
        "height",
        "icon_color",
        "until_date",
        "performer_id",
    }
)
BOOLEAN_PARAMS = frozenset(
    {
        "disable_notification",
        "protect_content",
        "show_alert",
        "drop_pending_updates",
        "allow_sending_without_reply",
        "disable_web_page_preview",
        "has_spoiler",
        "show_caption_above_media",
        "disable_content_type_detection",
        "supports_streaming",
        "allow_paid_broadcast",
        "remove_caption",
        "revoke_messages",
    }
)
JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "media",
        "allowed_updates",
        "commands",
        "scope",
        "reply_parameters",
        "link_preview_options",
        "message_ids",
        "menu_button",
        "reaction",
    }
)
# Chat ids may be a number or "@channelusername".
TEXT_OR_INTEGER_PARAMS = frozenset({"chat_id", "from_chat_id"})


@dataclass(frozen=True)
class UploadedPart:
    """One file part of a ``multipart/form-data`` request."""

    field_name: str
    filename: str | None
    mime_type: str | None
    content: bytes


@dataclass
class ApiRequest:
    """The decoded parameters and attached files of one Bot API call."""

    params: dict[str, Any] = field(default_factory=dict)
    files: dict[str, UploadedPart] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        """Return a parameter or ``default`` when it was not sent."""
        return self.params.get(name, default)

    def require(self, name: str, missing: str | None = None) -> Any:
        """Return a parameter, answering 400 like Telegram when it is missing."""
        value = self.params.get(name)
        if value is None or value == "":
            raise bad_request(missing or f"{name} is empty")
        return value


async def read_api_request(request: web.Request) -> ApiRequest:
    """Decode query string and body (JSON, urlencoded or multipart) into an ``ApiRequest``."""
    raw: dict[str, Any] = dict(request.query)
    files: dict[str, UploadedPart] = {}
    if request.content_type == "application/json":
        body = await _read_json_body(request)
        raw.update(body)
    elif request.method == "POST" and request.can_read_body:
        form = await request.post()
        for name, value in form.items():
            if isinstance(value, FileField):
                files[name] = _read_file_field(name, value)
            else:
                raw[name] = value
    return ApiRequest(params=decode_params(raw), files=files)


async def _read_json_body(request: web.Request) -> dict[str, Any]:
    """Read a JSON object body; Telegram rejects anything else."""
    text = await request.text()
    if not text.strip():
        return {}
    try:
        body = json.loads(text)
    except json.JSONDecodeError as err:
        raise bad_request("can't parse JSON request body") from err
    if not isinstance(body, dict):
        raise bad_request("JSON request body must be an object")
    return body


def _read_file_field(name: str, part: FileField) -> UploadedPart:
    """Copy a multipart file part into memory."""
    content = part.file.read()
    return UploadedPart(
        field_name=name,
        filename=part.filename or None,
        mime_type=part.content_type or None,
        content=content,
    )


def decode_params(raw: dict[str, Any]) -> dict[str, Any]:
    """Turn string-encoded parameter values into the types Telegram would read."""
    return {name: _decode_value(name, value) for name, value in raw.items()}


def _decode_value(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if name in JSON_PARAMS:
        return _decode_json(name, value)
    if name in TEXT_OR_INTEGER_PARAMS:
        return _int_or_text(value)
    if name in INTEGER_PARAMS:
        return _decode_integer(name, value)
    if name in BOOLEAN_PARAMS:
        return value.strip().lower() in {"true", "1"}
    return value


def _decode_json(name: str, value: str) -> Any:
    try:
        return json.loads(value)
    except json.JSONDecodeError as err:
        raise bad_request(f"can't parse {name} JSON object") from err


def _int_or_text(value: str) -> int | str:
    try:
        return int(value)
    except ValueError:
        return value


def _decode_integer(name: str, value: str) -> int | float:
    try:
        return int(value)
    except ValueError:
        pass
    try:
        return float(value)
    except ValueError as err:
        raise bad_request(f"invalid {name} specified") from err
