"""A relative's own controls and data rights: /settings, /privacy, /mydata, /deleteme.

Buttons carry only ids; every press is re-checked by the service against the pressing account,
so a forged button for someone else's link changes nothing.
"""

from __future__ import annotations

import json

from babel.dates import format_time
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import clock
from bot.domain.callbacks import BadCallbackData, Prefix, callback, parse, pattern
from bot.domain.errors import DomainError
from bot.i18n import Translator, language_name
from bot.services import accounts as relatives
from bot.services import privacy
from handlers.kit.context import HeimboteContext
from handlers.onboarding.start import language_keyboard

SETTINGS = Prefix.RELATIVE_SETTINGS
EXPORT_FILENAME = "heimbote-my-data.json"


def button(text: str, *args: str | int) -> InlineKeyboardButton:
    """An inline button of this capability."""
    return InlineKeyboardButton(text, callback_data=callback(SETTINGS, *(str(a) for a in args)))


def hours_text(tr: Translator, hours: relatives.QuietHours | None) -> str:
    """Quiet hours as the user's locale writes times ("21:00–08:00"), or that there are none."""
    if hours is None:
        return tr._("No quiet hours")
    start, end = (format_time(t, format="short", locale=tr.locale) for t in hours)
    return f"{start}–{end}"


def quiet_label(tr: Translator, hours: relatives.QuietHours | None) -> str:
    """The settings button for quiet hours."""
    if hours is None:
        return tr._("Quiet hours: off")
    return tr._("Quiet hours: {hours}").format(hours=hours_text(tr, hours))


async def settings_view(context: HeimboteContext) -> tuple[str, InlineKeyboardMarkup]:
    """The settings message and its buttons, read fresh from the database."""
    assert context.account is not None
    tr = context.tr
    links = await relatives.links_of(context.account)
    rows = [
        [button(tr._("Language: {language}").format(language=language_name(tr.locale)),
                "language")],
        [button(quiet_label(tr, relatives.quiet_hours(context.account)), "quiet")],
    ]
    for link in links:
        label = (tr._("Photo greetings of {resident}: on") if link.photo_updates
                 else tr._("Photo greetings of {resident}: off"))
        rows.append([button(label.format(resident=link.resident_name),
                            "photos", link.link_id, int(not link.photo_updates))])
        rows.append([button(tr._("Unlink from {resident}").format(resident=link.resident_name),
                            "unlink", link.link_id)])
    text = tr._(
        "Your settings. Tap what you would like to change.\n\n"
        "During quiet hours (the care home's time) I send nothing that can wait."
    )
    if not links:
        text += "\n\n" + tr._("You are not connected with a resident yet.")
    return text, InlineKeyboardMarkup(rows)


async def show_settings(update: Update, context: HeimboteContext) -> None:
    """``/settings``."""
    if update.effective_message is not None and context.account is not None:
        text, keyboard = await settings_view(context)
        await update.effective_message.reply_text(text, reply_markup=keyboard)


def quiet_keyboard(tr: Translator, current: str | None) -> InlineKeyboardMarkup:
    """The quiet-hours presets, the current one ticked."""
    rows = [
        [button(("✓ " if name == current else "") + hours_text(tr, hours), "quietset", name)]
        for name, hours in relatives.QUIET_PRESETS.items()
    ]
    rows.append([button(tr._("Back"), "menu")])
    return InlineKeyboardMarkup(rows)


async def on_button(update: Update, context: HeimboteContext) -> None:
    """Every settings and data button; anything not ours, or not the presser's, is refused."""
    query = update.callback_query
    if query is None or context.account is None:
        return
    tr = context.tr
    account = context.account
    try:
        pressed = parse(query.data)
        action, args = pressed.action, pressed.args
        if action == "menu" and not args:
            await back_to_settings(update, context)
        elif action == "language" and not args:
            await query.answer()
            await query.edit_message_text(
                tr._("Which language would you like me to use?"),
                reply_markup=language_keyboard(tr.locale),
            )
        elif action == "quiet" and not args:
            await query.answer()
            await query.edit_message_text(
                tr._("When should I stay quiet? The times are the care home's."),
                reply_markup=quiet_keyboard(tr, relatives.quiet_preset(account)),
            )
        elif action == "quietset":
            (preset,) = args
            await relatives.set_quiet_hours(account, preset)
            await back_to_settings(update, context)
        elif action == "photos":
            link_id, enabled = args
            if enabled not in ("0", "1"):
                raise BadCallbackData(query.data)
            await relatives.set_photo_updates(account, int(link_id), enabled == "1")
            await back_to_settings(update, context)
        elif action == "unlink":
            (link_id,) = args
            await ask_to_unlink(update, context, int(link_id))
        elif action == "unlinkok":
            (link_id,) = args
            link = await relatives.unlink(account, int(link_id))
            await query.answer()
            await query.edit_message_text(
                tr._("Done: you are no longer connected with {resident}.").format(
                    resident=link.resident_name
                )
            )
        elif action == "erase" and not args:
            await erase(update, context)
        elif action == "keep" and not args:
            await query.answer()
            await query.edit_message_text(tr._("All right, nothing was deleted."))
        else:
            raise BadCallbackData(query.data)
    except (BadCallbackData, ValueError, DomainError):
        await query.answer(tr._("This button is no longer valid."), show_alert=True)


async def back_to_settings(update: Update, context: HeimboteContext) -> None:
    """Show the settings again in the same message (after a change, or "Back")."""
    query = update.callback_query
    assert query is not None
    text, keyboard = await settings_view(context)
    await query.answer()
    await query.edit_message_text(text, reply_markup=keyboard)


async def ask_to_unlink(update: Update, context: HeimboteContext, link_id: int) -> None:
    """Confirm before unlinking: it cannot be undone without a new invitation."""
    query = update.callback_query
    assert query is not None and context.account is not None
    tr = context.tr
    link = await relatives.link_of(context.account, link_id)
    await query.answer()
    await query.edit_message_text(
        tr._(
            "Unlink from {resident} at {facility}? You will no longer receive news about "
            "{resident}. To connect again you need a new invitation."
        ).format(resident=link.resident_name, facility=link.facility_name),
        reply_markup=InlineKeyboardMarkup([
            [button(tr._("Yes, unlink"), "unlinkok", link.link_id)],
            [button(tr._("Cancel"), "menu")],
        ]),
    )


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
        caption=context.tr._("Here is everything I have stored about you."),
    )


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


async def erase(update: Update, context: HeimboteContext) -> None:
    """Erase the account (whoever pressed is whoever is erased), then say goodbye."""
    query = update.callback_query
    assert query is not None and context.account is not None
    await privacy.erase_account(context.account)
    context.account = None
    await query.answer()
    await query.edit_message_text(
        context.tr._(
            "Everything about you has been deleted. Goodbye! To come back, you need a new "
            "invitation from the care home."
        )
    )


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """/settings, /privacy, /mydata, /deleteme and their buttons."""
    return [
        CommandHandler("settings", show_settings),
        CommandHandler("privacy", show_privacy),
        CommandHandler("mydata", send_my_data),
        CommandHandler("deleteme", ask_to_erase),
        CallbackQueryHandler(on_button, pattern=pattern(SETTINGS)),
    ]
