"""What each step of /rate shows, which step comes when, and the rating flow's refusals.

Pure functions of the draft and the translator: :mod:`handlers.reviews.rating` saves the
draft and shows what these return.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from babel.dates import format_date
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.callbacks import Prefix
from bot.domain.enums import ReviewState
from bot.domain.errors import DomainError, InvalidInput, NotFound
from bot.i18n import Translator
from bot.services import reviews as ratings
from bot.services.reviews import (
    CATEGORIES,
    COMMENT_LIMIT,
    COMPLAINT_THRESHOLD,
    category_name,
    rating_lines,
)
from handlers.kit.buttons import button

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


def sent_text(tr: Translator, sent: ratings.SentRating) -> str:
    """What the relative reads after Send: where the rating went."""
    home = sent.home
    if sent.state == ReviewState.PUBLISHED:
        return tr._("Thank you! Your rating of {home} is published under the pseudonym "
                    "{pseudonym}.").format(
                        home=home, pseudonym=ratings.pseudonym_text(tr, sent.pseudonym))
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
