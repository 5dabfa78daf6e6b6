"""The public review stream: append-only, hash-chained events, and the portals it is pushed to."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from bot.models.facilities import Facility


class StreamEvent(Model):
    """One event of the public stream. Rows are only ever added (payloads redacted on erasure).

    The row carries exactly what its hash covers, so the chain can be checked from the table
    alone: seq, kind, facility_slug, subject, created_at (whole seconds, UTC), payload_digest,
    prev_hash.
    """

    # A plain id as primary key: Tortoise's migration writer loses `generated=False` on a
    # primary key. The sequence number is assigned by the stream service under a lock.
    id = fields.IntField(primary_key=True)
    seq = fields.IntField(unique=True)
    kind = fields.CharField(max_length=32)
    # RESTRICT, not CASCADE: deleting a facility must not silently cut events out of the chain.
    facility: fields.ForeignKeyRelation[Facility] = fields.ForeignKeyField(
        "heimbote.Facility", related_name="stream_events", on_delete=fields.RESTRICT
    )
    facility_id: int  # set by Tortoise
    facility_slug = fields.CharField(max_length=64)
    subject = fields.CharField(max_length=64, db_index=True)
    payload: fields.JSONField[dict[str, Any] | None] = fields.JSONField(
        null=True
    )  # None once redacted (erasure)
    payload_digest = fields.CharField(max_length=64)
    prev_hash = fields.CharField(max_length=64)
    hash = fields.CharField(max_length=64)
    created_at = fields.DatetimeField()

    class Meta:
        table = "stream_event"


class StreamSubscriber(Model):
    """A review portal that receives every event by HTTP POST, signed with its secret."""

    id = fields.IntField(primary_key=True)
    url = fields.CharField(max_length=500)
    secret = fields.CharField(max_length=200)
    delivered_seq = fields.IntField(default=0)  # every event up to this one was accepted
    failures = fields.IntField(default=0)  # consecutive failed attempts, for the backoff
    next_attempt_at = fields.DatetimeField(null=True)
    last_error = fields.TextField(default="")
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "stream_subscriber"
