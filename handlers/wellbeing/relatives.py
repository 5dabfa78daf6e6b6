"""Wellbeing notes for relatives: /today on demand, the choices in /settings, the day's photos.

Consent and the digest's time are chosen in /settings (:mod:`handlers.accounts.relatives` shows
the rows); the presses come here and go back to the settings. Every press finds the link
through the pressing account: a forged id changes nothing.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputMediaPhoto, Update

from bot.domain.callbacks import BadCallbackData, Prefix
from bot.services import wellbeing as service
from handlers.accounts.relatives import back_to_settings
from handlers.kit.args import int_args, text_args
from handlers.kit.buttons import ButtonAction, button
from handlers.kit.context import HeimboteContext, account_of
from handlers.kit.screens import show

CAP = Prefix.WELLBEING
ALBUM_MAX = 10


def markup_of(rows: list[list[dict[str, str]]]) -> InlineKeyboardMarkup | None:
    """Buttons a service wrote (Bot API JSON) as PTB's markup."""
    if not rows:
        return None
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(b["text"], callback_data=b["callback_data"]) for b in row]
        for row in rows
    ])


async def show_latest(update: Update, context: HeimboteContext) -> None:
    """``/today`` from a relative: the latest notes about each of their residents."""
    message = update.effective_message
    if message is None:
        return
    tr = context.tr
    shown = await service.latest_for(account_of(context), tr)
    if not shown:
        await message.reply_text(tr._(
            "/today shows the daily notes about your relative once you are connected with "
            "a resident."))
        return
    for latest in shown:
        if latest.home_off:
            text = tr._("The care home does not send daily notes about {resident}.").format(
                resident=latest.resident_name)
        elif not latest.opted_in:
            text = tr._("Daily notes about {resident} are off. You can switch them on in "
                        "/settings.").format(resident=latest.resident_name)
        elif latest.text is None:
            text = tr._("There are no notes about {resident} yet.").format(
                resident=latest.resident_name)
        else:
            text = latest.text
        await message.reply_text(text, reply_markup=markup_of(latest.buttons))


async def set_consent(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> str | None:
    """Daily notes about one resident on (1) or off (0)."""
    link_id, enabled = int_args(args, 2, minimum=0)
    if enabled not in (0, 1):
        raise BadCallbackData(args)
    choice = await service.set_consent(account_of(context), link_id, enabled == 1)
    await back_to_settings(update, context)
    tr = context.tr
    if choice.opted_in:
        return tr._("You will receive the daily notes about {resident}.").format(
            resident=choice.resident_name)
    return tr._("No more daily notes about {resident}.").format(resident=choice.resident_name)


async def ask_digest(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> str | None:
    """"Evening notes at …": the times outside the relative's quiet hours."""
    text_args(args, 0)
    tr = context.tr
    account = account_of(context)
    current = await service.digest_at(account)
    rows = [[button(("✓ " if t == current else "")
                    + tr.time(t), CAP, "digestset", t.hour)]
            for t in service.digest_presets(account)]
    rows.append([button(tr._("Back"), Prefix.RELATIVE_SETTINGS, "menu")])
    await show(update, tr._(
        "When would you like the day's notes? Once a day, only on days with notes "
        "(the care home's time)."), InlineKeyboardMarkup(rows))
    return None


async def set_digest(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> str | None:
    """One of the offered times (the service refuses any other)."""
    (hour,) = int_args(args, 1, minimum=0)
    await service.set_digest_at(account_of(context), hour)
    await back_to_settings(update, context)
    return None


async def photos(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> str | None:
    """"📷 Show the photos": the day's photo greetings of the resident, sent again."""
    resident, day = text_args(args, 2)
    (resident_id,) = int_args((resident,), 1, minimum=1)
    albums = await service.day_photos(account_of(context), resident_id, day)
    chat = update.effective_chat
    if chat is None:
        return None
    for file_ids in albums:
        if len(file_ids) == 1:
            await context.bot.send_photo(chat.id, file_ids[0])
        else:
            await context.bot.send_media_group(
                chat.id, [InputMediaPhoto(f) for f in file_ids[:ALBUM_MAX]])
    return None


STEPS: dict[str, ButtonAction] = {
    "consent": set_consent, "digest": ask_digest, "digestset": set_digest, "photos": photos,
}
