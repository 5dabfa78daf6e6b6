"""/rate: a relative rates the care home in under a minute.

Overall stars → five categories (each 1–5 or Skip) → an optional comment (typed) → publish
under a pseudonym or send only to the home → (for a complaint with a comment: may the home read
it now?) → summary → Send. Every step has Back and Cancel. The draft lives in the database
(:mod:`bot.services.reviews.ratings`), so the buttons keep working after a restart; each
button names the step it answers, so an older message's button still lands where it says.
What each step shows is in :mod:`handlers.reviews.rating_screens`.
"""

from __future__ import annotations

from collections.abc import Callable

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.domain.callbacks import BadCallbackData
from bot.domain.errors import DomainError, InvalidInput, NotFound
from bot.services import reviews as ratings
from bot.services.accounts import Awaited, stop_awaiting
from bot.services.reviews import CATEGORIES, COMMENT_LIMIT
from handlers.kit.args import int_args
from handlers.kit.buttons import ButtonAction, button, buttons
from handlers.kit.context import HeimboteContext
from handlers.kit.screens import ask, drop_buttons, refusal_shown, show
from handlers.kit.text_input import TextAnswer
from handlers.reviews.rating_screens import (
    CAP,
    STEPS,
    next_step,
    previous_step,
    refusal,
    sent_text,
    step_view,
)


async def _present(update: Update, context: HeimboteContext, draft: ratings.Draft) -> None:
    """Save the draft at its step and show that step."""
    assert context.account is not None
    await ratings.save_draft(context.account, draft)
    facility = await ratings.may_rate(context.account, draft.facility)
    text, markup = step_view(context.tr, draft, facility.name, facility.complaint_window_hours)
    await ask(update, context, text, markup)  # a typed comment takes its buttons away


# --- starting ------------------------------------------------------------------------------


async def rate(update: Update, context: HeimboteContext) -> None:
    """/rate: start with the relative's home, or ask which one first."""
    if context.account is None or update.effective_message is None:
        return
    tr = context.tr
    try:
        homes = await ratings.rateable_facilities(context.account)
        if len(homes) == 1:
            await _present(update, context, await ratings.start(context.account, homes[0].id))
            return
    except DomainError as error:
        await update.effective_message.reply_text(refusal(tr, error))
        return
    rows = [[button(home.name, CAP, "start", home.id)] for home in homes]
    await update.effective_message.reply_text(
        tr._("Which care home would you like to rate?"), reply_markup=InlineKeyboardMarkup(rows))


async def _start(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """"Rate now" or a home's button: begin a rating of that home."""
    assert context.account is not None
    (facility_id,) = int_args(args, 1)
    await _present(update, context, await ratings.start(context.account, facility_id))


# --- the steps behind the buttons ----------------------------------------------------------
# Each answer applies one button's choice to the draft and names the step it answered.

DraftAnswer = Callable[[ratings.Draft, tuple[str, ...]], str]


def _overall(draft: ratings.Draft, args: tuple[str, ...]) -> str:
    (stars,) = int_args(args, 1)
    ratings.with_overall(draft, stars)
    return "overall"


def _category(draft: ratings.Draft, args: tuple[str, ...]) -> str:
    if len(args) != 2 or args[0] not in CATEGORIES:
        raise BadCallbackData(args)
    (stars,) = int_args(args[1:], 1)
    ratings.with_category(draft, args[0], stars or None)  # 0: skipped
    return args[0]


def _no_comment(draft: ratings.Draft, args: tuple[str, ...]) -> str:
    ratings.with_comment(draft, "")
    return "comment"


def _keep_comment(draft: ratings.Draft, args: tuple[str, ...]) -> str:
    return "comment"


def _public(draft: ratings.Draft, args: tuple[str, ...]) -> str:
    (public,) = int_args(args, 1)
    draft.public = bool(public)
    return "public"


def _share(draft: ratings.Draft, args: tuple[str, ...]) -> str:
    (share,) = int_args(args, 1)
    draft.share_comment = bool(share)
    return "share"


def _answered(apply: DraftAnswer) -> ButtonAction:
    """The button action that applies one answer to the draft and moves to the next step."""

    async def answer(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
        assert context.account is not None
        draft = await ratings.draft_of(context.account)
        step = apply(draft, args)
        if draft.overall is None:  # a category pressed on a message older than this draft
            raise NotFound("no overall stars yet")
        draft.step = next_step(draft, step)
        await _present(update, context, draft)

    return answer


async def _back(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    assert context.account is not None
    draft = await ratings.draft_of(context.account)
    step = args[0] if args and args[0] in STEPS else None
    if step is None:
        raise BadCallbackData(args)
    draft.step = previous_step(draft, step) or "overall"
    await _present(update, context, draft)


async def _cancel(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    assert context.account is not None
    await stop_awaiting(context.account)
    await show(update, context.tr._("Cancelled. Nothing was sent."))


async def _send(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    assert context.account is not None
    sent = await ratings.send(context.account, context.settings.platform_admin_ids)
    await show(update, sent_text(context.tr, sent))


async def comment_typed(update: Update, context: HeimboteContext, awaited: Awaited) -> None:
    """Text while rating: the comment at the comment step, else a hint to use the buttons."""
    message = update.effective_message
    if message is None or message.text is None or context.account is None:
        return
    tr = context.tr
    try:
        draft = ratings.Draft.of(awaited.payload)
        if draft.step != "comment":
            await message.reply_text(tr._("Please tap one of the buttons."))
            await drop_buttons(update, awaited)  # the step comes again, below
            await _present(update, context, draft)
            return
        try:
            ratings.with_comment(draft, message.text)
        except InvalidInput:
            await message.reply_text(tr._(
                "Your comment has {length} characters; at most {limit} fit. Please shorten it "
                "and send it again."
            ).format(length=tr.number(len(message.text.strip())), limit=tr.number(COMMENT_LIMIT)))
            return
        draft.step = next_step(draft, "comment")
        await drop_buttons(update, awaited)
        await _present(update, context, draft)
    except DomainError as error:
        await message.reply_text(refusal(tr, error))


_BUTTONS: dict[str, ButtonAction] = {
    "start": _start,
    "o": _answered(_overall),
    "c": _answered(_category),
    "nocom": _answered(_no_comment),
    "keep": _answered(_keep_comment),
    "pub": _answered(_public),
    "share": _answered(_share),
    "back": _back,
    "cancel": _cancel,
    "send": _send,
}


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """/rate and its buttons (the typed comment comes through the text router)."""
    return [
        CommandHandler("rate", rate, filters=filters.ChatType.PRIVATE),
        # A refusal is the next thing the relative reads: it replaces the step, not an alert.
        buttons(CAP, {action: refusal_shown(act, refusal) for action, act in _BUTTONS.items()},
                refusal),
    ]


# What this module answers when the bot waits for typed text (kit.text_input).
TEXT_ANSWERS: dict[str, TextAnswer] = {
    ratings.DRAFT: comment_typed,
}
