"""Telegram handlers, assembled in one ordered place.

Order matters: the pre-flight steps run in negative groups before everything; each capability's
handlers follow in group 0; the fallbacks must be last, or they would take every update.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from handlers import (
    admin,
    broadcast,
    fallback,
    joining,
    membership,
    moderation,
    preflight,
    rating,
    rating_admin,
    relatives,
    start,
    text_input,
)
from handlers.context import HeimboteApplication, HeimboteContext


def capability_handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """Every capability's handlers, in the order they are tried (first match wins)."""
    return [
        *membership.handlers(),
        *joining.handlers(),  # before start: `/start <code>` joins, a bare /start greets
        *start.handlers(),
        *relatives.handlers(),
        *admin.handlers(),
        *broadcast.handlers(),
        *rating.handlers(),
        *rating_admin.handlers(),
        *moderation.handlers(),
        *text_input.handlers(),  # plain text: after every command and button
    ]


def register(application: HeimboteApplication) -> None:
    """Add every handler to ``application`` in the right groups and order."""
    for handler, group in preflight.handlers():
        application.add_handler(handler, group=group)
    application.add_handlers(capability_handlers())
    application.add_handlers(fallback.handlers())  # must be last: they take anything
    application.add_error_handler(fallback.apologise)
