"""Greeting, language choice and help: the first things every user sees."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler

from bot.domain.callbacks import Prefix, callback
from bot.i18n import Translator, available_locales, language_name, translator
from bot.services.accounts import Actor, choose_locale
from bot.services.photo_updates import posting_facilities
from handlers.kit.args import text_args
from handlers.kit.buttons import buttons, stale_refusal
from handlers.kit.context import HeimboteContext, account_of
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


def help_text(tr: Translator) -> str:
    """The overview of what the bot can do, in the user's language."""
    return tr._(
        "Here is what I can do for you:\n"
        "/start – begin, or join with an invite from the care home\n"
        "/message – write to the care home's team\n"
        "/today – how your family member's day was\n"
        "/visit – book a visit, /events – the home's events\n"
        "/language – choose your language\n"
        "/settings – photo greetings, daily notes, quiet hours, your residents\n"
        "/privacy – what I store, /mydata – a copy, /deleteme – delete it\n"
        "/help – this overview"
    )


def team_help_text(tr: Translator) -> str:
    """The care team's part of the overview: photo updates, notes, visits, urgent alerts."""
    return tr._(
        "For the care team:\n"
        "Send me a photo (or an album of up to 10) to post a photo update.\n"
        "/myposts – your photo updates and how they are doing\n"
        "/pending – photo updates waiting for approval\n"
        "/today – note a resident's day (mood, appetite, activity)\n"
        "/visits – today's and tomorrow's visits, /events – the home's events\n"
        "/callus – urgent alert to a resident's emergency contacts (admins and approvers)"
    )


async def start(update: Update, context: HeimboteContext) -> None:
    """Say what Heimbote is and offer the language picker."""
    if update.effective_message is None or update.effective_user is None:
        return
    tr = context.tr
    await update.effective_message.reply_text(
        tr._(
            "Hello {name}! I am Heimbote, the messenger of your family member's care home. "
            "Here you receive photo greetings and news from the home, and you can write "
            "to the team.\n\nWhich language would you like me to use?"
        ).format(name=update.effective_user.first_name),
        reply_markup=language_keyboard(tr.locale),
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
    await show(
        update,
        tr._("Thank you! From now on I will write to you in {language}.").format(
            language=language_name(locale)
        ),
    )
    query = update.callback_query
    if query is not None and query.message is not None:
        await context.bot.send_message(query.message.chat.id, help_text(tr))


async def show_help(update: Update, context: HeimboteContext) -> None:
    """Send the overview of commands (with the care team's commands for the team)."""
    if update.effective_message is None:
        return
    text = help_text(context.tr)
    if context.account is not None and await posting_facilities(
        Actor.of(context.account, context.settings.platform_admin_ids)
    ):
        text += "\n\n" + team_help_text(context.tr)
    await update.effective_message.reply_text(text)


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """/start, /language, /help and the language buttons."""
    return [
        CommandHandler("start", start),
        CommandHandler("language", ask_language),
        CommandHandler("help", show_help),
        buttons(LANGUAGE, {"set": set_language}, explain=stale_refusal),
    ]
