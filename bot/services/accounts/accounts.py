"""Accounts: who talks to the bot, and in which language."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from bot.domain.errors import InvalidInput
from bot.domain.text import clean
from bot.i18n import available_locales, negotiate
from bot.models import Account


class UnknownLocale(InvalidInput):
    """A locale was chosen that has no catalog."""

    def __init__(self, locale: str) -> None:
        super().__init__("locale", f"{locale!r} has no catalog")


async def account_for(telegram_id: int, first_name: str) -> Account:
    """The account of a Telegram user, created on first contact; the first name kept current."""
    first_name = " ".join(clean(first_name, lines=False).split())[:128]
    account = await Account.get_or_none(telegram_id=telegram_id)
    if account is None:
        try:
            return await Account.create(telegram_id=telegram_id, first_name=first_name)
        except IntegrityError:  # two updates of a new user at once: the other one created it
            account = await Account.get(telegram_id=telegram_id)
    if account.first_name != first_name:
        account.first_name = first_name
        await account.save(update_fields=["first_name", "updated_at"])
    return account


def locale_of(account: Account | None, language_code: str | None, default: str) -> str:
    """The locale to speak: the saved choice, else Telegram's language, else ``default``."""
    if account is not None and account.locale in available_locales():
        return account.locale
    return negotiate(language_code, default)


async def choose_locale(account: Account, locale: str) -> None:
    """Save the account's language choice."""
    if locale not in available_locales():
        raise UnknownLocale(locale)
    account.locale = locale
    await account.save(update_fields=["locale", "updated_at"])


async def set_reachable(telegram_id: int, reachable: bool) -> None:
    """Record that a user blocked the bot (unreachable) or came back (reachable again)."""
    await Account.filter(telegram_id=telegram_id).update(unreachable=not reachable)
