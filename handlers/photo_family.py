"""What relatives do with a photo update they received: "❤️ Thank you" and "Reply".

A thank-you is counted once per relative; the author's decision message and the approvers'
notes then show how many said thank you. A reply is typed and relayed to the author (until the
home has an inbox of its own). The service checks that the pressing account received the
update: a forwarded or forged button does nothing.
"""

from __future__ import annotations

from telegram import Update

from bot.models import AwaitedInput
from bot.services import photo_updates as service
from bot.services.awaited_input import await_input, stop_awaiting
from bot.services.errors import NotAllowed
from handlers.context import HeimboteContext
from handlers.photo import Step, ids, typed
from handlers.photo_review import refresh_notes
from handlers.text_input import answers

REPLY = "photo_reply"


async def thank(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str | None:
    """"❤️ Thank you": counted once, and the team sees the new count."""
    (update_id,) = ids(args, 1)
    if context.account is None:
        raise NotAllowed("no account")
    await service.thank(context.account, update_id)
    await refresh_notes(context.bot, update_id)
    return context.tr._("Thank you sent ❤️")


async def ask_reply(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> str | None:
    """"Reply": ask for the message to the team."""
    (update_id,) = ids(args, 1)
    if context.account is None:
        raise NotAllowed("no account")
    await await_input(context.account, REPLY, update=update_id)
    if update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, context.tr._(
            "Please type your message to the care team about this photo update."
        ))
    return None


@answers(REPLY)
@typed
async def reply_typed(update: Update, context: HeimboteContext, awaited: AwaitedInput) -> None:
    """The relative's message: relayed to the one who posted the update."""
    message = update.effective_message
    if message is None or not message.text or context.account is None:
        return
    await service.reply_to_author(context.account, int(awaited.payload["update"]), message.text)
    await stop_awaiting(context.account)
    await message.reply_text(context.tr._("Sent to the team. Thank you!"))


STEPS: dict[str, Step] = {"thx": thank, "re": ask_reply}
