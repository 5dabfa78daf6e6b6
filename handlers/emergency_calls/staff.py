"""/callus: an admin or approver sends an urgent alert to one resident's emergency contacts.

Home (when several) → resident → what to ask (a reason category, no free text) → confirm →
sent. Buttons carry only ids and the category; the service checks the role again on each step.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.domain.callbacks import Prefix, callback
from bot.domain.enums import Role
from bot.i18n import Translator
from bot.services import emergency_calls as service
from bot.services.accounts import facilities_for, stop_awaiting
from handlers.kit.args import enum_arg, int_args
from handlers.kit.buttons import button
from handlers.kit.context import HeimboteContext, actor_of
from handlers.kit.paging import Page, page_caption, paged_keyboard
from handlers.kit.screens import show

CAP = Prefix.CALL_US
PAGE_SIZE = 8


def _cancel(tr: Translator) -> list[list[InlineKeyboardButton]]:
    return [[button(tr._("Cancel"), CAP, "cancel")]]


async def callus_command(update: Update, context: HeimboteContext) -> None:
    """``/callus``: which home (when several), then the residents."""
    message = update.effective_message
    if message is None or context.account is None:
        return
    tr = context.tr
    await stop_awaiting(context.account)
    homes = await facilities_for(actor_of(context), Role.APPROVER)
    if not homes:
        await message.reply_text(tr._(
            "Only the admins and approvers of a care home can send urgent alerts."))
        return
    if len(homes) == 1:
        await show_residents(update, context, homes[0].id, 0)
        return
    rows = [[button(home.name, CAP, "home", home.id, 0)] for home in homes]
    await message.reply_text(tr._("Which care home?"), reply_markup=InlineKeyboardMarkup(rows))


async def show_residents(
    update: Update, context: HeimboteContext, facility_id: int, offset: int
) -> None:
    """One page of the home's residents to pick from."""
    tr = context.tr
    residents, total = await service.callable_residents(
        actor_of(context), facility_id, offset, PAGE_SIZE)
    page = Page(offset, total, PAGE_SIZE)
    lines = [tr._("🚨 Urgent alert to a resident's emergency contacts. About whom?")]
    if caption := page_caption(tr, page):
        lines.append(caption)
    items = [(tr._("{name} · room {room}").format(name=name, room=room) if room else name,
              callback(CAP, "res", resident_id)) for resident_id, name, room in residents]
    await show(update, "\n\n".join(lines), paged_keyboard(
        items, page, lambda at: callback(CAP, "home", facility_id, at), _cancel(tr)))


async def pick_home(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """A home (or another page of its residents) was chosen."""
    facility_id, offset = int_args(args, 2, minimum=0)
    await show_residents(update, context, facility_id, offset)


async def pick_resident(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """The resident: what to ask of their emergency contacts; none: say so, send nothing."""
    (resident_id,) = int_args(args, 1)
    tr = context.tr
    try:
        prepared = await service.prepare_call(actor_of(context), resident_id)
    except service.NoEmergencyContacts:
        await show(update, no_contacts_text(tr))
        return
    rows = [[button(service.reason_text(tr.locale, reason), CAP, "reason", resident_id, reason)]
            for reason in service.CallReason]
    await show(update, tr._("What should {contacts} be asked about {resident}?").format(
        contacts=", ".join(prepared.contacts), resident=prepared.resident),
        InlineKeyboardMarkup([*rows, *_cancel(tr)]))


def no_contacts_text(tr: Translator) -> str:
    """The resident has no emergency contact: nothing is sent."""
    return tr._("This resident has no emergency contacts, so nothing was sent. Please phone the "
                "family yourself. Admins choose the emergency contacts on the resident's card "
                "in /residents.")


async def pick_reason(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """Confirm: about whom, to whom, what; sent at once, also during quiet hours, repeated."""
    (raw_id, raw_reason) = args if len(args) == 2 else ("", "")
    (resident_id,) = int_args((raw_id,), 1)
    reason = enum_arg(service.CallReason, raw_reason)
    tr = context.tr
    try:
        prepared = await service.prepare_call(actor_of(context), resident_id)
    except service.NoEmergencyContacts:
        await show(update, no_contacts_text(tr))
        return
    text = tr._(
        "Send this urgent alert now?\n\nAbout: {resident}\nTo: {contacts}\nMessage: {reason}\n\n"
        "It goes at once, also during quiet hours, and again every 10 minutes until someone "
        "answers (at most 6 times)."
    ).format(resident=prepared.resident, contacts=", ".join(prepared.contacts),
             reason=service.reason_text(tr.locale, reason))
    await show(update, text, InlineKeyboardMarkup([
        [button(tr._("🚨 Send now"), CAP, "send", resident_id, reason)], *_cancel(tr)]))


async def send(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str | None:
    """Send it; a second press does not send it twice."""
    (raw_id, raw_reason) = args if len(args) == 2 else ("", "")
    (resident_id,) = int_args((raw_id,), 1)
    reason = enum_arg(service.CallReason, raw_reason)
    tr = context.tr
    try:
        sent = await service.start_call(actor_of(context), resident_id, reason)
    except service.NoEmergencyContacts:
        await show(update, no_contacts_text(tr))
        return None
    if sent.already_open:
        await show(update, tr._(
            "An alert about {resident} is already waiting for an answer: it was not sent "
            "again.").format(resident=sent.resident))
        return None
    await show(update, tr._(
        "🚨 Sent to {contacts}. I will tell you here when someone answers.").format(
        contacts=", ".join(sent.contacts)))
    return tr._("Sent.")


async def cancel(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """Nothing is sent."""
    await show(update, context.tr._("Cancelled. Nothing was sent."))
