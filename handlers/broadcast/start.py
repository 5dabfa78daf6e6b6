"""/broadcast and /broadcasts: first which care home, when the admin has several."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.domain.enums import Role
from bot.domain.errors import DomainError
from bot.services.accounts import facilities_for
from handlers.broadcast.compose import ask_text
from handlers.broadcast.recent import show_recent
from handlers.broadcast.replies import CAP, explain
from handlers.kit.buttons import ButtonAction, button
from handlers.kit.context import HeimboteContext, actor_of
from handlers.kit.screens import show


async def broadcast(update: Update, context: HeimboteContext) -> None:
    """/broadcast: ask for the text, after asking which home when the admin has several."""
    await _pick_home(update, context, "home", ask_text)


async def broadcasts(update: Update, context: HeimboteContext) -> None:
    """/broadcasts: the latest announcements with their figures."""
    await _pick_home(update, context, "list", show_recent)


async def _pick_home(
    update: Update, context: HeimboteContext, action: str, step: ButtonAction
) -> None:
    """Run ``step`` for the admin's only home, or offer the homes as ``action`` buttons."""
    tr = context.tr
    homes = await facilities_for(actor_of(context), Role.ADMIN) if context.account else []
    if not homes:
        await show(update, tr._("Only the admins of a care home can send announcements."))
    elif len(homes) == 1:
        try:
            await step(update, context, (str(homes[0].id),))
        except DomainError as error:
            await show(update, explain(tr, error))
    else:
        rows = [[button(home.name, CAP, action, home.id)] for home in homes]
        await show(update, tr._("Which care home?"), InlineKeyboardMarkup(rows))
