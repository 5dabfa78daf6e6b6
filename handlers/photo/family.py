"""What relatives do with a photo update they received: "❤️ Thank you" and "Reply".

A thank-you is counted once per relative, and its button turns into a quiet "❤️ Thanked"; the
author's decision message and the approvers' notes then show how many said thank you. "Reply"
starts a message to the home about the relative's resident (see
:mod:`handlers.conversations.relatives`). The service checks that the pressing account received
the update: a forwarded or forged button does nothing.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.domain.errors import NotAllowed
from bot.services import conversations
from bot.services import photo_updates as service
from handlers.conversations.relatives import compose_prompt
from handlers.kit.context import HeimboteContext
from handlers.kit.screens import pressed_message
from handlers.photo import Step, button, ids


async def thank(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str | None:
    """"❤️ Thank you": counted once, and the team sees the new count (the service edits)."""
    (update_id,) = ids(args, 1)
    if context.account is None:
        raise NotAllowed("no account")
    await service.thank(context.account, update_id)
    await _show_thanked(update, context, update_id)
    return context.tr._("Thank you sent ❤️")


async def _show_thanked(update: Update, context: HeimboteContext, update_id: int) -> None:
    """The pressed "❤️ Thank you" becomes a quiet "❤️ Thanked"; "Reply" stays."""
    message = pressed_message(update)
    if not message.is_accessible or message.reply_markup is None:
        return
    thanked = button(context.tr._("❤️ Thanked"), "thxd", update_id)
    pressed = update.callback_query.data if update.callback_query else None
    rows = [[thanked if key.callback_data == pressed else key for key in row]
            for row in message.reply_markup.inline_keyboard]
    try:
        await message.edit_reply_markup(InlineKeyboardMarkup(rows))
    except BadRequest as error:  # a double tap: the first press changed it already
        if "not modified" not in str(error).lower():
            raise


async def thanked(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str | None:
    """"❤️ Thanked": already said; the press is answered quietly, nothing is sent again."""
    ids(args, 1)
    return None


async def ask_reply(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> str | None:
    """"Reply": the relative's next message goes to the home, about their resident."""
    (update_id,) = ids(args, 1)
    if context.account is None:
        raise NotAllowed("no account")
    resident_id = await service.reply_about(context.account, update_id)
    choice = await conversations.start_reply_about(context.account, resident_id)
    if update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, compose_prompt(context.tr, choice))
    return None


STEPS: dict[str, Step] = {"thx": thank, "thxd": thanked, "re": ask_reply}
