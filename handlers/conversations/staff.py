"""Staff answer relatives: a Telegram reply to a relayed message, or ↩️ Reply; ✅ Close.

In the staff group (or in private chat without one) a staff member replies to the message the
bot relayed; the reply goes to that relative only. ↩️ Reply asks for the answer with a message
to reply to (and in private chat, the next text is the answer). Every answer and every press is
checked by the service: only staff of the thread's facility may answer or close it.
A relative's own Telegram reply to an answer continues their thread.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable

from telegram import Chat, ForceReply, Message, MessageEntity, Update, User
from telegram.error import BadRequest
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.domain.errors import DomainError, InvalidInput, NotAllowed, NotFound
from bot.i18n import Translator
from bot.services import conversations as service
from bot.services.accounts import Awaited, await_input, stop_awaiting
from bot.services.conversations import STAFF_CAPABILITY as CAP
from handlers.conversations.relatives import write
from handlers.kit.args import int_args
from handlers.kit.buttons import buttons
from handlers.kit.context import HeimboteContext, actor_of
from handlers.kit.screens import pressed_message
from handlers.kit.text_input import TextAnswer

log = logging.getLogger(__name__)

ANSWER = "conversation_answer"  # the staff member's next text answers a thread


def staff_refusal(tr: Translator, error: DomainError) -> str:
    """Why an answer or a press was refused (nothing was sent)."""
    if isinstance(error, NotAllowed):
        return tr._(
            "Sorry, only the team of this care home can answer here. Nothing was sent."
        )
    if isinstance(error, NotFound):
        return tr._("I cannot find this conversation any more. Nothing was sent.")
    if isinstance(error, InvalidInput) and error.reason == "empty":
        return tr._("Your answer is empty. Nothing was sent.")
    if isinstance(error, InvalidInput) and error.field == "text":
        return tr._("Your answer is too long: at most {limit} characters, please.").format(
            limit=tr.number(service.TEXT_LIMIT))
    return tr._("That did not work. Please check it and try again.")


async def answer(message: Message, context: HeimboteContext, thread_id: int) -> bool:
    """Send a staff member's text to the thread's relative; confirm or explain. Whether sent."""
    tr = context.tr
    try:
        answered = await service.staff_replies(actor_of(context), thread_id, message.text or "")
    except DomainError as error:
        log.info("a staff answer was refused: %s", type(error).__name__)
        await message.reply_text(staff_refusal(tr, error))
        return False
    await message.reply_text(tr._("✓ Sent to {relative}.").format(
        relative=answered.relative_name))
    return True


async def _replied_thread(message: Message) -> service.ThreadView | None:
    replied = message.reply_to_message
    if replied is None:
        return None
    return await service.thread_replied_to(message.chat.id, replied.message_id)


async def private_reply(
    update: Update, context: HeimboteContext, route_text: Callable[..., Awaitable[None]]
) -> None:
    """A reply in private chat: to a relayed message (staff), to an answer (the relative),
    or to anything else (the usual text routing)."""
    message = update.effective_message
    if message is None or context.account is None:
        return
    thread = await _replied_thread(message)
    if thread is None:
        await route_text(update, context)
    elif thread.relative_id == context.account.id:
        await write(message, context, thread.resident_id,
                    [{"kind": "text", "text": message.text or "", "file_id": None}])
    else:
        if await answer(message, context, thread.id):
            await stop_awaiting(context.account)


async def group_reply(update: Update, context: HeimboteContext) -> None:
    """A reply in a group: to a message about a thread it answers; anything else is ignored."""
    message = update.effective_message
    if message is None or context.account is None:
        return
    thread = await _replied_thread(message)
    if thread is None:
        return  # team chatter that happens to reply to the bot: not ours to answer
    if not message.text:
        await message.reply_text(context.tr._(
            "I can pass on only text answers to relatives. Please reply with text."))
        return
    await answer(message, context, thread.id)


async def typed_answer(update: Update, context: HeimboteContext, awaited: Awaited) -> None:
    """The text after ↩️ Reply in private chat."""
    message = update.effective_message
    if message is None or context.account is None:
        return
    if await answer(message, context, int(awaited.payload["thread"])):
        await stop_awaiting(context.account)


async def reply(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """↩️ Reply under a relayed message, a reminder or a notice: ask for the answer."""
    (thread_id,) = int_args(args, 1)
    message = pressed_message(update)
    thread = await service.thread_for_staff(actor_of(context), thread_id)
    await prompt(message, context, thread)


async def close(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """✅ Close under a relayed message, a reminder or a notice; its buttons go."""
    (thread_id,) = int_args(args, 1)
    message = pressed_message(update)
    closed = await service.close(actor_of(context), thread_id)
    try:
        if message.is_accessible:  # not deleted meanwhile (then no buttons are left)
            await message.edit_reply_markup(None)
    except BadRequest as error:  # a double tap: the first press took the buttons away
        if "not modified" not in str(error).lower():
            raise
    return context.tr._("Conversation #{number} is closed.").format(number=closed.number)


async def prompt(
    message: Message, context: HeimboteContext, thread: service.ThreadView
) -> None:
    """Ask for the answer with a message to reply to; in private chat the next text answers.

    In a group the prompt mentions the staff member who pressed, and its forced reply is
    selective: Telegram opens the reply field for them alone, not for the whole team.
    """
    assert context.account is not None
    tr = context.tr
    names = {"relative": thread.relative_name, "resident": thread.resident_name,
             "number": thread.number}
    entities: list[MessageEntity] = []
    if message.chat.type == Chat.PRIVATE:
        await await_input(context.account, ANSWER, thread=thread.id)
        text = tr._("Your answer to {relative} about {resident} (#{number}), please:").format(
            **names)
        markup = ForceReply()
    else:
        name = context.account.first_name
        text = tr._("{name}, please write your answer to {relative} about {resident} "
                    "(#{number}) as a reply to this message.").format(name=name, **names)
        markup = ForceReply(selective=True)
        entities = [mention_of(text, name, context.account.telegram_id)]
    sent = await message.reply_text(text, reply_markup=markup, do_quote=True,
                                    entities=entities or None)
    await service.remember_prompt(thread.id, sent.chat.id, sent.message_id)


def mention_of(text: str, name: str, telegram_id: int) -> MessageEntity:
    """A mention of the user (no @username needed) on ``name``'s first place in ``text``."""
    start = text.find(name) if name in text else 0
    before, shown = text[:start], name if name in text else text[:1]

    def units(part: str) -> int:
        return len(part.encode("utf-16-le")) // 2

    return MessageEntity(MessageEntity.TEXT_MENTION, units(before), units(shown),
                         user=User(telegram_id, name or "?", is_bot=False))


def handlers(
    route_text: Callable[[Update, HeimboteContext], Awaitable[None]],
) -> list[BaseHandler[Update, HeimboteContext, None]]:
    """Replies in private chats and groups, and the staff's buttons.

    ``route_text`` takes a private reply to anything but a thread (the usual text routing).
    """
    text = filters.TEXT & ~filters.COMMAND
    return [
        buttons(CAP, {"reply": reply, "close": close}, explain=staff_refusal),
        # Before the text router: a reply is routed by what it replies to.
        MessageHandler(
            filters.ChatType.PRIVATE & filters.REPLY & text,
            functools.partial(private_reply, route_text=route_text),
        ),
        MessageHandler(filters.ChatType.GROUPS & filters.REPLY & ~filters.COMMAND, group_reply),
    ]


# What this module answers when the bot waits for typed text (kit.text_input).
TEXT_ANSWERS: dict[str, TextAnswer] = {
    ANSWER: typed_answer,
}
