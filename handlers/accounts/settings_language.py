"""The language, chosen inside /settings: the picker, and back to the settings in the new one."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.domain.callbacks import Prefix
from bot.i18n import translator
from bot.services.accounts import choose_locale
from handlers.kit.args import text_args
from handlers.kit.buttons import button
from handlers.kit.context import HeimboteContext, account_of
from handlers.kit.menu import refresh_for
from handlers.kit.screens import show
from handlers.onboarding.start import language_keyboard

SETTINGS = Prefix.RELATIVE_SETTINGS


async def ask_language(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """"Language: …": the language picker, with a way back to the settings."""
    text_args(args, 0)
    tr = context.tr
    picker = language_keyboard(tr.locale, SETTINGS)
    rows = [*picker.inline_keyboard, [button(tr._("Back"), SETTINGS, "menu")]]
    await show(update, tr._("Which language would you like me to use?"),
               InlineKeyboardMarkup(rows))


async def choose_language(context: HeimboteContext, args: tuple[str, ...]) -> str:
    """Save the language the button named (the menu follows); the press's notice, in it.

    The caller shows the settings again, now in the new language.
    """
    (locale,) = text_args(args, 1)
    account = account_of(context)
    await choose_locale(account, locale)
    context.tr = translator(locale)
    await refresh_for(context, account)
    return context.tr._("Language changed.")
