"""Relatives rate their care home: who may rate, the draft, sending it, and erasing it again.

Only a relative linked to an active resident of the home may rate it (not its staff), once per
``Facility.rating_interval_days``. The draft lives in the database (the account's awaited
input), so a restart in the middle changes nothing. On sending, a public comment is screened
(:mod:`bot.services.reviews.moderation`); then the rating is held for the moderators, goes to
the home first as a complaint, is published, or — "only for the home" — goes to the home's
admins alone.

Why one module past 300 lines: it is one relative's whole life cycle of a rating, and the
privacy service and the tests use it as one (``ratings.export_of``, ``ratings.retract_all``,
``ratings.start``); split, it would only re-export its parts.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from bot import clock
from bot.domain.errors import DomainError, InvalidInput, NotAllowed, NotFound
from bot.domain.text import clean
from bot.models import (
    Account,
    AwaitedInput,
    Delivery,
    Facility,
    RelativeLink,
    ResidentStatus,
    Review,
    ReviewReply,
    ReviewState,
    StaffRole,
)
from bot.services.accounts.awaiting import await_input, awaited_input
from bot.services.reviews import moderation
from bot.services.reviews.publishing import (
    PURPOSES,
    facility_of,
    release,
    send_privately,
)
from bot.services.reviews.text import CATEGORIES, COMMENT_LIMIT, PSEUDONYM_PREFIX
from bot.services.reviews.views import RateableHome, SentRating, rateable_home, sent_rating
from bot.services.stream import events as stream

DRAFT = "rating"  # the awaited-input kind that holds the draft
# Ratings that do not count against the interval: moderation refused them.
NOT_COUNTED = (ReviewState.REJECTED,)


class NotARelative(NotAllowed):
    """The account is not linked to an active resident of any (or this) home."""


class StaffMember(NotAllowed):
    """Staff do not rate their own home."""


class AlreadyRated(DomainError):
    """The relative rated this home within the interval; ``again_at`` says from when.

    ``home`` and ``timezone`` are the home's name and time zone, for the refusal.
    """

    def __init__(self, facility: Facility, again_at: dt.datetime) -> None:
        super().__init__(f"rated {facility.slug} already, again from {again_at.isoformat()}")
        self.home = facility.name
        self.timezone = facility.timezone
        self.again_at = again_at


@dataclass
class Draft:
    """A rating being written: everything chosen so far."""

    facility: int
    overall: int | None = None
    categories: dict[str, int | None] = field(default_factory=dict)
    comment: str = ""
    public: bool | None = None
    share_comment: bool = True
    step: str = "overall"

    @classmethod
    def of(cls, payload: Mapping[str, Any]) -> Draft:
        """The draft stored in an awaited input's payload."""
        try:
            return cls(
                facility=int(payload["facility"]),
                overall=payload.get("overall"),
                categories=dict(payload.get("categories") or {}),
                comment=str(payload.get("comment") or ""),
                public=payload.get("public"),
                share_comment=bool(payload.get("share_comment", True)),
                step=str(payload.get("step") or "overall"),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise NotFound("no rating draft") from error


# --- who may rate --------------------------------------------------------------------------


async def rateable_facilities(account: Account) -> list[RateableHome]:
    """The homes the account may rate: linked to an active resident there, not on its staff.

    Raises :class:`StaffMember` for staff without such a link, :class:`NotARelative` otherwise.
    """
    linked = await Facility.filter(
        residents__relative_links__account_id=account.id,
        residents__relative_links__active=True,
        residents__status=ResidentStatus.ACTIVE,
    ).distinct().order_by("name", "id")
    staff_of: set[Any] = set(  # values_list(flat=True) is typed as rows of tuples: ids
        await StaffRole.filter(account_id=account.id).values_list("facility_id", flat=True)
    )
    homes = [facility for facility in linked if facility.id not in staff_of]
    if not homes:
        raise StaffMember("staff") if staff_of else NotARelative("no active link")
    return [rateable_home(home) for home in homes]


async def may_rate(
    account: Account, facility_id: int, now: dt.datetime | None = None
) -> RateableHome:
    """The home, if the account may rate it now; else why not (a :class:`DomainError`)."""
    return rateable_home(await _rateable(account, facility_id, now))


async def _rateable(account: Account, facility_id: int, now: dt.datetime | None) -> Facility:
    """The facility, if the account may rate it now; else why not (a :class:`DomainError`)."""
    facility = await Facility.get_or_none(id=facility_id)
    if facility is None:
        raise NotFound(f"facility {facility_id}")
    if await StaffRole.exists(account_id=account.id, facility_id=facility_id):
        raise StaffMember("staff of this home")
    linked = await RelativeLink.exists(
        account_id=account.id, active=True,
        resident__facility_id=facility_id, resident__status=ResidentStatus.ACTIVE,
    )
    if not linked:
        raise NotARelative(f"not linked in facility {facility_id}")
    last = await (
        Review.filter(author_id=account.id, facility_id=facility_id)
        .exclude(state__in=NOT_COUNTED)
        .order_by("-created_at")
        .first()
    )
    if last is not None:
        again_at = last.created_at + dt.timedelta(days=facility.rating_interval_days)
        if again_at > (now or clock.now()):
            raise AlreadyRated(facility, again_at)
    return facility


# --- the draft -----------------------------------------------------------------------------


async def start(account: Account, facility_id: int, now: dt.datetime | None = None) -> Draft:
    """Begin a rating of one home (replacing any unfinished draft)."""
    facility = await _rateable(account, facility_id, now)
    draft = Draft(facility=facility.id)
    await save_draft(account, draft)
    return draft


async def draft_of(account: Account) -> Draft:
    """The account's unfinished rating, or :class:`NotFound` (none, or forgotten after an hour)."""
    awaited = await awaited_input(account)
    if awaited is None or awaited.kind != DRAFT:
        raise NotFound("no rating draft")
    return Draft.of(awaited.payload)


async def save_draft(account: Account, draft: Draft) -> None:
    """Keep the draft in the database."""
    await await_input(account, DRAFT, **asdict(draft))


def _stars(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidInput("stars", "must be 1 to 5")
    return value


def with_overall(draft: Draft, stars: int) -> Draft:
    """The draft with the overall stars (1–5)."""
    draft.overall = _stars(stars)
    return draft


def with_category(draft: Draft, category: str, stars: int | None) -> Draft:
    """The draft with one category rated (1–5) or skipped (``None``)."""
    if category not in CATEGORIES:
        raise InvalidInput("category", "unknown")
    draft.categories[category] = None if stars is None else _stars(stars)
    return draft


def with_comment(draft: Draft, comment: str) -> Draft:
    """The draft with a comment (empty: none); :class:`InvalidInput` when it is too long."""
    comment = clean(comment).strip()
    if len(comment) > COMMENT_LIMIT:
        raise InvalidInput("comment", "too long")
    draft.comment = comment
    return draft


# --- sending -------------------------------------------------------------------------------


async def _pseudonym(account: Account, facility_id: int, connection: BaseDBAsyncClient) -> str:
    """The author's pseudonym in this home: the one used before, else a new random one."""
    earlier = await (
        Review.filter(author_id=account.id, facility_id=facility_id)
        .using_db(connection).order_by("id").first()
    )
    if earlier is not None:
        return earlier.pseudonym
    while True:
        pseudonym = f"{PSEUDONYM_PREFIX} {secrets.token_hex(2).upper()}"
        taken = await Review.filter(facility_id=facility_id, pseudonym=pseudonym).using_db(
            connection).exists()
        if not taken:
            return pseudonym


async def submit(
    account: Account, moderators: Iterable[int] = (), now: dt.datetime | None = None
) -> Review:
    """Send the account's draft. ``moderators``: the platform admins' Telegram ids.

    Checks again that the account may rate (two taps on Send make one rating), then holds,
    routes or publishes the rating in one transaction and forgets the draft.
    """
    draft = await draft_of(account)
    if draft.overall is None or draft.public is None:
        raise InvalidInput("draft", "incomplete")
    moment = now or clock.now()
    async with in_transaction() as connection:
        # One rating at a time per account, also across processes (PostgreSQL row lock).
        await Account.filter(id=account.id).select_for_update().using_db(connection).first()
        facility = await _rateable(account, draft.facility, moment)
        flags = await moderation.screen_comment(facility.id, draft.comment) if draft.public else []
        review = await Review.create(
            using_db=connection,
            facility=facility,
            author=account,
            pseudonym=await _pseudonym(account, facility.id, connection),
            overall=draft.overall,
            **{category: draft.categories.get(category) for category in CATEGORIES},
            comment=draft.comment,
            public=draft.public,
            share_comment=draft.share_comment,
            state=ReviewState.HELD,
            moderation_note=", ".join(flags),
        )
        if not draft.public:
            await send_privately(review, connection)
        elif flags:
            await moderation.hold(review, flags, moderators, connection)
        else:
            await release(review, connection, moment)
        await AwaitedInput.filter(account_id=account.id).using_db(connection).delete()
    return review


async def send(account: Account, moderators: Iterable[int] = ()) -> SentRating:
    """:func:`submit` the account's draft, and say where the rating went."""
    review = await submit(account, moderators)
    return sent_rating(review, await facility_of(review))


# --- the author's data rights --------------------------------------------------------------


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _reply_export(reply: ReviewReply | None) -> dict[str, Any] | None:
    """The home's public reply to a rating, as /mydata shows it (without who wrote it)."""
    if reply is None:
        return None
    return {"text": reply.text, "at": _iso(reply.created_at), "edited_at": _iso(reply.edited_at)}


async def export_of(account: Account) -> list[dict[str, Any]]:
    """The account's ratings for ``/mydata``."""
    reviews = await Review.filter(author_id=account.id).order_by("id").prefetch_related(
        "facility"
    )
    replies = {reply.review_id: reply for reply in await ReviewReply.filter(
        review_id__in=[review.id for review in reviews])}
    return [
        {
            "facility": review.facility.name,
            "overall": review.overall,
            "categories": {c: getattr(review, c) for c in CATEGORIES if getattr(review, c)},
            "comment": review.comment,
            "public": review.public,
            "pseudonym": review.pseudonym,
            "state": review.state.value,
            "created_at": _iso(review.created_at),
            "published_at": _iso(review.published_at),
            "response_of_the_home": review.response or None,
            "public_reply_of_the_home": _reply_export(replies.get(review.id)),
        }
        for review in reviews
    ]


async def retract_all(account: Account, connection: BaseDBAsyncClient) -> int:
    """Erasure: published ratings are retracted (stars stay, comment and author go), the
    stream payloads redacted and a retraction appended; unpublished ones are deleted.

    Runs inside the erasure's transaction. Returns how many ratings were retracted.
    """
    retracted = 0
    for review in await Review.filter(author_id=account.id).using_db(connection):
        subject = f"review:{review.id}"
        await Delivery.filter(purpose__in=PURPOSES, reference=str(review.id)).using_db(
            connection).delete()
        await Delivery.filter(
            purpose__in=PURPOSES, reference__startswith=f"{review.id}:"
        ).using_db(connection).delete()
        if review.state != ReviewState.PUBLISHED:
            await review.delete(using_db=connection)
            continue
        facility = await facility_of(review, connection)
        await stream.redact(subject, using_db=connection)
        await stream.append(
            "review.retracted", facility, subject, {"review_id": review.id}, using_db=connection
        )
        await ReviewReply.filter(review_id=review.id).using_db(connection).delete()
        await Review.filter(id=review.id).using_db(connection).update(
            state=ReviewState.RETRACTED, author_id=None, comment="", response="",
            moderation_note="",
        )
        retracted += 1
    return retracted
