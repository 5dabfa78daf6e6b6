"""Wellbeing notes in Telegram: /today (the care team writes, relatives read), the relatives'
choices in /settings, and the buttons under the evening digest.

Every ``wb:`` button goes through the one dispatcher here; buttons carry only ids, and the
service checks the presser's rights again on every press.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.services import wellbeing as service
from handlers.kit.buttons import buttons
from handlers.kit.context import HeimboteContext, actor_of
from handlers.kit.text_input import TextAnswer
from handlers.wellbeing import home, relatives, staff, units

TEXT_ANSWERS: dict[str, TextAnswer] = staff.TEXT_ANSWERS


async def today(update: Update, context: HeimboteContext) -> None:
    """``/today``: the care team writes notes, relatives read the latest."""
    if context.account is None:
        return
    actor = actor_of(context)
    if await service.writing_facilities(actor):
        await staff.start(update, context)
    elif await service.on_a_team(actor):
        if update.effective_message is not None:
            await update.effective_message.reply_text(
                context.tr._("Daily notes are switched off in your care home."))
    else:
        await relatives.show_latest(update, context)


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """/today (private chats) and every wellbeing button."""
    return [
        CommandHandler("today", today, filters=filters.ChatType.PRIVATE),
        buttons(staff.CAP, {**staff.STEPS, **units.STEPS, **relatives.STEPS, **home.STEPS},
                explain=staff.refusal),
    ]
