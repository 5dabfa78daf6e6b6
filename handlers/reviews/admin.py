"""The home's admins and their ratings: /complaints, /reviews, answers and one public reply.

What an admin can do here is what :mod:`bot.services.reviews.complaints` offers: answer a complaint
within its window, set its state, and publish (and for 24 hours edit) one public reply. There
is no button to delete or change a rating, because there is no such service.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_date
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler

from bot.domain.callbacks import BadCallbackData, callback
from bot.domain.enums import ComplaintState, ReviewState
from bot.domain.errors import DomainError, InvalidInput, NotAllowed
from bot.i18n import Translator
from bot.services import reviews as complaints
from bot.services.accounts import Awaited, await_input, stop_awaiting
from bot.services.reviews import (
    COMPLAINT_BUTTONS,
    HomeReview,
    pseudonym_text,
    rating_lines,
    stars,
)
from handlers.admin import Screen
from handlers.kit.args import enum_arg, int_args, offset_arg
from handlers.kit.buttons import button, buttons
from handlers.kit.context import HeimboteContext, actor_of
from handlers.kit.paging import Page, paged_keyboard
from handlers.kit.screens import show
from handlers.kit.text_input import TextAnswer, typed_text

CAP = COMPLAINT_BUTTONS
COMPLAINTS, REVIEWS = "cmpl", "revs"
ANSWER, REPLY = "complaint_answer", "review_reply"


def _button(label: str, action: str, *args: str | int) -> InlineKeyboardButton:
    return button(label, CAP, action, *args)


def _day(tr: Translator, moment: dt.datetime, timezone: str) -> str:
    return format_date(moment.astimezone(ZoneInfo(timezone)).date(), format="medium",
                       locale=tr.locale)


def state_name(tr: Translator, state: ComplaintState) -> str:
    """A complaint's state as the home says it."""
    return {
        ComplaintState.OPEN: tr._("Open"),
        ComplaintState.IN_PROGRESS: tr._("In progress"),
        ComplaintState.RESOLVED: tr._("Resolved"),
    }[state]


def refusal(tr: Translator, error: DomainError) -> str:
    """One short message for a refused action (nothing was changed)."""
    if isinstance(error, NotAllowed):
        return tr._("Only the admins of this care home can do this. Nothing was changed.")
    if isinstance(error, InvalidInput):
        if error.reason == "empty":
            return tr._("Please type a text.")
        if error.reason == "too long":
            return tr._("Please keep it under {limit} characters.").format(
                limit=tr.number(complaints.ANSWER_LIMIT))
        if error.reason == "too late":
            return tr._("A reply can be changed for 24 hours only.")
        if error.field == "response":
            return tr._("The rating is already published: you can reply to it publicly under "
                        "/reviews.")
        if error.field == "reply":
            return tr._("You can reply publicly once the rating is published.")
    return tr._("I cannot find this any more. Nothing was changed.")


# --- the lists -----------------------------------------------------------------------------


async def show_complaints(update: Update, context: HeimboteContext, facility_id: int) -> None:
    """The home's complaints that are not resolved yet."""
    tr = context.tr
    found = await complaints.open_complaints(actor_of(context), facility_id)
    if not found:
        await show(update, tr._("No open complaints."))
        return
    rows = [[_button(
        f"{stars(review.overall)} · {_day(tr, review.created_at, review.timezone)}"
        f" · {state_name(tr, review.complaint_state or ComplaintState.OPEN)}",
        "show", review.id)] for review in found]
    await show(update, tr.ngettext("{count} open complaint. Tap one to answer it.",
                                   "{count} open complaints. Tap one to answer it.",
                                   len(found)).format(count=tr.number(len(found))),
               InlineKeyboardMarkup(rows))


async def show_reviews(
    update: Update, context: HeimboteContext, facility_id: int, offset: int = 0
) -> None:
    """The home's published ratings, newest first, each with a Reply button on its card."""
    tr = context.tr
    found, total = await complaints.recent_published(actor_of(context), facility_id, offset)
    if not total:
        await show(update, tr._("No published ratings yet."))
        return
    items = [(_list_label(tr, review), callback(CAP, "rev", review.id)) for review in found]
    page = Page(offset, total)
    await show(update, tr._("Published ratings. Tap one to read it and reply."),
               paged_keyboard(items, page, lambda at: callback(CAP, "revs", facility_id, at)))


def _list_label(tr: Translator, review: HomeReview) -> str:
    """"★★★★☆ · 4 May 2026 · Angehörige/r A7F3"."""
    day = _day(tr, review.published_at or review.created_at, review.timezone)
    return f"{stars(review.overall)} · {day} · {pseudonym_text(tr, review.pseudonym)}"


# --- the cards -----------------------------------------------------------------------------


async def _complaint_card(update: Update, context: HeimboteContext, review: HomeReview) -> None:
    tr = context.tr
    lines = [tr._("Rating by {pseudonym}, {day}").format(
        pseudonym=pseudonym_text(tr, review.pseudonym),
        day=_day(tr, review.created_at, review.timezone))]
    lines += rating_lines(tr, review.overall, review.categories, review.comment)
    if review.complaint_state is not None:
        lines.append(tr._("Status: {state}").format(state=state_name(tr, review.complaint_state)))
    if review.response:
        lines.append(tr._("Your answer: “{answer}”").format(answer=review.response))
    if review.state == ReviewState.AWAITING_RESPONSE and review.window_ends_at is not None:
        lines.append(tr._("Published on {when}, with your answer if you give one.").format(
            when=tr.datetime(review.window_ends_at, review.timezone)))
    elif review.state == ReviewState.PUBLISHED:
        lines.append(tr._("Published."))
    rows = []
    if review.state in complaints.ANSWERABLE:
        rows.append([_button(tr._("Answer"), "ans", review.id)])
    if review.state == ReviewState.PUBLISHED:
        rows.append([_button(tr._("Reply publicly"), "rev", review.id)])
    if review.complaint_state is not None:
        rows.append([
            _button(("✓ " if review.complaint_state == state else "") + state_name(tr, state),
                    "st", review.id, state.value)
            for state in ComplaintState
        ])
    await show(update, "\n".join(lines), InlineKeyboardMarkup(rows))


async def _review_card(update: Update, context: HeimboteContext, review: HomeReview) -> None:
    tr = context.tr
    published = review.published_at or review.created_at
    lines = [tr._("Rating by {pseudonym}, published {day}").format(
        pseudonym=pseudonym_text(tr, review.pseudonym), day=_day(tr, published, review.timezone))]
    lines += rating_lines(tr, review.overall, review.categories, review.comment)
    if review.response:
        lines.append(tr._("Your answer: “{answer}”").format(answer=review.response))
    rows: list[list[InlineKeyboardButton]] = []
    if review.reply is None:
        rows.append([_button(tr._("Reply publicly"), "rep", review.id)])
    else:
        lines.append(tr._("Your public reply: “{reply}”").format(reply=review.reply.text))
        if review.reply.editable:
            rows.append([_button(tr._("Change the reply"), "rep", review.id)])
    rows.append([_button(tr._("◀ All ratings"), "revs", review.facility_id, 0)])
    await show(update, "\n".join(lines), InlineKeyboardMarkup(rows))


# --- the buttons ---------------------------------------------------------------------------


async def _reviews_page(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    if len(args) != 2:
        raise BadCallbackData(args)
    (facility_id,) = int_args(args[:1], 1)
    await show_reviews(update, context, facility_id, offset_arg(args[1]))


async def _complaint(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    (review_id,) = int_args(args, 1)
    await _complaint_card(update, context,
                          await complaints.review_for_home(actor_of(context), review_id))


async def _published(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    (review_id,) = int_args(args, 1)
    review = await complaints.review_for_home(actor_of(context), review_id)
    if review.state != ReviewState.PUBLISHED:
        raise InvalidInput("reply", "not published")
    await _review_card(update, context, review)


async def _set_state(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    if len(args) != 2:
        raise BadCallbackData(args)
    (review_id,) = int_args(args[:1], 1)
    state = enum_arg(ComplaintState, args[1])
    actor = actor_of(context)
    await complaints.set_complaint_state(actor, review_id, state)
    await _complaint_card(update, context, await complaints.review_for_home(actor, review_id))
    return context.tr._("Saved.")


async def _ask_answer(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    (review_id,) = int_args(args, 1)
    review = await complaints.review_for_home(actor_of(context), review_id)
    if review.state not in complaints.ANSWERABLE:
        raise InvalidInput("response", "published")
    assert context.account is not None
    await await_input(context.account, ANSWER, review=review.id)
    tr = context.tr
    await show(update, tr._("Please type your answer. It is published together with the "
                            "rating, and the relative receives it.")
               if review.public else
               tr._("Please type your answer. The relative receives it; it is not "
                    "published."))


async def _ask_reply(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    (review_id,) = int_args(args, 1)
    review = await complaints.review_for_home(actor_of(context), review_id)
    if review.state != ReviewState.PUBLISHED:
        raise InvalidInput("reply", "not published")
    assert context.account is not None
    await await_input(context.account, REPLY, review=review.id)
    await show(update, context.tr._(
        "Please type your public reply. It appears under the rating on the home's public "
        "page; you can change it for 24 hours."))


async def _typed(update: Update, context: HeimboteContext, awaited: Awaited,
                 reply: bool) -> None:
    entered = typed_text(update, context)
    if entered is None:
        return
    message = entered.message
    actor, tr = actor_of(context), context.tr
    try:
        review_id = int(awaited.payload["review"])
        if reply:
            await complaints.reply(actor, review_id, entered.text)
        else:
            await complaints.respond(actor, review_id, entered.text)
    except DomainError as error:
        await message.reply_text(refusal(tr, error))
        return
    await stop_awaiting(entered.account)
    review = await complaints.review_for_home(actor, review_id)
    if reply:
        await message.reply_text(tr._("Your reply is published."))
        await _review_card(update, context, review)
    else:
        await message.reply_text(tr._("Your answer is saved and sent to the relative."))
        await _complaint_card(update, context, review)


async def answer_typed(update: Update, context: HeimboteContext, awaited: Awaited) -> None:
    """The admin's answer to a complaint or to a rating for the home only."""
    await _typed(update, context, awaited, reply=False)


async def reply_typed(update: Update, context: HeimboteContext, awaited: Awaited) -> None:
    """The admin's public reply to a published rating."""
    await _typed(update, context, awaited, reply=True)


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """/complaints, /reviews and their buttons (also those on the complaint notices)."""
    return [
        buttons(CAP, {
            "revs": _reviews_page,
            "show": _complaint,
            "rev": _published,
            "st": _set_state,
            "ans": _ask_answer,
            "rep": _ask_reply,
        }, refusal),
    ]


# What this module answers when the bot waits for typed text (kit.text_input).
TEXT_ANSWERS: dict[str, TextAnswer] = {
    ANSWER: answer_typed,
    REPLY: reply_typed,
}


# The admin screens this module opens for one home, and their commands (handlers.admin).
SCREENS: dict[str, Screen] = {
    COMPLAINTS: Screen("complaints", show_complaints),
    REVIEWS: Screen("reviews", show_reviews),
}
