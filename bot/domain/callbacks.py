"""Callback data: a small, versioned format, ``"<prefix>:<version>:<action>:<args…>"``.

Every button the bot makes — in a handler's answer or under an outbox message a service writes
— is encoded here, and every press is parsed here. The prefixes are declared once, in
:class:`Prefix`: a duplicate fails when this module is imported. The client can send anything
back: parse strictly, and let the handler re-check permissions from the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum, unique


@unique
class Prefix(StrEnum):
    """The capability a button belongs to: the first part of its callback data."""

    ADMIN_PICK = "adm"  # which home, before an admin screen (handlers.admin)
    RESIDENTS = "res"
    INVITES = "inv"
    STAFF = "stf"
    FACILITY = "fac"
    FACILITY_SETTINGS = "fset"
    CONVERSATION_SETTINGS = "cvset"
    CONVERSATION_GROUP = "cvg"
    CONVERSATION_STAFF = "cvs"  # under a relative's message in the team's group
    CONVERSATION_RELATIVE = "cv"  # under the team's answer in the relative's chat
    PHOTO = "photo"
    BROADCAST = "bc"
    RATING = "rate"
    COMPLAINTS = "cmp"
    MODERATION = "mod"
    REPORT = "report"
    LANGUAGE = "lang"
    JOIN = "join"
    RELATIVE_SETTINGS = "rel"
    CALL_US = "call"  # please call us: alerts, acknowledgements, emergency contacts
    VISITS = "vis"
    WELLBEING = "wb"  # wellbeing notes: /today, consent, the digest (handlers.wellbeing)
    EVENTS = "evt"  # /events: relatives sign up, admins manage (handlers.events)

VERSION = "1"
MAX_BYTES = 64  # Telegram's limit for callback_data


class BadCallbackData(ValueError):
    """Callback data that this version of the bot did not write."""


@dataclass(frozen=True)
class CallbackData:
    """One parsed button press."""

    capability: Prefix
    action: str
    args: tuple[str, ...] = ()

    def encode(self) -> str:
        """The string that goes into the button; never longer than Telegram allows."""
        text = ":".join((self.capability, VERSION, self.action, *self.args))
        if len(text.encode()) > MAX_BYTES:
            raise ValueError(f"callback data longer than {MAX_BYTES} bytes: {text!r}")
        return text


def callback(capability: Prefix, action: str, *args: str | int) -> str:
    """Encode a button's callback data: ``callback("lang", "set", "de") == "lang:1:set:de"``."""
    return CallbackData(capability, action, tuple(str(a) for a in args)).encode()


def parse(raw: str | None) -> CallbackData:
    """Parse callback data; :class:`BadCallbackData` when it is not ours or out of date."""
    parts = (raw or "").split(":")
    if len(parts) < 3 or parts[1] != VERSION or not parts[2]:
        raise BadCallbackData(raw)
    try:
        prefix = Prefix(parts[0])
    except ValueError as error:
        raise BadCallbackData(raw) from error
    return CallbackData(prefix, parts[2], tuple(parts[3:]))


def button(label: str, capability: Prefix, action: str, *args: str | int) -> dict[str, str]:
    """A button under an outbox message (Bot API JSON), for services that write the outbox."""
    return {"text": label, "callback_data": callback(capability, action, *args)}


def pattern(capability: Prefix) -> str:
    """The regex a ``CallbackQueryHandler`` uses to take one capability's buttons."""
    return rf"^{capability}:"
