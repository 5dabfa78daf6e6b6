"""What the handlers show of a rating: plain frozen views, built where the rows were read.

A handler never reads a relation of a model (``review.facility.timezone``): the service that
loaded the rows puts everything the screen needs into one of these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from bot.models import ComplaintState, Facility, Review, ReviewState
from bot.services.reviews.text import categories_of


@dataclass(frozen=True)
class HomeReply:
    """The home's public reply to a rating."""

    text: str
    editable: bool  # still within the hours in which it may be changed


@dataclass(frozen=True)
class HomeReview:
    """A rating as the home's admins see it (/complaints, /reviews, the cards)."""

    id: int
    facility_id: int
    timezone: str  # the home's, for every date shown
    overall: int
    categories: Mapping[str, int | None]
    comment: str  # what the home may read (see :func:`home_review`)
    public: bool
    pseudonym: str
    state: ReviewState
    complaint_state: ComplaintState | None
    response: str
    created_at: dt.datetime
    published_at: dt.datetime | None
    window_ends_at: dt.datetime | None
    reply: HomeReply | None


def home_review(review: Review, facility: Facility, reply: HomeReply | None) -> HomeReview:
    """The home's view of a rating.

    Before publication the home reads a complaint's comment only if the relative agreed.
    """
    waiting = review.state == ReviewState.AWAITING_RESPONSE
    return HomeReview(
        id=review.id,
        facility_id=facility.id,
        timezone=facility.timezone,
        overall=review.overall,
        categories=categories_of(review),
        comment=review.comment if review.share_comment or not waiting else "",
        public=review.public,
        pseudonym=review.pseudonym,
        state=review.state,
        complaint_state=review.complaint_state,
        response=review.response,
        created_at=review.created_at,
        published_at=review.published_at,
        window_ends_at=review.window_ends_at,
        reply=reply,
    )


@dataclass(frozen=True)
class SentRating:
    """Where a rating went when its author sent it."""

    home: str
    timezone: str
    state: ReviewState
    pseudonym: str
    window_ends_at: dt.datetime | None


def sent_rating(review: Review, facility: Facility) -> SentRating:
    """The author's view of the rating just sent."""
    return SentRating(
        home=facility.name,
        timezone=facility.timezone,
        state=review.state,
        pseudonym=review.pseudonym,
        window_ends_at=review.window_ends_at,
    )


@dataclass(frozen=True)
class RateableHome:
    """A home the relative may rate."""

    id: int
    slug: str
    name: str
    complaint_window_hours: int  # how long a complaint waits for the home's answer


def rateable_home(facility: Facility) -> RateableHome:
    """The rating flow's view of a home."""
    return RateableHome(facility.id, facility.slug, facility.name, facility.complaint_window_hours)
