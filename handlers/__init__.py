"""Telegram handlers, assembled in one ordered place.

Order matters: the pre-flight steps run in negative groups before everything; each capability's
handlers follow in group 0; the fallbacks must be last, or they would take every update.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, filters

from handlers import admin, broadcast, events, photo, report, visits, wellbeing
from handlers.accounts import membership, relatives
from handlers.admin import facility as admin_facility
from handlers.admin import facility_settings
from handlers.admin import residents as admin_residents
from handlers.conversations import groups as conversation_groups
from handlers.conversations import relatives as conversations
from handlers.conversations import settings as conversation_settings
from handlers.conversations import staff as conversation_staff
from handlers.emergency_calls import presses as emergency_calls
from handlers.kit import fallback, media, preflight, text_input
from handlers.kit.context import HeimboteApplication, HeimboteContext
from handlers.onboarding import joining, start
from handlers.photo import draft as photo_draft
from handlers.photo import picker as photo_picker
from handlers.photo import posting as photo_posting
from handlers.photo import review as photo_review
from handlers.reviews import admin as rating_admin
from handlers.reviews import moderation, rating


def capability_handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """Every capability's handlers, in the order they are tried (first match wins)."""
    router = text_input.TextRouter(
        text_answers(), [*joining.UNAWAITED_TEXT, *conversations.UNAWAITED_TEXT]
    )
    return [
        # Groups first: the bot's membership there (before membership's private chats), the
        # group commands, replies routed by what they reply to; then nothing else from a group.
        *conversation_groups.handlers(),
        *conversation_staff.handlers(router.route),
        *conversation_groups.ignore_the_rest(),
        *membership.handlers(),
        *joining.handlers(),  # before start: `/start <code>` joins, a bare /start greets
        *start.handlers(),
        *relatives.handlers(),
        *admin.handlers(),
        # Every photo, file, voice… in a private chat, before the media handlers conversations
        # and broadcast still register: the router asks them (media_takers).
        *media.MediaRouter(media_takers()).handlers(),
        *photo.handlers(),
        *conversation_settings.handlers(),
        *conversations.handlers(),
        *broadcast.handlers(),
        *report.handlers(),
        *emergency_calls.handlers(),
        *events.handlers(),
        *rating.handlers(),
        *rating_admin.handlers(),
        *moderation.handlers(),
        *visits.handlers(),
        *wellbeing.handlers(),
        *router.handlers(),  # plain text: after every command and button
    ]


def media_takers() -> list[tuple[str, media.MediaTaker]]:
    """Who takes media from a private chat, asked in this order (the first who takes it wins)."""
    return [
        # First: while /broadcast waits for its text, a photo is the announcement's (also the
        # care team's), anything else gets broadcast's hint.
        ("broadcast", media.while_awaiting(broadcast.TEXT, broadcast.photo_received)),
        ("photo updates", photo_posting.takes_media),  # the care team's photos and files
        # A relative's photo or voice message to the home; anything else gets a hint.
        ("conversations", media.of_kinds(filters.PHOTO | filters.VOICE, conversations.media)),
        ("conversations", media.of_kinds(conversations.OTHER_MEDIA, conversations.other_media)),
    ]


def text_answers() -> dict[str, text_input.TextAnswer]:
    """Who takes typed text the bot waits for, by the awaited input's kind (each kind once)."""
    answers: dict[str, text_input.TextAnswer] = {}
    for module in (
        admin_facility, facility_settings, admin_residents, broadcast, conversations,
        conversation_staff, photo_draft, photo_picker, photo_review, report, rating, rating_admin,
        visits,
        wellbeing,
        events,
    ):
        if set(answers) & set(module.TEXT_ANSWERS):
            raise ValueError(f"typed text of kinds {set(answers) & set(module.TEXT_ANSWERS)} twice")
        answers.update(module.TEXT_ANSWERS)
    return answers


def register(application: HeimboteApplication) -> None:
    """Add every handler to ``application`` in the right groups and order."""
    for handler, group in preflight.handlers():
        application.add_handler(handler, group=group)
    application.add_handlers(capability_handlers())
    application.add_handlers(fallback.handlers())  # must be last: they take anything
    application.add_error_handler(fallback.apologise)
