"""Relatives write to the home: /message, plain text, photos and voice messages, Reply and Close.

A relative's message goes to
:func:`bot.services.conversations.conversations.relative_writes`, which relays
it to the team. With several residents the bot first asks which one it is about; what was sent
meanwhile waits in the awaited input (in the database) and goes once a resident is chosen.
Invite codes typed by hand stay with joining; a staff member's photo is not taken here.

Why past 300 lines: the relative's side of a conversation is one flow — writing, choosing the
resident, what was sent meanwhile, Reply and Close — and its steps hand each other the awaited
input; split, each part would import most of the others.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from typing import TYPE_CHECKING, Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.domain.callbacks import BadCallbackData
from bot.domain.errors import DomainError, InvalidInput, NotAllowed
from bot.i18n import Translator
from bot.services import conversations as service
from bot.services.accounts import Actor, Awaited, await_input, awaited_input, stop_awaiting
from bot.services.conversations import RELATIVE_CAPABILITY as CAP
from bot.services.conversations import usual_response_time
from bot.services.onboarding import looks_like_code
from handlers.kit.args import int_args
from handlers.kit.buttons import button, buttons, stale_refusal
from handlers.kit.context import HeimboteContext
from handlers.kit.fallback import unexpected_message
from handlers.kit.screens import drop_buttons, pressed_message, remember, show
from handlers.kit.text_input import TextAnswer, UnawaitedText

if TYPE_CHECKING:  # types only: handlers do not touch models
    from bot.models import Account

log = logging.getLogger(__name__)

PICK = "conversation_pick"  # messages sent before the resident was chosen wait here
OTHER_MEDIA = (
    filters.Document.ALL | filters.Sticker.ALL | filters.VIDEO | filters.VIDEO_NOTE
    | filters.AUDIO | filters.ANIMATION | filters.LOCATION | filters.CONTACT
)


def receipt_text(tr: Translator, facility: str, usual: dt.timedelta | None) -> str:
    """The confirmation, with when the team usually answers (median of the last 30 days)."""
    if usual is None:
        return tr._(
            "Received – thank you! The team of {facility} will answer you here as soon as "
            "they can."
        ).format(facility=facility)
    if usual <= dt.timedelta(hours=1):
        return tr._(
            "Received – thank you! The team of {facility} usually answers within an hour."
        ).format(facility=facility)
    hours = math.ceil(usual / dt.timedelta(hours=1))
    if hours < 24:
        return tr.ngettext(
            "Received – thank you! The team of {facility} usually answers within about "
            "{hours} hour.",
            "Received – thank you! The team of {facility} usually answers within about "
            "{hours} hours.",
            hours,
        ).format(facility=facility, hours=hours)
    days = math.ceil(hours / 24)
    return tr.ngettext(
        "Received – thank you! The team of {facility} usually answers within about {days} day.",
        "Received – thank you! The team of {facility} usually answers within about {days} days.",
        days,
    ).format(facility=facility, days=days)


def refusal(tr: Translator, error: DomainError) -> str:
    """A refused message, in plain words (nothing was sent)."""
    if isinstance(error, InvalidInput) and error.field == "text":
        if error.reason == "empty":
            return tr._("Your message is empty. Please write a few words.")
        return tr._(
            "That is a bit long for me: please keep a message to {text} characters, or a photo "
            "caption to {caption}, and send the rest separately."
        ).format(text=tr.number(service.TEXT_LIMIT), caption=tr.number(service.CAPTION_LIMIT))
    return tr._("You are not connected with this resident any more, so I cannot pass this on.")


def media_hint(tr: Translator) -> str:
    """Something the bot cannot pass on."""
    return tr._(
        "I can pass on text, photos and voice messages to the team. Please send one of those."
    )


def compose_prompt(tr: Translator, choice: service.ResidentChoice) -> str:
    """Asking for the message about a resident."""
    return tr._(
        "What would you like to tell the team of {facility} about {resident}? Send a text, a "
        "photo or a voice message."
    ).format(facility=choice.facility_name, resident=choice.resident_name)


def _content(message: Message) -> dict[str, Any]:
    """What the relative sent, as the service takes it."""
    if message.photo:
        file_id = message.photo[-1].file_id  # the largest size
        return {"kind": "photo", "text": message.caption or "", "file_id": file_id}
    if message.voice:
        return {"kind": "voice", "text": message.caption or "", "file_id": message.voice.file_id}
    return {"kind": "text", "text": message.text or "", "file_id": None}


async def write(
    message: Message, context: HeimboteContext, resident_id: int, contents: list[dict[str, Any]]
) -> bool:
    """Pass the messages on and confirm; a refusal is answered. Whether it was passed on."""
    assert context.account is not None
    tr = context.tr
    written = None
    try:
        for content in contents:
            written = await service.relative_writes(context.account, resident_id, **content)
    except DomainError as error:
        log.info("a relative's message was refused: %s", type(error).__name__)
        await message.reply_text(refusal(tr, error))
        return False
    if written is not None:
        thread = written.thread
        usual = await usual_response_time(thread.facility_id)
        await message.reply_text(receipt_text(tr, thread.facility_name, usual))
    return True


async def ask_which(message: Message, context: HeimboteContext,
                    choices: list[service.ResidentChoice], pending: list[dict[str, Any]]) -> None:
    """Several residents: keep what was sent and ask which resident it is about."""
    assert context.account is not None
    await await_input(context.account, PICK, pending=pending)
    asked = await message.reply_text(context.tr._("Which of your family members is this about?"),
                                     reply_markup=_residents(choices, "about"))
    await remember(context, asked)  # asked again with the next message: this one's buttons go


def _residents(choices: list[service.ResidentChoice], action: str) -> InlineKeyboardMarkup:
    """One button per resident: "Frau M. (Haus Linden)"."""
    return InlineKeyboardMarkup(
        [[button(f"{c.resident_name} ({c.facility_name})", CAP, action, c.resident_id)]
         for c in choices])


async def take(message: Message, context: HeimboteContext, awaited: Awaited | None) -> bool:
    """Take a relative's text, photo or voice message; ``False`` when it is not one for us."""
    account = context.account
    assert account is not None
    content = _content(message)
    if awaited is not None and awaited.kind == service.COMPOSE:
        if await write(message, context, int(awaited.payload["resident"]), [content]):
            await stop_awaiting(account)
        return True
    if awaited is not None and awaited.kind == PICK:
        pending = [*awaited.payload.get("pending", []), content]
        choices = await service.writable_residents(account, implicit=True)
        await drop_buttons(message, awaited)
        await ask_which(message, context, choices, pending)
        return True
    if awaited is not None:
        return False
    choices = await service.writable_residents(account, implicit=True)
    if not choices:
        return False
    if len(choices) == 1:
        await write(message, context, choices[0].resident_id, [content])
    else:
        await ask_which(message, context, choices, [content])
    return True


async def composed(update: Update, context: HeimboteContext, awaited: Awaited) -> None:
    """The text after /message (or after Reply): to the team."""
    if update.effective_message is not None:
        await take(update.effective_message, context, awaited)


async def more_before_picking(
    update: Update, context: HeimboteContext, awaited: Awaited
) -> None:
    """More text before a resident was chosen: it joins what waits."""
    if update.effective_message is not None:
        await take(update.effective_message, context, awaited)


async def plain_text(update: Update, context: HeimboteContext) -> bool:
    """Text outside any flow from a relative starts or continues a message to the team."""
    message = update.effective_message
    if message is None or not message.text or looks_like_code(message.text):
        return False  # an invite code typed by hand is joining's
    return await take(message, context, None)


async def media(update: Update, context: HeimboteContext) -> None:
    """A photo or voice message: a relative's to the team, else the usual hint (the media
    router asked broadcast and photo posting first: :func:`handlers.media_takers`)."""
    message = update.effective_message
    if message is None or context.account is None:
        return
    awaited = await awaited_input(context.account)
    if not await take(message, context, awaited):
        await unexpected_message(update, context)


async def other_media(update: Update, context: HeimboteContext) -> None:
    """Stickers, documents, videos…: a friendly hint for relatives, the usual one for others."""
    message = update.effective_message
    if message is None or context.account is None:
        return
    awaited = await awaited_input(context.account)
    composing = awaited is not None and awaited.kind in (service.COMPOSE, PICK)
    if composing or (awaited is None and await service.writable_residents(
            context.account, implicit=True)):
        await message.reply_text(media_hint(context.tr))
    else:
        await unexpected_message(update, context)


async def start_message(update: Update, context: HeimboteContext) -> None:
    """/message: ask for the message, after asking which resident when there are several."""
    message = update.effective_message
    if message is None or context.account is None:
        return
    tr = context.tr
    choices = await service.writable_residents(context.account)
    if not choices:
        await message.reply_text(tr._(
            "You are not connected with a resident yet. You need an invitation from the care "
            "home: open its link, or send me its code."))
    elif len(choices) == 1:
        choice = await service.start_reply_about(context.account, choices[0].resident_id)
        await message.reply_text(compose_prompt(tr, choice))
    else:
        await stop_awaiting(context.account)
        await message.reply_text(tr._("Whom is your message about?"),
                                 reply_markup=_residents(choices, "to"))


def _account(context: HeimboteContext) -> Account:
    """The pressing relative's account (resolved in the pre-flight for every update)."""
    if context.account is None:
        raise NotAllowed("no account")
    return context.account


async def write_to(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """After /message: the resident was chosen, ask for the message."""
    (resident_id,) = int_args(args, 1)
    choice = await service.start_reply_about(_account(context), resident_id)
    await show(update, compose_prompt(context.tr, choice))


async def write_about(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """The resident chosen for what the relative sent: it goes to the team now."""
    (resident_id,) = int_args(args, 1)
    await picked(pressed_message(update), context, resident_id)


async def reply(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """↩️ Reply under the team's answer: the next message goes to that thread's resident."""
    (thread_id,) = int_args(args, 1)
    message, account = pressed_message(update), _account(context)
    thread = await service.thread_for_relative(account, thread_id)
    choice = await service.start_reply_about(account, thread.resident_id)
    await message.reply_text(compose_prompt(context.tr, choice))


async def close_thread(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """✅ Close under the team's answer."""
    (thread_id,) = int_args(args, 1)
    await close_own(pressed_message(update), _account(context), thread_id)
    return context.tr._("Closed. You can write again at any time: /message")


async def picked(message: Message, context: HeimboteContext, resident_id: int) -> None:
    """The resident was chosen: what waited goes to the team."""
    assert context.account is not None
    awaited = await awaited_input(context.account)
    pending = awaited.payload.get("pending", []) if awaited and awaited.kind == PICK else []
    if not pending:
        raise BadCallbackData("nothing waits")
    await message.edit_reply_markup(None)
    if await write(message, context, resident_id, pending):
        await stop_awaiting(context.account)


async def close_own(message: Message, account: Account, thread_id: int) -> None:
    """The relative closes their own thread (the service refuses anyone else's)."""
    await service.thread_for_relative(account, thread_id)
    await service.close(Actor(account=account), thread_id)
    await message.edit_reply_markup(None)


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """/message and the relative's buttons (text: kit.text_input; media: kit.media)."""
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("message", start_message, filters=private),
        buttons(CAP, {"to": write_to, "about": write_about, "reply": reply,
                      "close": close_thread},
                explain=stale_refusal),
    ]


# What this module answers when the bot waits for typed text (kit.text_input).
TEXT_ANSWERS: dict[str, TextAnswer] = {
    service.COMPOSE: composed,
    PICK: more_before_picking,
}


# Offered text that nothing waits for (kit.text_input).
UNAWAITED_TEXT: list[UnawaitedText] = [plain_text]
