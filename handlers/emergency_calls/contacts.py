"""The emergency contact buttons on a resident's card in /residents, and the relative's line in
/settings. A press is handled in :mod:`.presses`; the service checks the admin role again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, Update

from bot.domain.callbacks import BadCallbackData, Prefix
from bot.i18n import Translator
from bot.services import emergency_calls as service
from bot.services.accounts import Actor
from handlers.kit.args import int_args
from handlers.kit.buttons import button
from handlers.kit.context import HeimboteContext, actor_of

if TYPE_CHECKING:  # types only: handlers do not touch models
    from bot.models import Account

CAP = Prefix.CALL_US


async def contact_rows(
    tr: Translator, actor: Actor, resident_id: int
) -> list[list[InlineKeyboardButton]]:
    """One button per linked relative: 🚨 when an emergency contact; a tap switches it."""
    rows = []
    for contact in await service.contacts_of(actor, resident_id):
        label = (tr._("🚨 {relative}: emergency contact") if contact.emergency
                 else tr._("{relative}: not an emergency contact"))
        rows.append([button(label.format(relative=contact.name), CAP, "flag", resident_id,
                            contact.account_id, int(not contact.emergency))])
    return rows


async def settings_line(tr: Translator, account: Account) -> str:
    """For /settings: whether the relative is an emergency contact, and of whom ("" if not)."""
    names = await service.emergency_contact_for(account)
    if not names:
        return ""
    return "\n\n" + tr._(
        "You are an emergency contact of {residents}: the home may send you urgent alerts, "
        "also during quiet hours."
    ).format(residents=", ".join(names))


async def switch_contact(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """Make a relative an emergency contact, or no longer, and show the card again."""
    from handlers.admin.card import show_card  # the card shows these buttons: no import cycle

    resident_id, account_id, on = int_args(args, 3)
    if on not in (0, 1):
        raise BadCallbackData(str(args))
    await service.set_emergency_contact(actor_of(context), resident_id, account_id, on == 1)
    await show_card(update, context, resident_id)
    return context.tr._("Saved.")
