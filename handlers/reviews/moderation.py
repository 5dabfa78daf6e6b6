"""Platform moderators decide about held ratings: Publish, Publish without comment, Reject.

The buttons come with the held rating (sent through the outbox by
:mod:`bot.services.reviews.moderation`). Every press goes through the service, which checks that the
presser is a platform admin (``HEIMBOTE_ADMIN_IDS``) and that nobody decided first.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.domain.callbacks import BadCallbackData, callback, parse, pattern
from bot.domain.errors import DomainError, NotAllowed, NotFound
from bot.i18n import Translator
from bot.services import reviews as moderation
from bot.services.accounts import Actor
from bot.services.reviews import MODERATION_BUTTONS, Decision
from handlers.kit.context import HeimboteContext

log = logging.getLogger(__name__)

CAP = MODERATION_BUTTONS


def _button(label: str, action: str, *args: str | int) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callback(CAP, action, *args))


def decision_keyboard(tr: Translator, review_id: int) -> InlineKeyboardMarkup:
    """The three decisions, as the held rating first shows them."""
    return InlineKeyboardMarkup([
        [_button(tr._("Publish"), "pub", review_id)],
        [_button(tr._("Publish without comment"), "bare", review_id)],
        [_button(tr._("Reject"), "rej", review_id)],
    ])


def reasons_keyboard(tr: Translator, review_id: int) -> InlineKeyboardMarkup:
    """Why it is rejected: the author reads the reason."""
    rows = [[_button(tr._(text), "why", review_id, code)]
            for code, text in moderation.REJECT_REASONS.items()]
    rows.append([_button(tr._("◀ Back"), "back", review_id)])
    return InlineKeyboardMarkup(rows)


def outcome_line(tr: Translator, decision: Decision, reason: str | None) -> str:
    """What the moderator's message says once decided."""
    if decision == Decision.PUBLISH:
        return tr._("✓ Published.")
    if decision == Decision.WITHOUT_COMMENT:
        return tr._("✓ Published without the comment.")
    why = moderation.REJECT_REASONS.get(reason or "", "")
    return tr._("✗ Rejected: {reason}").format(reason=tr._(why) if why else "")


def refusal(tr: Translator, error: DomainError) -> str:
    """A short alert for a refused decision."""
    if isinstance(error, NotAllowed):
        return tr._("Only the platform's moderators decide about ratings.")
    if isinstance(error, moderation.AlreadyDecided):
        return tr._("This rating has already been decided.")
    if isinstance(error, NotFound):
        return tr._("I cannot find this rating any more.")
    return tr._("This button is no longer valid.")


async def _decided(update: Update, tr: Translator, line: str) -> None:
    query = update.callback_query
    if query is not None and isinstance(query.message, Message) and query.message.text:
        await query.edit_message_text(f"{query.message.text}\n\n{line}", reply_markup=None)


async def press(update: Update, context: HeimboteContext) -> None:
    """A moderator's button: decide, or choose the reason for a rejection."""
    query = update.callback_query
    if query is None or context.account is None:
        return
    tr = context.tr
    actor = Actor.of(context.account, context.settings.platform_admin_ids)
    try:
        data = parse(query.data)
        if not data.args or not data.args[0].isdigit():
            raise BadCallbackData(query.data)
        review_id = int(data.args[0])
        if data.action in ("rej", "back"):
            await moderation.held_review(actor, review_id)  # a moderator, still undecided
            keyboard = (reasons_keyboard(tr, review_id) if data.action == "rej"
                        else decision_keyboard(tr, review_id))
            await query.edit_message_reply_markup(keyboard)
        else:
            decision, reason = {
                "pub": (Decision.PUBLISH, None),
                "bare": (Decision.WITHOUT_COMMENT, None),
                "why": (Decision.REJECT, data.args[1] if len(data.args) > 1 else None),
            }.get(data.action, (None, None))
            if decision is None:
                raise BadCallbackData(query.data)
            await moderation.decide(actor, review_id, decision, reason)
            await _decided(update, tr, outcome_line(tr, decision, reason))
    except BadCallbackData:
        await query.answer(tr._("This button is no longer valid."), show_alert=True)
        return
    except DomainError as error:
        log.info("refused moderation: %s", type(error).__name__)
        await query.answer(refusal(tr, error), show_alert=True)
        return
    await query.answer()


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """The moderators' buttons."""
    return [CallbackQueryHandler(press, pattern=pattern(CAP))]
