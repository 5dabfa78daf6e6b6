"""/rate: a relative rates the care home in under a minute.

Overall stars → five categories (each 1–5 or Skip) → an optional comment (typed) → publish
under a pseudonym or send only to the home → (for a complaint with a comment: may the home read
it now?) → summary → Send. Every step has Back and Cancel. The draft lives in the database
(:mod:`bot.services.reviews.ratings`), so the buttons keep working after a restart; each
button names
the step it answers, so an older message's button still lands where it says.
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from babel.dates import format_date
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.domain.callbacks import BadCallbackData, Prefix
from bot.domain.errors import DomainError, InvalidInput, NotFound
from bot.i18n import Translator
from bot.models import AwaitedInput, ReviewState
from bot.services import reviews as ratings
from bot.services.accounts import stop_awaiting
from bot.services.reviews import (
    CATEGORIES,
    COMMENT_LIMIT,
    COMPLAINT_THRESHOLD,
    category_name,
    rating_lines,
)
from handlers.kit.args import int_args
from handlers.kit.buttons import ButtonAction, button, buttons
from handlers.kit.context import HeimboteContext
from handlers.kit.screens import refusal_shown, show
from handlers.kit.text_input import TextAnswer

CAP = Prefix.RATING
STEPS = ("overall", *CATEGORIES, "comment", "public", "share", "summary")


def _button(label: str, action: str, *args: str | int) -> InlineKeyboardButton:
    return button(label, CAP, action, *args)


def refusal(tr: Translator, error: DomainError) -> str:
    """Why the relative cannot rate (now), or what to fix."""
    if isinstance(error, ratings.StaffMember):
        return tr._("Staff do not rate their own care home: ratings come from the residents' "
                    "relatives.")
    if isinstance(error, ratings.NotARelative):
        return tr._("Ratings come from relatives of the residents. To rate a home, you need to "
                    "be connected with a resident there, with an invitation from the home.")
    if isinstance(error, ratings.AlreadyRated):
        local = error.again_at.astimezone(ZoneInfo(error.timezone)).date()
        return tr._("You have already rated {home}. You can rate it again from {date}.").format(
            home=error.home, date=format_date(local, format="long", locale=tr.locale))
    if isinstance(error, NotFound):
        return tr._("This rating is no longer open. Please start again with /rate.")
    if isinstance(error, InvalidInput) and error.field == "draft":
        return tr._("Please answer the questions first.")
    return tr._("That did not work. Please check it and try again.")


# --- which step comes when -------------------------------------------------------------------


def _applies(draft: ratings.Draft, step: str) -> bool:
    if step == "share":  # only a complaint with a comment asks whether the home may read it
        return bool(draft.public and draft.comment and draft.overall
                    and draft.overall <= COMPLAINT_THRESHOLD)
    return True


def next_step(draft: ratings.Draft, step: str) -> str:
    """The step after ``step`` that applies to this draft."""
    later = STEPS[STEPS.index(step) + 1:]
    return next(s for s in later if _applies(draft, s))


def previous_step(draft: ratings.Draft, step: str) -> str | None:
    """The step before ``step`` that applies (None before the first)."""
    earlier = STEPS[: STEPS.index(step)]
    return next((s for s in reversed(earlier) if _applies(draft, s)), None)


def _footer(tr: Translator, step: str) -> list[InlineKeyboardButton]:
    row = [_button(tr._("Cancel"), "cancel")]
    if step != "overall":
        row.insert(0, _button(tr._("◀ Back"), "back", step))
    return row


def _stars_row(action: str, *args: str) -> list[InlineKeyboardButton]:
    return [_button(f"{n} ★", action, *args, n) for n in range(1, 6)]


def step_view(
    tr: Translator, draft: ratings.Draft, home: str, window_hours: int
) -> tuple[str, InlineKeyboardMarkup]:
    """The question and buttons of the draft's current step."""
    step = draft.step
    if step == "overall":
        text = tr._("How satisfied are you with {home} overall?\n"
                    "1 ★ = very poor, 5 ★ = excellent").format(home=home)
        rows = [_stars_row("o")]
    elif step in CATEGORIES:
        text = tr._("Question {number} of 5: {category}. How many stars?").format(
            number=tr.number(CATEGORIES.index(step) + 1), category=category_name(tr, step))
        rows = [_stars_row("c", step), [_button(tr._("Skip"), "c", step, 0)]]
    elif step == "comment":
        text = tr._("Would you like to add a comment? Please type it now (at most {limit} "
                    "characters), or tap “No comment”.").format(limit=tr.number(COMMENT_LIMIT))
        rows = [[_button(tr._("No comment"), "nocom")]]
        if draft.comment:
            text += "\n\n" + tr._("Your comment so far: “{comment}”").format(comment=draft.comment)
            rows.insert(0, [_button(tr._("Keep my comment"), "keep")])
    elif step == "public":
        text = tr._(
            "Who should read your rating?\n"
            "• Publish: anyone can read it on the home's public page, under a pseudonym, "
            "never with your name.\n"
            "• Only for the home: only the home's management reads it."
        )
        rows = [[_button(tr._("Publish under a pseudonym"), "pub", 1)],
                [_button(tr._("Only for the home"), "pub", 0)]]
    elif step == "share":
        text = tr._(
            "Ratings with 1 or 2 stars go to the home first, so that it can answer within "
            "{hours} hours. Then your rating is published. May the home read your comment "
            "already now?"
        ).format(hours=tr.number(window_hours))
        rows = [[_button(tr._("Yes, the home may read it"), "share", 1)],
                [_button(tr._("No, only the stars for now"), "share", 0)]]
    else:
        text = summary_text(tr, draft, home)
        rows = [[_button(tr._("Send"), "send")]]
    rows.append(_footer(tr, step))
    return text, InlineKeyboardMarkup(rows)


def summary_text(tr: Translator, draft: ratings.Draft, home: str) -> str:
    """Everything chosen, before Send."""
    assert draft.overall is not None
    lines = [tr._("Your rating of {home}:").format(home=home)]
    lines += rating_lines(tr, draft.overall, draft.categories, draft.comment)
    lines.append(tr._("Published under a pseudonym") if draft.public
                 else tr._("Only for the home"))
    lines += ["", tr._("Send it?")]
    return "\n".join(lines)


async def _present(update: Update, context: HeimboteContext, draft: ratings.Draft) -> None:
    """Save the draft at its step and show that step."""
    assert context.account is not None
    await ratings.save_draft(context.account, draft)
    facility = await ratings.may_rate(context.account, draft.facility)
    text, markup = step_view(context.tr, draft, facility.name, facility.complaint_window_hours)
    await show(update, text, markup)


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
    rows = [[_button(home.name, "start", home.id)] for home in homes]
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


def sent_text(tr: Translator, sent: ratings.SentRating) -> str:
    """What the relative reads after Send: where the rating went."""
    home = sent.home
    if sent.state == ReviewState.PUBLISHED:
        return tr._("Thank you! Your rating of {home} is published under the pseudonym "
                    "{pseudonym}.").format(home=home, pseudonym=sent.pseudonym)
    if sent.state == ReviewState.HELD:
        return tr._(
            "Thank you! Before it is published, a moderator checks your comment: it may "
            "contain personal details (a phone number, an e-mail address, a link or a name) "
            "or rude words. I will tell you how it was decided."
        )
    if sent.state == ReviewState.AWAITING_RESPONSE:
        assert sent.window_ends_at is not None
        return tr._(
            "Thank you. {home} hears about it first and can answer until {when}. Then your "
            "rating is published, with the home's answer if there is one."
        ).format(home=home, when=tr.datetime(sent.window_ends_at, sent.timezone))
    return tr._("Thank you! Your rating went only to {home}. It is not published.").format(
        home=home)


async def comment_typed(update: Update, context: HeimboteContext, awaited: AwaitedInput) -> None:
    """Text while rating: the comment at the comment step, else a hint to use the buttons."""
    message = update.effective_message
    if message is None or message.text is None or context.account is None:
        return
    tr = context.tr
    try:
        draft = ratings.Draft.of(awaited.payload)
        if draft.step != "comment":
            await message.reply_text(tr._("Please tap one of the buttons."))
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
