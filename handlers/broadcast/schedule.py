"""Urgent or not, when it goes out, and the preview exactly as the recipients will see it."""

from __future__ import annotations

from telegram import Bot, InlineKeyboardMarkup, Update

from bot import clock
from bot.domain.callbacks import BadCallbackData
from bot.domain.errors import DomainError
from bot.services import announcements as service
from bot.services.accounts import Awaited, await_input, stop_awaiting
from handlers.broadcast.replies import CAP, draft_and_choice, explain
from handlers.kit.args import int_args
from handlers.kit.buttons import button
from handlers.kit.context import HeimboteContext, actor_of
from handlers.kit.screens import send_outgoing, show

TIME = "broadcast_time"  # awaited: a typed time


async def ask_urgent(
    update: Update, context: HeimboteContext, draft: service.AnnouncementView
) -> None:
    """Urgent (also at night) or not (after each family's quiet hours)."""
    tr = context.tr
    rows = [[button(tr._("Urgent"), CAP, "urgent", draft.id, 1),
             button(tr._("Not urgent"), CAP, "urgent", draft.id, 0)]]
    await show(update, tr._(
        "Is it urgent? Urgent announcements arrive at once, also at night. Others wait until "
        "each family's quiet hours are over."
    ), InlineKeyboardMarkup(rows))


async def choose_urgent(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """The "urgent" button: save the choice, then ask when it goes out."""
    draft_id, urgent = int_args(args, 2)
    await service.set_urgent(actor_of(context), draft_id, bool(urgent))
    tr = context.tr
    rows = [
        [button(tr._("Now"), CAP, "when", draft_id, service.NOW),
         button(tr._("In 1 hour"), CAP, "when", draft_id, service.IN_ONE_HOUR)],
        [button(tr._("Today {time}").format(time=tr.time(service.EVENING_AT)), CAP, "when",
                draft_id, service.TODAY_EVENING),
         button(tr._("Tomorrow {time}").format(time=tr.time(service.MORNING_AT)), CAP, "when",
                draft_id, service.TOMORROW_MORNING)],
        [button(tr._("Type a time"), CAP, "when", draft_id, "typed")],
    ]
    await show(update, tr._("When should it go out?"), InlineKeyboardMarkup(rows))


async def choose_time(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """The "when" button: one of the offered times (then the preview), or ask for a typed one."""
    draft_id, when = draft_and_choice(args)
    actor, tr = actor_of(context), context.tr
    if when == "typed":
        await service.get_view(actor, draft_id)
        assert context.account is not None
        await await_input(context.account, TIME, announcement=draft_id)
        await show(update, tr._("Please type the time, like this: 18:30 or 2026-12-24 10:00"))
        return
    if when not in (service.NOW, service.IN_ONE_HOUR, service.TODAY_EVENING,
                    service.TOMORROW_MORNING):
        raise BadCallbackData(args)
    # today 18:00 may have passed: the refusal becomes an alert
    await preview(update, context, await service.schedule(actor, draft_id, when))


async def time_received(update: Update, context: HeimboteContext, awaited: Awaited) -> None:
    """A typed time: HH:MM or YYYY-MM-DD HH:MM, in the home's timezone."""
    message = update.effective_message
    if message is None or message.text is None or context.account is None:
        return
    try:
        draft = await service.schedule(
            actor_of(context), int(awaited.payload["announcement"]), message.text
        )
    except DomainError as error:
        await show(update, explain(context.tr, error))
        return
    await stop_awaiting(context.account)
    await preview(update, context, draft)


async def preview(
    update: Update, context: HeimboteContext, draft: service.AnnouncementView
) -> None:
    """The message exactly as the recipients will see it, then the summary and Confirm."""
    tr, chat = context.tr, update.effective_chat
    if chat is None:
        return
    await send_as_recipients_see_it(context.bot, chat.id, draft, tr.locale)
    count = len(await service.recipients_of(draft))
    when = (tr._("now") if draft.send_at is None or draft.send_at <= clock.now()
            else tr.datetime(draft.send_at, draft.timezone))
    summary = tr.ngettext(
        "This goes to {count} recipient, {when}.", "This goes to {count} recipients, {when}.",
        count,
    ).format(count=tr.number(count), when=when)
    rows = [[button(tr._("Send"), CAP, "ok", draft.id),
             button(tr._("Cancel"), CAP, "drop", draft.id)]]
    await context.bot.send_message(chat.id, summary, reply_markup=InlineKeyboardMarkup(rows))


async def send_as_recipients_see_it(
    bot: Bot, chat_id: int, draft: service.AnnouncementView, locale: str
) -> None:
    """Send one version of the announcement, the same way the outbox will."""
    await send_outgoing(bot, chat_id, service.outgoing_in(draft, locale))
