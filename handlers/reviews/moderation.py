"""Platform moderators decide about held ratings: Publish, Publish without comment, Reject.

The buttons come with the held rating (sent through the outbox by
:mod:`bot.services.reviews.moderation`). Every press goes through the service, which checks that the
presser is a platform admin (``HEIMBOTE_ADMIN_IDS``) and that nobody decided first.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler

from bot.domain.callbacks import BadCallbackData
from bot.domain.errors import DomainError, NotAllowed, NotFound
from bot.i18n import Translator
from bot.services import reviews as moderation
from bot.services.reviews import MODERATION_BUTTONS, Decision
from handlers.kit.args import int_args
from handlers.kit.buttons import STALE, ButtonAction, button, buttons
from handlers.kit.context import HeimboteContext, actor_of

CAP = MODERATION_BUTTONS


def _button(label: str, action: str, *args: str | int) -> InlineKeyboardButton:
    return button(label, CAP, action, *args)


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
    return tr._(STALE)


async def _decided(update: Update, line: str) -> None:
    query = update.callback_query
    if query is not None and isinstance(query.message, Message) and query.message.text:
        await query.edit_message_text(f"{query.message.text}\n\n{line}", reply_markup=None)


def _choosing(reasons: bool) -> ButtonAction:
    """Reject (``reasons``) shows why it could be rejected; Back shows the decisions again."""

    async def choose(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
        (review_id,) = int_args(args, 1)
        await moderation.held_review(actor_of(context), review_id)  # a moderator, undecided
        keyboard = (reasons_keyboard if reasons else decision_keyboard)(context.tr, review_id)
        query = update.callback_query
        assert query is not None
        await query.edit_message_reply_markup(keyboard)

    return choose


def _deciding(decision: Decision) -> ButtonAction:
    """Publish, publish without the comment, or reject for the reason pressed."""

    async def decide(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
        ids, reason = args, None
        if decision == Decision.REJECT:  # the review, and the reason's code
            if len(args) != 2:
                raise BadCallbackData(args)
            ids, reason = args[:1], args[1]
        (review_id,) = int_args(ids, 1)
        await moderation.decide(actor_of(context), review_id, decision, reason)
        await _decided(update, outcome_line(context.tr, decision, reason))

    return decide


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """The moderators' buttons."""
    return [buttons(CAP, {
        "rej": _choosing(reasons=True),
        "back": _choosing(reasons=False),
        "pub": _deciding(Decision.PUBLISH),
        "bare": _deciding(Decision.WITHOUT_COMMENT),
        "why": _deciding(Decision.REJECT),
    }, refusal)]
