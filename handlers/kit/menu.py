"""The command menu Telegram shows next to the text field, in every language."""

from __future__ import annotations

from telegram import Bot, BotCommand

from bot.i18n import N_, available_locales, translator

MENU: tuple[tuple[str, str], ...] = (
    ("start", N_("Start, or join with an invite")),
    ("message", N_("Write to the care home")),
    ("visit", N_("Book a visit")),
    ("language", N_("Choose your language")),
    ("settings", N_("Photo greetings, quiet hours, your residents")),
    ("today", N_("Notes of the day")),
    ("rate", N_("Rate the care home")),
    ("events", N_("Events of the care home")),
    ("privacy", N_("What I store about you")),
    ("mydata", N_("A copy of your data")),
    ("deleteme", N_("Delete all your data")),
    ("help", N_("What I can do")),
)


def menu_in(locale: str) -> list[BotCommand]:
    """The menu translated into ``locale``."""
    tr = translator(locale)
    return [BotCommand(command, tr._(description)) for command, description in MENU]


async def publish_menu(bot: Bot, default_locale: str) -> None:
    """``setMyCommands`` once per language, and once without a language for everyone else."""
    for locale in available_locales():
        await bot.set_my_commands(menu_in(locale), language_code=locale)
    await bot.set_my_commands(menu_in(default_locale))
