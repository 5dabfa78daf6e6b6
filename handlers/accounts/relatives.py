"""A relative's own controls and data rights: /settings, /privacy, /mydata, /deleteme.

Buttons carry only ids; every press is re-checked by the service against the pressing account,
so a forged button for someone else's link changes nothing.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import BaseHandler, CommandHandler

from bot import clock
from bot.domain.callbacks import BadCallbackData, Prefix
from bot.i18n import Translator, language_name
from bot.services import accounts as relatives
from bot.services import privacy, wellbeing
from handlers.accounts import settings_language
from handlers.emergency_calls.contacts import settings_line as emergency_contact_line
from handlers.kit.args import int_args, text_args
from handlers.kit.buttons import button as kit_button
from handlers.kit.buttons import buttons, stale_refusal
from handlers.kit.context import HeimboteContext, account_of
from handlers.kit.menu import forget_menu
from handlers.kit.screens import show

if TYPE_CHECKING:
    from bot.models import Account

SETTINGS = Prefix.RELATIVE_SETTINGS
EXPORT_FILENAME = "heimbote-my-data.json"


def button(text: str, action: str, *args: str | int) -> InlineKeyboardButton:
    """An inline button of this capability."""
    return kit_button(text, SETTINGS, action, *args)


def hours_text(tr: Translator, hours: relatives.QuietHours | None) -> str:
    """Quiet hours as the user's locale writes times ("21:00–08:00"), or that there are none."""
    if hours is None:
        return tr._("No quiet hours")
    start, end = (tr.time(t) for t in hours)
    return f"{start}–{end}"


def quiet_label(tr: Translator, hours: relatives.QuietHours | None) -> str:
    """The settings button for quiet hours."""
    if hours is None:
        return tr._("Quiet hours: off")
    return tr._("Quiet hours: {hours}").format(hours=hours_text(tr, hours))


async def wellbeing_rows(context: HeimboteContext) -> list[list[InlineKeyboardButton]]:
    """Daily notes per resident (a consent of its own), and the evening digest's time; the
    presses go to :mod:`handlers.wellbeing`."""
    account = account_of(context)
    tr = context.tr
    rows = []
    choices = await wellbeing.choices_of(account)
    for choice in choices:
        if not choice.home_enabled:
            continue
        label = (tr._("Daily notes about {resident}: on") if choice.opted_in
                 else tr._("Daily notes about {resident}: off"))
        rows.append([kit_button(label.format(resident=choice.resident_name), Prefix.WELLBEING,
                                "consent", choice.link_id, int(not choice.opted_in))])
    if any(choice.opted_in for choice in choices):
        at = tr.time(await wellbeing.digest_at(account))
        rows.append([kit_button(tr._("Evening notes at {time}").format(time=at),
                                Prefix.WELLBEING, "digest")])
    return rows


async def settings_view(context: HeimboteContext) -> tuple[str, InlineKeyboardMarkup]:
    """The settings message and its buttons, read fresh from the database."""
    account = account_of(context)
    tr = context.tr
    links = await relatives.links_of(account)
    rows = [
        [button(tr._("Language: {language}").format(language=language_name(tr.locale)),
                "language")],
        [button(quiet_label(tr, relatives.quiet_hours(account)), "quiet")],
    ]
    for link in links:
        label = (tr._("Photo greetings of {resident}: on") if link.photo_updates
                 else tr._("Photo greetings of {resident}: off"))
        rows.append([button(label.format(resident=link.resident_name),
                            "photos", link.link_id, int(not link.photo_updates))])
        rows.append([button(tr._("Unlink from {resident}").format(resident=link.resident_name),
                            "unlink", link.link_id)])
    rows += await wellbeing_rows(context)
    text = tr._(
        "Your settings. Tap what you would like to change.\n\n"
        "During quiet hours (the care home's time) I send nothing that can wait."
    )
    if not links:
        text += "\n\n" + tr._("You are not connected with a resident yet.")
    text += await emergency_contact_line(tr, account)
    return text, InlineKeyboardMarkup(rows)


async def show_settings(update: Update, context: HeimboteContext) -> None:
    """``/settings``."""
    if context.account is not None:
        text, keyboard = await settings_view(context)
        await show(update, text, keyboard)


def quiet_keyboard(tr: Translator, current: str | None) -> InlineKeyboardMarkup:
    """The quiet-hours presets, the current one ticked."""
    rows = [
        [button(("✓ " if name == current else "") + hours_text(tr, hours), "quietset", name)]
        for name, hours in relatives.QUIET_PRESETS.items()
    ]
    rows.append([button(tr._("Back"), "menu")])
    return InlineKeyboardMarkup(rows)


# --- the buttons ---------------------------------------------------------------------------
# Each press shows the next screen in the pressed message; a refusal (an old button, or a
# link that is not the presser's) reads as an out-of-date button.


async def back_to_settings(
    update: Update, context: HeimboteContext, args: tuple[str, ...] = ()
) -> None:
    """"Back", and after every change: the settings again, in the same message."""
    text_args(args, 0)
    text, keyboard = await settings_view(context)
    await show(update, text, keyboard)


async def set_language(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """A language chosen in the settings: saved, and the settings again, in it."""
    notice = await settings_language.choose_language(context, args)
    await back_to_settings(update, context)
    return notice


async def ask_quiet_hours(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> None:
    """"Quiet hours: …": the presets, the current one ticked."""
    text_args(args, 0)
    tr = context.tr
    await show(update, tr._("When should I stay quiet? The times are the care home's."),
               quiet_keyboard(tr, relatives.quiet_preset(account_of(context))))


async def set_quiet_hours(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """One of the presets (the service refuses any other)."""
    (preset,) = text_args(args, 1)
    await relatives.set_quiet_hours(account_of(context), preset)
    await back_to_settings(update, context)


async def set_photo_updates(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> None:
    """Photo greetings of one resident on (1) or off (0), as the button names."""
    link_id, enabled = int_args(args, 2)
    if enabled not in (0, 1):
        raise BadCallbackData(args)
    await relatives.set_photo_updates(account_of(context), link_id, enabled == 1)
    await back_to_settings(update, context)


async def ask_to_unlink(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """Confirm before unlinking: it cannot be undone without a new invitation."""
    (link_id,) = int_args(args, 1)
    tr = context.tr
    link = await relatives.link_of(account_of(context), link_id)
    await show(
        update,
        tr._(
            "Unlink from {resident} at {facility}? You will no longer receive news about "
            "{resident}. To connect again you need a new invitation."
        ).format(resident=link.resident_name, facility=link.facility_name),
        InlineKeyboardMarkup([
            [button(tr._("Yes, unlink"), "unlinkok", link.link_id)],
            [button(tr._("Cancel"), "menu")],
        ]),
    )


async def unlink(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """Confirmed: the link is gone."""
    (link_id,) = int_args(args, 1)
    link = await relatives.unlink(account_of(context), link_id)
    await show(update, context.tr._("Done: you are no longer connected with {resident}.").format(
        resident=link.resident_name
    ))


async def keep(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """/deleteme cancelled."""
    text_args(args, 0)
    await show(update, context.tr._("All right, nothing was deleted."))


async def show_privacy(update: Update, context: HeimboteContext) -> None:
    """``/privacy``: what is stored, who sees it, and whom to ask at each home."""
    message = update.effective_message
    if message is None or context.account is None:
        return
    tr = context.tr
    lines = [
        tr._(
            "What I store about you: your name from Telegram, your language, your settings "
            "and your connection to residents or to a team.\n"
            "Who sees it: the staff of the care homes you are connected with.\n"
            "How long: while you are connected. /mydata sends you a copy, /deleteme deletes "
            "everything."
        )
    ]
    for home in await privacy.facility_contacts(context.account):
        contact = home.contact or tr._("please ask the staff")
        lines.append(tr._("Questions to {facility}: {contact}").format(
            facility=home.name, contact=contact
        ))
    await message.reply_text("\n\n".join(lines))


async def send_my_data(update: Update, context: HeimboteContext) -> None:
    """``/mydata``: everything stored about the account, as a JSON document."""
    message = update.effective_message
    if message is None or context.account is None:
        return
    exported = await privacy.export_account(context.account)
    exported["exported_at"] = clock.now().isoformat()
    content = json.dumps(exported, ensure_ascii=False, indent=2).encode()
    await message.reply_document(
        InputFile(content, filename=EXPORT_FILENAME),
        caption=await mydata_caption(context.tr, context.account),
    )


async def mydata_caption(tr: Translator, account: Account) -> str:
    """What /mydata sends with the file: and how long the homes keep conversations."""
    lines = [tr._("Here is everything I have stored about you.")]
    for kept in await privacy.retention_of(account):
        lines.append(tr.ngettext(
            "{home} deletes conversations {days} day after their last message.",
            "{home} deletes conversations {days} days after their last message.",
            kept.conversation_days).format(home=kept.facility_name, days=kept.conversation_days))
    lines.append(tr.ngettext(
        "The texts of the messages I sent are deleted after {days} day.",
        "The texts of the messages I sent are deleted after {days} days.",
        privacy.CONTENT_KEPT_DAYS).format(days=privacy.CONTENT_KEPT_DAYS))
    return "\n\n".join(lines)


async def ask_to_erase(update: Update, context: HeimboteContext) -> None:
    """``/deleteme``: confirm first."""
    message = update.effective_message
    if message is None:
        return
    tr = context.tr
    await message.reply_text(
        tr._(
            "Shall I delete everything about you? Your connections, roles and settings will "
            "be gone and you will no longer receive news. This cannot be undone."
        ),
        reply_markup=InlineKeyboardMarkup([
            [button(tr._("Yes, delete everything"), "erase")],
            [button(tr._("Cancel"), "keep")],
        ]),
    )


async def erase(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """Erase the account (whoever pressed is whoever is erased), then say goodbye."""
    text_args(args, 0)
    account = account_of(context)
    await privacy.erase_account(account)
    context.account = None
    await forget_menu(context.bot, account.telegram_id)
    await show(
        update,
        context.tr._(
            "Everything about you has been deleted. Goodbye! To come back, you need a new "
            "invitation from the care home."
        ),
    )


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """/settings, /privacy, /mydata, /deleteme and their buttons."""
    return [
        CommandHandler("settings", show_settings),
        CommandHandler("privacy", show_privacy),
        CommandHandler("mydata", send_my_data),
        CommandHandler("deleteme", ask_to_erase),
        buttons(
            SETTINGS,
            {
                "menu": back_to_settings,
                "language": settings_language.ask_language,
                "set": set_language,
                "quiet": ask_quiet_hours,
                "quietset": set_quiet_hours,
                "photos": set_photo_updates,
                "unlink": ask_to_unlink,
                "unlinkok": unlink,
                "erase": erase,
                "keep": keep,
            },
            explain=stale_refusal,
        ),
    ]
