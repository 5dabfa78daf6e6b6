"""An emergency contact answers the home's alert: *I will call* / *I am coming*.

The service reads again whether the presser is an emergency contact of the alert's resident; a
second answer learns who answered first.
"""

from __future__ import annotations

from telegram import Update

from bot.i18n import Translator
from bot.services import emergency_calls as service
from handlers.kit.args import enum_arg, int_args
from handlers.kit.context import HeimboteContext, account_of
from handlers.kit.screens import pressed_message, show


def refusal(tr: Translator) -> str:
    """A press by someone the alert is not (or no longer) for."""
    return tr._("This alert is not for you. Nothing was changed.")


async def acknowledge(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """Tell the home; the alert keeps its text, its buttons go."""
    (raw_id, raw_answer) = args if len(args) == 2 else ("", "")
    (call_id,) = int_args((raw_id,), 1)
    answer = enum_arg(service.CallAnswer, raw_answer)
    tr = context.tr
    ack = await service.acknowledge(account_of(context), call_id, answer)
    if not ack.by_you:
        await show(update, pressed_message(update).text or "")  # the buttons go
        if not ack.relative:
            return tr._("Someone has already answered. Thank you!")
        return tr._("Already answered by {relative}. Thank you!").format(relative=ack.relative)
    done = (tr._("✅ Thank you. {home} knows that you will call.") if answer ==
            service.CallAnswer.CALL else
            tr._("✅ Thank you. {home} knows that you are coming."))
    await show(update, (pressed_message(update).text or "") + "\n\n" + done.format(home=ack.home))
    return tr._("Thank you!")
