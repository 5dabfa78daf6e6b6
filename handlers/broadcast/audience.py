"""Who receives the announcement: all relatives, the relatives of one unit, or staff only."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.domain.callbacks import BadCallbackData
from bot.domain.errors import InvalidInput
from bot.models import Announcement
from bot.services import announcements as service
from handlers.broadcast.languages import ask_language
from handlers.broadcast.replies import _actor, _button, _edit, _ids, _reply
from handlers.kit.context import HeimboteContext


async def ask_audience(update: Update, context: HeimboteContext, draft: Announcement) -> None:
    tr = context.tr
    rows = [
        [_button(tr._("All relatives"), "aud", draft.id, "rel")],
        [_button(tr._("The relatives of one unit"), "aud", draft.id, "unit")],
        [_button(tr._("Staff only"), "aud", draft.id, "staff")],
    ]
    await _reply(update, tr._("Who should receive it?"), InlineKeyboardMarkup(rows))


async def choose_audience(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    (draft_id,), audience = _ids(args, 1), args[1:] or ("",)
    actor, tr = _actor(context), context.tr
    if audience[0] == "unit":
        draft = await service.get_announcement(actor, draft_id)
        units = await service.units_of(actor, draft.facility.id)
        if not units:
            raise InvalidInput("unit", "none")
        rows = [[_button(unit.name, "unit", draft_id, unit.id)] for unit in units]
        await _edit(update, tr._("Which unit?"), InlineKeyboardMarkup(rows))
        return
    chosen = {"rel": service.Audience.RELATIVES, "staff": service.Audience.STAFF}.get(audience[0])
    if chosen is None:
        raise BadCallbackData(args)
    await ask_language(update, context, await service.set_audience(actor, draft_id, chosen))


async def choose_unit(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    draft_id, unit_id = _ids(args, 2)
    draft = await service.set_audience(_actor(context), draft_id, service.Audience.UNIT, unit_id)
    await ask_language(update, context, draft)
