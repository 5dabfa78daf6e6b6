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
    conversation_groups,
    conversation_settings,
    conversation_staff,
    conversations,
    fallback,
    joining,
    membership,
    moderation,
    photo,
    preflight,
    rating,
    rating_admin,
    relatives,
    report,
    start,
    text_input,
)
from handlers.context import HeimboteApplication, HeimboteContext


def capability_handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """Every capability's handlers, in the order they are tried (first match wins)."""
    return [
        # Groups first: the bot's membership there (before membership's private chats), the
        # group commands, replies routed by what they reply to; then nothing else from a group.
        *conversation_groups.handlers(),
        *conversation_staff.handlers(),
        *conversation_groups.ignore_the_rest(),
        *membership.handlers(),
        *joining.handlers(),  # before start: `/start <code>` joins, a bare /start greets
        *start.handlers(),
        *relatives.handlers(),
        *admin.handlers(),
        *photo.handlers(),  # before broadcast: its photo handler would take every photo
        *conversation_settings.handlers(),
        *conversations.handlers(),  # before broadcast: relatives' photos (others are handed on)
        *broadcast.handlers(),
        *report.handlers(),
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
