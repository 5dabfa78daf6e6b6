"""Reading the review stream: pages of events, as dicts or as ready JSON text, and its head.

The most read data of the public API, so these read plain rows with SQL instead of ORM model
instances: building those (their per-row date parsing) costs more than the query itself.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator, Mapping
from json.encoder import encode_basestring_ascii as _quoted  # what json.dumps does to a str
from typing import Any

from tortoise import connections

from bot.services.stream.chain import timestamp

_PAGE_SQL = (
    "SELECT seq, kind, facility_slug, subject, created_at, payload, payload_digest, prev_hash,"
    " hash FROM stream_event WHERE seq > {after} ORDER BY seq LIMIT {limit}"
)


async def _rows_after(after: int, limit: int) -> list[dict[str, Any]]:
    connection = connections.get("default")
    marks = ("$1", "$2") if connection.capabilities.dialect == "postgres" else ("?", "?")
    rows: list[dict[str, Any]] = await connection.execute_query_dict(
        _PAGE_SQL.format(after=marks[0], limit=marks[1]), [after, limit]
    )
    return rows


def _created_at(row: Mapping[str, Any]) -> str:
    moment = row["created_at"]
    if isinstance(moment, str):  # SQLite hands back the stored text: "2026-05-01 09:30:00+00:00"
        if len(moment) == 25 and moment.endswith("+00:00"):  # whole seconds in UTC, as written
            return f"{moment[:10]}T{moment[11:19]}Z"
        moment = dt.datetime.fromisoformat(moment)
    return timestamp(moment)


def _row_json(row: Mapping[str, Any]) -> dict[str, Any]:
    payload = row["payload"]
    if isinstance(payload, str | bytes):
        payload = json.loads(payload)
    return {
        "seq": row["seq"],
        "kind": row["kind"],
        "facility": row["facility_slug"],
        "subject": row["subject"],
        "created_at": _created_at(row),
        "payload": payload,
        "payload_digest": row["payload_digest"],
        "prev_hash": row["prev_hash"],
        "hash": row["hash"],
    }


def _row_text(row: Mapping[str, Any]) -> str:
    payload = row["payload"]
    if payload is None:
        text = "null"
    elif isinstance(payload, str):
        text = payload  # the stored JSON as it is: decoding and encoding it again changes nothing
    else:
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return (
        f'{{"seq":{int(row["seq"])},"kind":{_quoted(row["kind"])},'
        f'"facility":{_quoted(row["facility_slug"])},"subject":{_quoted(row["subject"])},'
        f'"created_at":"{_created_at(row)}","payload":{text},'
        f'"payload_digest":"{row["payload_digest"]}","prev_hash":"{row["prev_hash"]}",'
        f'"hash":"{row["hash"]}"}}'
    )


async def events_after(after: int, limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` events with ``seq > after``, in order, in their public shape."""
    return [_row_json(row) for row in await _rows_after(after, limit)]


async def events_after_as_json(after: int, limit: int) -> tuple[str, list[int]]:
    """The same events as one JSON array text, and their seqs (for ``GET /api/v1/stream``)."""
    rows = await _rows_after(after, limit)
    return "[" + ",".join(_row_text(row) for row in rows) + "]", [int(r["seq"]) for r in rows]


async def event_texts(after: int, limit: int) -> list[tuple[int, str]]:
    """Up to ``limit`` events with ``seq > after``, in order: each seq and its JSON text."""
    return [(int(row["seq"]), _row_text(row)) for row in await _rows_after(after, limit)]


async def last_seq() -> int:
    """The sequence number of the newest event (0 when the stream is empty).

    Read on every public request (it versions the response cache).
    """
    rows = await connections.get("default").execute_query_dict(
        "SELECT MAX(seq) AS head FROM stream_event"
    )
    return int(rows[0]["head"] or 0)


async def stored_events(page: int = 1000) -> AsyncIterator[dict[str, Any]]:
    """Every stored event in order, page by page (for checking the local table)."""
    after = 0
    while True:
        batch = await events_after(after, page)
        for event in batch:
            yield event
        if len(batch) < page:
            return
        after = batch[-1]["seq"]
