"""The care team member's own unit (Wohnbereich): its residents come first in /today's picker.

Offered under the picker when the home has units; the choice is remembered for the account.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.services import wellbeing as service
from handlers.kit.args import int_args, text_args
from handlers.kit.buttons import ButtonAction, button
from handlers.kit.context import HeimboteContext, actor_of
from handlers.kit.screens import show
from handlers.wellbeing.staff import CAP, show_picker


async def show_units(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> str | None:
    """"🏠 My unit": the units of the presser's homes, their own ticked."""
    text_args(args, 0)
    tr = context.tr
    units = await service.unit_choices(actor_of(context))
    rows = [[button(("✓ " if unit.mine else "") + unit.name, CAP, "unit", unit.id)]
            for unit in units]
    rows.append([button(tr._("No unit of my own"), CAP, "unit", 0)])
    rows.append([button(tr._("Back"), CAP, "back")])
    await show(update, tr._("Which unit do you work in? Its residents come first."),
               InlineKeyboardMarkup(rows))
    return None


async def set_unit(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str | None:
    """A unit chosen (0: none): the picker again, the unit's residents first."""
    (unit_id,) = int_args(args, 1, minimum=0)
    await service.set_my_unit(actor_of(context), unit_id)
    await show_picker(update, context)
    return None


STEPS: dict[str, ButtonAction] = {"units": show_units, "unit": set_unit}
