"""Who receives the announcement: all relatives, the relatives of one unit, or staff only."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.domain.callbacks import BadCallbackData
from bot.domain.errors import InvalidInput
from bot.services import announcements as service
from handlers.broadcast.languages import ask_language
from handlers.broadcast.replies import CAP, draft_and_choice
from handlers.kit.args import int_args
from handlers.kit.buttons import button
from handlers.kit.context import HeimboteContext, actor_of
from handlers.kit.screens import show


async def ask_audience(
    update: Update, context: HeimboteContext, draft: service.AnnouncementView
) -> None:
    """The step after the text: all relatives, one unit's, or staff only."""
    tr = context.tr
    rows = [
        [button(tr._("All relatives"), CAP, "aud", draft.id, "rel")],
        [button(tr._("The relatives of one unit"), CAP, "aud", draft.id, "unit")],
        [button(tr._("Staff only"), CAP, "aud", draft.id, "staff")],
    ]
    await show(update, tr._("Who should receive it?"), InlineKeyboardMarkup(rows))


async def choose_audience(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """The "aud" button: all relatives or staff only; for one unit, which unit first."""
    draft_id, audience = draft_and_choice(args)
    actor, tr = actor_of(context), context.tr
    if audience == "unit":
        draft = await service.get_view(actor, draft_id)
        units = await service.units_of(actor, draft.facility_id)
        if not units:
            raise InvalidInput("unit", "none")
        rows = [[button(unit.name, CAP, "unit", draft_id, unit.id)] for unit in units]
        await show(update, tr._("Which unit?"), InlineKeyboardMarkup(rows))
        return
    chosen = {"rel": service.Audience.RELATIVES, "staff": service.Audience.STAFF}.get(audience)
    if chosen is None:
        raise BadCallbackData(args)
    await ask_language(update, context, await service.set_audience(actor, draft_id, chosen))


async def choose_unit(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """The "unit" button: the relatives of this unit."""
    draft_id, unit_id = int_args(args, 2)
    draft = await service.set_audience(actor_of(context), draft_id, service.Audience.UNIT, unit_id)
    await ask_language(update, context, draft)
