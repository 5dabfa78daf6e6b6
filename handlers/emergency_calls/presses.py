"""The handlers of "please call us": /callus and every button of its prefix, one dispatcher."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.domain.callbacks import Prefix
from bot.domain.errors import DomainError
from bot.i18n import Translator
from bot.services import emergency_calls as service
from handlers.emergency_calls import contacts, relatives, staff
from handlers.kit.buttons import buttons, error_message
from handlers.kit.context import HeimboteContext

CAP = Prefix.CALL_US


def explain(tr: Translator, error: DomainError) -> str:
    """The house wording, but a stranger's press on an alert is told it is not theirs."""
    if isinstance(error, service.NotAnEmergencyContact):
        return relatives.refusal(tr)
    return error_message(tr, error)


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """``/callus`` in private chat, and the buttons of the prefix ``call``."""
    return [
        CommandHandler("callus", staff.callus_command, filters=filters.ChatType.PRIVATE),
        buttons(CAP, {
            "home": staff.pick_home, "res": staff.pick_resident, "reason": staff.pick_reason,
            "send": staff.send, "cancel": staff.cancel, "ack": relatives.acknowledge,
            "flag": contacts.switch_contact,
        }, explain),
    ]
