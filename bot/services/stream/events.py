"""The public review stream: appending events, redacting them on erasure, reading and checking.

Every published review, public reply and retraction is one event, appended in the same
transaction as the change it reports. Events are never changed, except that erasure sets a
payload to ``None``: the event keeps its ``payload_digest``, so its hash and the chain after it
still check (see :mod:`bot.services.stream.chain` for the definition).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from bot import clock
from bot.models import Facility, StreamEvent
from bot.services.stream.chain import (
    GENESIS_HASH,
    ChainVerifier,
    VerifyResult,
    digest,
    event_hash,
    timestamp,
)
from bot.services.stream.pages import events_after, last_seq, stored_events

if TYPE_CHECKING:
    from bot.models.reviews import Review, ReviewReply

__all__ = [
    "KINDS",
    "VerifyResult",
    "append",
    "events_after",
    "last_seq",
    "public_reply_shape",
    "public_review",
    "public_review_shape",
    "redact",
    "reply_payload",
    "review_payload",
    "stored_events",
    "verify",
]

KINDS = ("review.published", "reply.published", "review.retracted")
CATEGORIES = ("care", "staff", "food", "activities", "communication")
# Serialises appends across processes on PostgreSQL: "HBST" (Heimbote stream).
STREAM_LOCK_KEY = 0x48_42_53_54


async def append(
    kind: str,
    facility: Facility,
    subject: str,
    payload: dict[str, Any],
    *,
    using_db: BaseDBAsyncClient | None = None,
) -> StreamEvent:
    """Append one event as the next in the chain.

    Pass the caller's transaction as ``using_db`` so the event commits with the change it
    reports (without one, a transaction of its own is used). On PostgreSQL the transaction
    takes an advisory lock until it ends, so concurrent appends get consecutive numbers.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown stream event kind {kind!r}")
    if using_db is None:
        async with in_transaction() as connection:
            return await _append(kind, facility, subject, payload, connection)
    return await _append(kind, facility, subject, payload, using_db)


async def _append(
    kind: str,
    facility: Facility,
    subject: str,
    payload: dict[str, Any],
    connection: BaseDBAsyncClient,
) -> StreamEvent:
    if connection.capabilities.dialect == "postgres":
        await connection.execute_query("SELECT pg_advisory_xact_lock($1)", [STREAM_LOCK_KEY])
    last = (
        await StreamEvent.all()
        .using_db(connection)
        .order_by("-seq")
        .first()
        .only("seq", "hash")
    )
    fields: dict[str, Any] = {
        "seq": last.seq + 1 if last else 1,
        "kind": kind,
        "facility": facility.slug,
        "subject": subject,
        "created_at": timestamp(clock.now()),
        "payload_digest": digest(payload),
        "prev_hash": last.hash if last else GENESIS_HASH,
    }
    return await StreamEvent.create(
        using_db=connection,
        seq=fields["seq"],
        kind=kind,
        facility=facility,
        facility_slug=facility.slug,
        subject=subject,
        payload=payload,
        payload_digest=fields["payload_digest"],
        prev_hash=fields["prev_hash"],
        hash=event_hash(fields),
        created_at=dt.datetime.fromisoformat(fields["created_at"]),
    )


async def redact(subject: str, *, using_db: BaseDBAsyncClient | None = None) -> int:
    """Remove the payloads of a subject's events (erasure); digests and hashes stay.

    Returns how many events were redacted.
    """
    return await (
        StreamEvent.filter(subject=subject, payload__isnull=False)
        .using_db(using_db)
        .update(payload=None)
    )


async def verify(
    events: Iterable[Mapping[str, Any]] | AsyncIterable[Mapping[str, Any]],
) -> VerifyResult:
    """Check a chain from seq 1: every number, link, hash, and each payload present."""
    verifier = ChainVerifier()
    if isinstance(events, AsyncIterable):
        async for event in events:
            if not verifier.feed(event):
                break
    else:
        for event in events:
            if not verifier.feed(event):
                break
    return verifier.result()


def _moment(value: dt.datetime | None) -> str | None:
    return timestamp(value) if value is not None else None


def review_payload(review: Review, reply: ReviewReply | None = None) -> dict[str, Any]:
    """A review's public shape, as published in the stream (``review.facility`` fetched)."""
    return public_review(review, review.facility.slug, reply)


def public_review(
    review: Review, facility_slug: str, reply: ReviewReply | None = None
) -> dict[str, Any]:
    """A review model in its public shape (:func:`public_review_shape`)."""
    return public_review_shape(
        review_id=review.id,
        facility_slug=facility_slug,
        overall=review.overall,
        categories={name: getattr(review, name) for name in CATEGORIES},
        comment=review.comment,
        pseudonym=review.pseudonym,
        published_at=_moment(review.published_at),
        response=review.response,
        reply=reply_payload(reply) if reply is not None else None,
    )


def reply_payload(reply: ReviewReply) -> dict[str, Any]:
    """The home's public reply to a review."""
    return public_reply_shape(
        review_id=reply.review_id,
        text=reply.text,
        created_at=_moment(reply.created_at),
        edited_at=_moment(reply.edited_at),
    )


def public_review_shape(
    *,
    review_id: int,
    facility_slug: str,
    overall: int,
    categories: Mapping[str, Any],
    comment: str,
    pseudonym: str,
    published_at: str | None,
    response: str,
    reply: dict[str, Any] | None,
) -> dict[str, Any]:
    """A review as the public sees it: stars, comment, pseudonym. No account id, no name.

    The one shape of the stream's payloads, the public pages and the API, whether the review
    was read as a model or as a plain row. Moments as :func:`timestamp` writes them;
    ``categories`` may hold more keys than the categories (a whole row).
    """
    return {
        "review_id": review_id,
        "facility": facility_slug,
        "overall": overall,
        "categories": {
            name: categories[name] for name in CATEGORIES if categories[name] is not None
        },
        "comment": comment or None,
        "reviewer": pseudonym,
        "verified_relative": True,
        "published_at": published_at,
        "response": response or None,
        "reply": reply,
    }


def public_reply_shape(
    *, review_id: int, text: str, created_at: str | None, edited_at: str | None
) -> dict[str, Any]:
    """The home's public reply to a review, in its public shape."""
    return {
        "review_id": review_id,
        "text": text,
        "created_at": created_at,
        "edited_at": edited_at,
    }
