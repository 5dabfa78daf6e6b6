"""Published reviews made directly with the models, as the rating flow leaves them."""

from __future__ import annotations

import datetime as dt

from tortoise.transactions import in_transaction

from bot.models import Facility
from bot.models.reviews import Review, ReviewReply, ReviewState
from bot.services.reviews.public import month_starts
from bot.services.stream import events as stream
from tests import factories

BERLIN = "Europe/Berlin"


def this_month(now: dt.datetime, share: float) -> dt.datetime:
    """A moment ``share`` of the way from the start of ``now``'s month (in Berlin) to ``now``.

    Always in the same calendar month as ``now``, even five minutes after midnight on the 1st.
    """
    start = month_starts(now, BERLIN)[-2]
    return start + (now - start) * share


def last_month(now: dt.datetime) -> dt.datetime:
    """A moment in the month before ``now``'s (in Berlin), well inside it."""
    return month_starts(now, BERLIN)[-2] - dt.timedelta(days=9)


async def facility(slug: str = "sonnenhof", name: str = "Haus Sonnenhof") -> Facility:
    """A facility with the defaults."""
    return await factories.home(slug, name)


async def publish(
    home: Facility,
    overall: int,
    *,
    comment: str = "",
    published_at: dt.datetime | None = None,
    pseudonym: str = "Angehörige/r A7F3",
    response: str = "",
    **categories: int,
) -> Review:
    """A review set PUBLISHED and its event appended, in one transaction."""
    async with in_transaction() as connection:
        review = await Review.create(
            facility=home, pseudonym=pseudonym, overall=overall, comment=comment,
            state=ReviewState.PUBLISHED, response=response,
            published_at=published_at or dt.datetime.now(dt.UTC), using_db=connection,
            **categories,
        )
        review.facility = home
        await stream.append(
            "review.published", home, f"review:{review.id}", stream.review_payload(review),
            using_db=connection,
        )
    return review


async def reply(review: Review, text: str) -> ReviewReply:
    """The home's public reply, appended to the stream."""
    async with in_transaction() as connection:
        answer = await ReviewReply.create(review=review, text=text, using_db=connection)
        home = await Facility.get(id=review.facility_id)  # type: ignore[attr-defined]
        await stream.append(
            "reply.published", home, f"review:{review.id}", stream.reply_payload(answer),
            using_db=connection,
        )
    return answer


async def retract(review: Review) -> None:
    """Erasure as the privacy service does it: text gone, stars kept, a retraction event."""
    async with in_transaction() as connection:
        await Review.filter(id=review.id).using_db(connection).update(
            state=ReviewState.RETRACTED, comment="", author_id=None
        )
        await stream.redact(f"review:{review.id}", using_db=connection)
        home = await Facility.get(id=review.facility_id)  # type: ignore[attr-defined]
        await stream.append(
            "review.retracted", home, f"review:{review.id}", {"review_id": review.id},
            using_db=connection,
        )
