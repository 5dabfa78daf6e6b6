"""Greeting, language choice and help: the first things every user sees."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler

from bot.domain.callbacks import Prefix, callback
from bot.i18n import Translator, available_locales, language_name, translator
from bot.services.accounts import LinkView, Standing, choose_locale, links_of, standing_of
from handlers.kit.args import text_args
from handlers.kit.buttons import buttons, stale_refusal
from handlers.kit.context import HeimboteContext, account_of
from handlers.kit.menu import RELATIVES, Audience, commands_for, refresh_for
from handlers.kit.screens import show

LANGUAGE = Prefix.LANGUAGE


def language_keyboard(current: str, capability: Prefix = LANGUAGE) -> InlineKeyboardMarkup:
    """One button per language, each in its own name; the current one first and ticked.

    ``capability`` takes the press (``<capability>:1:set:<code>``): joining continues its own way.
    """
    ordered = sorted(available_locales(), key=lambda code: code != current)
    buttons = [
        InlineKeyboardButton(
            ("✓ " if code == current else "") + language_name(code),
            callback_data=callback(capability, "set", code),
        )
        for code in ordered
    ]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def help_text(tr: Translator, standing: Standing = RELATIVES) -> str:
    """The commands of the reader's roles, exactly those of their menu, in their language."""
    lines = [tr._("Here is what I can do for you:")]
    team = [tr._("For the care team:"),
            tr._("Send me a photo (or an album of up to 10) to post a photo update.")]
    for command, description, audience in commands_for(standing):
        line = f"/{command} – {tr._(description)}"
        if audience in (Audience.EVERYONE, Audience.RELATIVE):
            lines.append(line)
        else:
            team.append(line)
    if standing.role is not None:
        lines += ["", *team]
    return "\n".join(lines)


async def standing_in(context: HeimboteContext) -> Standing:
    """The reader's standing (a relative's, before they have an account)."""
    if context.account is None:
        return RELATIVES
    return await standing_of(context.account, context.settings.platform_admin_ids)


async def start(update: Update, context: HeimboteContext) -> None:
    """Say what Heimbote is and offer the language picker; a connected relative: their status."""
    if update.effective_message is None or update.effective_user is None:
        return
    tr = context.tr
    links = await links_of(context.account) if context.account is not None else []
    if links:
        await update.effective_message.reply_text(status_text(tr, links))
        return
    await update.effective_message.reply_text(
        tr._(
            "Hello {name}! I am Heimbote, the messenger of your family member's care home. "
            "Here you receive photo greetings and news from the home, and you can write "
            "to the team.\n\nWhich language would you like me to use?"
        ).format(name=update.effective_user.first_name),
        reply_markup=language_keyboard(tr.locale),
    )


def status_text(tr: Translator, links: list[LinkView]) -> str:
    """Who a relative is connected with, and what to try."""
    connected = "\n".join(
        tr._("• {resident} at {home}").format(resident=link.resident_name, home=link.facility_name)
        for link in links
    )
    return (
        tr._("You are connected with:") + "\n" + connected + "\n\n"
        + tr._(
            "Try /today for notes of the day, /message to write to the team, /visit to book a "
            "visit. /settings changes your language and what you receive, /help shows "
            "everything."
        )
    )


async def ask_language(update: Update, context: HeimboteContext) -> None:
    """Show the language picker."""
    if update.effective_message is None:
        return
    await update.effective_message.reply_text(
        context.tr._("Which language would you like me to use?"),
        reply_markup=language_keyboard(context.tr.locale),
    )


async def set_language(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """Save the language a button named, and answer in it (an unknown one: a stale button)."""
    (locale,) = text_args(args, 1)
    await choose_locale(account_of(context), locale)
    tr = context.tr = translator(locale)
    await refresh_for(context, account_of(context))
    await show(
        update,
        tr._("Thank you! From now on I will write to you in {language}.").format(
            language=language_name(locale)
        ),
    )
    query = update.callback_query
    if query is not None and query.message is not None:
        await context.bot.send_message(
            query.message.chat.id, help_text(tr, await standing_in(context))
        )


async def show_help(update: Update, context: HeimboteContext) -> None:
    """Send the overview of commands (with the care team's commands for the team)."""
    if update.effective_message is None:
        return
    text = help_text(context.tr, await standing_in(context))
    await update.effective_message.reply_text(text)


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """/start, /language, /help and the language buttons."""
    return [
        CommandHandler("start", start),
        CommandHandler("language", ask_language),
        CommandHandler("help", show_help),
        buttons(LANGUAGE, {"set": set_language}, explain=stale_refusal),
    ]
