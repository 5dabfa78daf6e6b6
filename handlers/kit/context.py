"""The typed context every handler receives, and what the application shares with handlers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.domain.errors import NotAllowed
from bot.i18n import Translator, translator
from bot.metrics import Metrics
from bot.services.accounts import Actor

if TYPE_CHECKING:  # types only: handlers do not touch models
    from bot.models import Account


@dataclass
class BotData:
    """Shared by every handler: filled once when the application is built."""

    settings: Settings | None = None
    metrics: Metrics = field(default_factory=Metrics)


class HeimboteContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """PTB's context plus the account and translator resolved for this update (group -1)."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.account: Account | None = None
        self._translator: Translator | None = None

    @property
    def settings(self) -> Settings:
        """The settings the application was started with."""
        settings = self.bot_data.settings
        if settings is None:
            raise RuntimeError("the application was built without settings")
        return settings

    @property
    def tr(self) -> Translator:
        """The translator for this update's user (the default locale before it is resolved)."""
        return self._translator or translator(self.settings.default_locale)

    @tr.setter
    def tr(self, value: Translator) -> None:
        self._translator = value


HeimboteApplication = Application[Any, HeimboteContext, Any, Any, Any, Any]


def actor_of(context: HeimboteContext) -> Actor:
    """The account acting in this update (platform admins are ``HEIMBOTE_ADMIN_IDS``)."""
    if context.account is None:
        raise NotAllowed("no account")
    return Actor.of(context.account, context.settings.platform_admin_ids)


def account_of(context: HeimboteContext) -> Account:
    """The account of this update's user (resolved in group -1), else :class:`NotAllowed`."""
    if context.account is None:
        raise NotAllowed("no account")
    return context.account
