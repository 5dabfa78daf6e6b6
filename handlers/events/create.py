"""A new event, typed step by step by an admin: title, description, date and time, place,
places, sign-up deadline; then who may come (buttons). The draft is the awaited input's
payload, every answer is checked by :mod:`bot.services.events`, the event made at the end."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.domain.callbacks import BadCallbackData, Prefix
from bot.domain.enums import EventAudience, Role
from bot.i18n import N_
from bot.services import events as service
from bot.services.accounts import Awaited, await_input, awaited_input, get_facility, stop_awaiting
from handlers.events.manage import show_event
from handlers.events.replies import typed
from handlers.kit.args import enum_arg, int_args
from handlers.kit.buttons import button
from handlers.kit.context import HeimboteContext, account_of, actor_of
from handlers.kit.screens import show
from handlers.kit.text_input import typed_text

CAP = Prefix.EVENTS
DRAFT = "event_draft"  # awaited: the next answer of a new event
QUESTIONS = {
    "title": N_("New event for {home}. What is its title? (e.g. Summer party)"),
    "description": N_("A few words about it? Type - for none."),
    "when": N_("Date and time, e.g. 2026-07-12 15:00 or 2026-07-12 15:00-17:00:"),
    "place": N_("Where? (e.g. Garden) Type - for none."),
    "capacity": N_("How many places are there for relatives and their guests?"),
    "deadline": N_("Sign-up until when? e.g. 2026-07-10 18:00, or - for until the start."),
}


async def start(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """➕ New event: the first question."""
    (facility_id,) = int_args(args, 1)
    facility = await get_facility(actor_of(context), facility_id, Role.ADMIN)
    await await_input(account_of(context), DRAFT, facility=facility.id, draft={})
    await show(update, context.tr._(QUESTIONS["title"]).format(home=facility.name))


@typed
async def answered(update: Update, context: HeimboteContext, awaited: Awaited) -> None:
    """One typed answer: checked, kept, and the next question (or who may come)."""
    entered = typed_text(update, context)
    if entered is None:
        return
    facility_id = int(awaited.payload["facility"])
    facility = await get_facility(actor_of(context), facility_id, Role.ADMIN)
    draft = service.answer_step(dict(awaited.payload.get("draft", {})), entered.text,
                                facility.timezone)
    await await_input(entered.account, DRAFT, facility=facility_id, draft=draft)
    step = service.next_step(draft)
    tr = context.tr
    if step is not None:
        await show(update, tr._(QUESTIONS[step]))
        return
    await show(update, tr._("Who may come?"), InlineKeyboardMarkup([
        [button(tr._("👪 Residents with relatives"), CAP, "create", facility_id,
                EventAudience.RELATIVES.value)],
        [button(tr._("🏠 Residents only"), CAP, "create", facility_id,
                EventAudience.RESIDENTS.value)],
    ]))


async def create(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """Who may come: the event is made from the typed draft."""
    if len(args) != 2:
        raise BadCallbackData(args)
    (facility_id,) = int_args(args[:1], 1)
    audience = enum_arg(EventAudience, args[1])
    account = account_of(context)
    awaited = await awaited_input(account)
    if awaited is None or awaited.kind != DRAFT or awaited.payload.get("facility") != facility_id:
        raise BadCallbackData(args)  # the draft is gone (made already, or an hour old)
    event = await service.create_from_draft(actor_of(context), facility_id,
                                            awaited.payload.get("draft", {}), audience)
    await stop_awaiting(account)
    await show_event(update, context, (str(event.id),))
    return context.tr._("The event is created.")
