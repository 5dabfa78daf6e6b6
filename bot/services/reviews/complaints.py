"""The home's side of ratings: answering complaints, their state, and one public reply.

What a home's admin can do with a rating is exactly this: answer a complaint (or a rating
sent only to the home) while it waits, set a complaint's state, and publish one reply to a
published rating, editable for 24 hours. There is deliberately no function that deletes a
rating or changes its stars or comment: the home cannot do that, through any door.
"""

from __future__ import annotations

import datetime as dt

from tortoise.transactions import in_transaction

from bot import clock
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.text import clean
from bot.models import ComplaintState, Review, ReviewReply, ReviewState, Role
from bot.services.accounts import audit
from bot.services.accounts.actors import Actor, require_role
from bot.services.reviews.publishing import (
    RESPONSE,
    facility_of,
    publish,
    reference_of,
    tell_author,
)
from bot.services.reviews.views import HomeReply, HomeReview, home_review
from bot.services.stream import events as stream

ANSWER_LIMIT = 2000
REPLY_EDITABLE = dt.timedelta(hours=24)
# Ratings a home may answer privately (before publication, or never published).
ANSWERABLE = (ReviewState.AWAITING_RESPONSE, ReviewState.PRIVATE)
# What a home ever sees of its ratings: never held or rejected ones.
VISIBLE_TO_HOME = (ReviewState.AWAITING_RESPONSE, ReviewState.PRIVATE, ReviewState.PUBLISHED)


def _text(text: str, field: str) -> str:
    text = clean(text).strip()
    if not text:
        raise InvalidInput(field, "empty")
    if len(text) > ANSWER_LIMIT:
        raise InvalidInput(field, "too long")
    return text


async def _visible_review(actor: Actor, review_id: int) -> Review:
    """A rating the home may see, if the actor is its admin (``NotFound`` for held ones)."""
    review = await Review.get_or_none(id=review_id, state__in=VISIBLE_TO_HOME).prefetch_related(
        "facility"
    )
    if review is None:
        raise NotFound(f"review {review_id}")
    await require_role(actor, review.facility.id, Role.ADMIN)
    return review


async def _home_reviews(reviews: list[Review]) -> list[HomeReview]:
    """The home's views of ratings read with their facility, each with its public reply."""
    now = clock.now()
    replies = {
        row["review_id"]: HomeReply(row["text"], now - row["created_at"] <= REPLY_EDITABLE)
        for row in await ReviewReply.filter(
            review_id__in=[review.id for review in reviews]
        ).values("review_id", "text", "created_at")
    }
    return [home_review(review, review.facility, replies.get(review.id)) for review in reviews]


async def review_for_home(actor: Actor, review_id: int) -> HomeReview:
    """A rating as the home's admins see it, with its public reply, if the actor is an admin
    of that home (``NotFound`` for ratings the home never sees, such as held ones)."""
    (view,) = await _home_reviews([await _visible_review(actor, review_id)])
    return view


async def respond(
    actor: Actor, review_id: int, text: str, now: dt.datetime | None = None
) -> Review:
    """The home's answer to a complaint (published with it) or to a rating for the home only.

    Typing again replaces the answer, until the rating is published. The author is told.
    """
    review = await _visible_review(actor, review_id)
    if review.state not in ANSWERABLE:
        raise InvalidInput("response", "published")
    answer = _text(text, "response")
    moment = now or clock.now()
    async with in_transaction() as connection:
        updated = await Review.filter(id=review.id, state__in=ANSWERABLE).using_db(
            connection).update(response=answer, response_at=moment)
        if not updated:  # published a moment ago by the window job
            raise InvalidInput("response", "published")
        review.response, review.response_at = answer, moment
        await audit.record(actor, "review.respond", facility=review.facility,
                           subject=f"review:{review.id}")
        home = review.facility.name
        await tell_author(
            review, connection, RESPONSE, reference_of(review.id, int(moment.timestamp())),
            lambda tr: tr._("{home} answered your rating: “{answer}”").format(
                home=home, answer=answer),
        )
    return review


async def set_complaint_state(actor: Actor, review_id: int, state: ComplaintState) -> Review:
    """Open, in progress or resolved: the home's admins keep track of a complaint."""
    review = await _visible_review(actor, review_id)
    if review.complaint_state is None:
        raise InvalidInput("complaint", "not a complaint")
    if review.complaint_state == state:
        return review
    review.complaint_state = state
    review.complaint_resolved_at = clock.now() if state == ComplaintState.RESOLVED else None
    async with in_transaction():
        await review.save(update_fields=["complaint_state", "complaint_resolved_at"])
        await audit.record(actor, "complaint.state", facility=review.facility,
                           subject=f"review:{review.id}", state=state)
    return review


async def open_complaints(actor: Actor, facility_id: int) -> list[HomeReview]:
    """The home's complaints that are not resolved, oldest first."""
    await require_role(actor, facility_id, Role.ADMIN)
    return await _home_reviews(await Review.filter(
        facility_id=facility_id, state__in=VISIBLE_TO_HOME,
        complaint_state__in=(ComplaintState.OPEN, ComplaintState.IN_PROGRESS),
    ).order_by("created_at", "id").prefetch_related("facility"))


async def recent_published(
    actor: Actor, facility_id: int, offset: int = 0, limit: int = 10
) -> tuple[list[HomeReview], int]:
    """The home's published ratings, newest first, a page at a time, and how many there are."""
    await require_role(actor, facility_id, Role.ADMIN)
    query = Review.filter(facility_id=facility_id, state=ReviewState.PUBLISHED)
    total = await query.count()
    page = await (
        query.order_by("-published_at", "-id").offset(offset).limit(limit)
        .prefetch_related("facility")
    )
    return await _home_reviews(page), total


async def reply_of(review: Review) -> ReviewReply | None:
    """The home's public reply to a review, if it wrote one."""
    return await ReviewReply.get_or_none(review_id=review.id)


async def reply(
    actor: Actor, review_id: int, text: str, now: dt.datetime | None = None
) -> ReviewReply:
    """Publish the home's one public reply to a published rating, or edit it within 24 hours.

    Each version is a ``reply.published`` event in the stream.
    """
    review = await _visible_review(actor, review_id)
    if review.state != ReviewState.PUBLISHED:
        raise InvalidInput("reply", "not published")
    body = _text(text, "reply")
    moment = now or clock.now()
    async with in_transaction() as connection:
        existing = await ReviewReply.filter(review_id=review.id).select_for_update().using_db(
            connection).first()
        if existing is None:
            answer = await ReviewReply.create(
                using_db=connection, review=review, author=actor.account, text=body,
                created_at=moment,
            )
            answer.created_at = moment  # auto_now_add: keep the moment we were given
            await ReviewReply.filter(id=answer.id).using_db(connection).update(created_at=moment)
        else:
            if moment - existing.created_at > REPLY_EDITABLE:
                raise InvalidInput("reply", "too late")
            existing.text, existing.edited_at = body, moment
            await existing.save(using_db=connection, update_fields=["text", "edited_at"])
            answer = existing
        await audit.record(actor, "review.reply", facility=review.facility,
                           subject=f"review:{review.id}", edit=existing is not None)
        await stream.append(
            "reply.published", review.facility, f"review:{review.id}",
            stream.reply_payload(answer), using_db=connection,
        )
    return answer


async def publish_due(now: dt.datetime | None = None) -> int:
    """Publish every complaint whose response window has passed, with the home's answer.

    Safe to run in several processes at once and again: each rating is taken with a
    conditional UPDATE (state still awaiting), and only the process that changed it appends
    the stream event. Returns how many ratings this run published.
    """
    moment = now or clock.now()
    due = await Review.filter(
        state=ReviewState.AWAITING_RESPONSE, window_ends_at__lte=moment
    ).order_by("window_ends_at", "id").values_list("id", flat=True)
    published = 0
    for review_id in due:
        async with in_transaction() as connection:
            taken = await Review.filter(
                id=review_id, state=ReviewState.AWAITING_RESPONSE
            ).using_db(connection).update(state=ReviewState.PUBLISHED, published_at=moment)
            if not taken:
                continue
            review = await Review.filter(id=review_id).using_db(connection).get()
            await facility_of(review, connection)
            await publish(review, connection, moment)
            published += 1
    return published
