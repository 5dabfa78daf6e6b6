"""Ratings and reviews: drafts, moderation of comments, complaints, publishing, public views.

The public face of the package: handlers import only what is named here, the package's
own modules import each other directly.
"""

from bot.services.reviews.complaints import (
    ANSWER_LIMIT,
    ANSWERABLE,
    REPLY_EDITABLE,
    open_complaints,
    recent_published,
    reply,
    respond,
    review_for_home,
    set_complaint_state,
)
from bot.services.reviews.moderation import (
    REJECT_REASONS,
    AlreadyDecided,
    Decision,
    decide,
    held_review,
)
from bot.services.reviews.publishing import (
    COMPLAINT_BUTTONS,
    COMPLAINT_THRESHOLD,
    MODERATION_BUTTONS,
)
from bot.services.reviews.ratings import (
    DRAFT,
    AlreadyRated,
    Draft,
    NotARelative,
    StaffMember,
    draft_of,
    may_rate,
    rateable_facilities,
    save_draft,
    send,
    start,
    submit,
    with_category,
    with_comment,
    with_overall,
)
from bot.services.reviews.text import (
    CATEGORIES,
    COMMENT_LIMIT,
    categories_of,
    category_name,
    pseudonym_text,
    rating_lines,
    stars,
)
from bot.services.reviews.views import HomeReply, HomeReview, RateableHome, SentRating

__all__ = [
    "ANSWERABLE",
    "ANSWER_LIMIT",
    "CATEGORIES",
    "COMMENT_LIMIT",
    "COMPLAINT_BUTTONS",
    "COMPLAINT_THRESHOLD",
    "DRAFT",
    "MODERATION_BUTTONS",
    "REJECT_REASONS",
    "REPLY_EDITABLE",
    "AlreadyDecided",
    "AlreadyRated",
    "Decision",
    "Draft",
    "HomeReply",
    "HomeReview",
    "NotARelative",
    "RateableHome",
    "SentRating",
    "StaffMember",
    "categories_of",
    "category_name",
    "decide",
    "draft_of",
    "held_review",
    "may_rate",
    "open_complaints",
    "pseudonym_text",
    "rateable_facilities",
    "rating_lines",
    "recent_published",
    "reply",
    "respond",
    "review_for_home",
    "save_draft",
    "send",
    "set_complaint_state",
    "stars",
    "start",
    "submit",
    "with_category",
    "with_comment",
    "with_overall",
]
