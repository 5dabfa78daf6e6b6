"""The hash chain's definition, checked on plain dicts as a portal would download them."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import pytest

from bot.services.stream.chain import (
    GENESIS_HASH,
    ChainVerifier,
    VerifyResult,
    canonical,
    digest,
    event_hash,
)


def verify_events(events: Iterable[Mapping[str, Any]]) -> VerifyResult:
    """Check a whole chain from seq 1, as ``stream.verify`` does; stops at the first break."""
    verifier = ChainVerifier()
    for event in events:
        if not verifier.feed(event):
            break
    return verifier.result()


def chain(*payloads: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Events built by hand from the README's definition, not by the code under test."""
    events: list[dict[str, Any]] = []
    prev = GENESIS_HASH
    for seq, payload in enumerate(payloads, start=1):
        body = payload if payload is not None else {"review_id": seq}
        payload_digest = hashlib.sha256(canonical(body)).hexdigest()
        event: dict[str, Any] = {
            "seq": seq,
            "kind": "review.published",
            "facility": "sonnenhof",
            "subject": f"review:{seq}",
            "created_at": f"2026-05-01T09:30:{seq:02d}Z",
            "payload_digest": payload_digest,
            "prev_hash": prev,
        }
        hashed = {k: event[k] for k in sorted(event)}
        event["hash"] = hashlib.sha256(canonical(hashed)).hexdigest()
        event["payload"] = body
        events.append(event)
        prev = event["hash"]
    return events


def test_canonical_encoding_sorts_keys_without_whitespace_in_utf8() -> None:
    assert canonical({"b": 1, "a": "Ä", "c": [None, True]}) == (
        '{"a":"Ä","b":1,"c":[null,true]}'.encode()
    )


def test_the_hash_covers_the_named_fields_and_not_the_payload() -> None:
    event = chain({"overall": 4})[0]
    expected = hashlib.sha256(
        (
            '{"created_at":"2026-05-01T09:30:01Z","facility":"sonnenhof","kind":"review.published",'
            f'"payload_digest":"{event["payload_digest"]}","prev_hash":"{GENESIS_HASH}",'
            '"seq":1,"subject":"review:1"}'
        ).encode()
    ).hexdigest()
    assert event_hash(event) == expected == event["hash"]
    assert digest({"overall": 4}) == event["payload_digest"]


def test_a_good_chain_verifies() -> None:
    result = verify_events(chain({"overall": 4}, {"overall": 1}, {"review_id": 1}))
    assert result.ok and result.checked == 3 and result.last_seq == 3
    assert "3 events" in result.summary()


def test_an_empty_chain_verifies() -> None:
    assert verify_events([]).ok


def test_a_redacted_payload_still_verifies() -> None:
    events = chain({"overall": 4, "comment": "Sehr freundlich"}, {"review_id": 1})
    events[0]["payload"] = None
    assert verify_events(events).ok


@pytest.mark.parametrize(
    ("tamper", "broken_seq", "reason"),
    [
        (lambda e: e[1]["payload"].update(overall=5), 2, "payload does not match its digest"),
        (lambda e: e[1].update(hash="f" * 64), 2, "wrong hash"),
        (lambda e: e[1].update(created_at="2026-05-02T00:00:00Z"), 2, "wrong hash"),
        (lambda e: e[2].update(prev_hash="0" * 64), 3, "broken link"),
        (lambda e: e.pop(1), 3, "missing seq 2"),
        (lambda e: e.insert(1, dict(e[0])), 1, "seq out of order"),
        (lambda e: e[0].pop("kind"), 1, "malformed event: kind missing"),
        (lambda e: e[0].update(seq="1"), 1, "malformed event"),
    ],
)
def test_tampering_names_the_first_broken_event(
    tamper: Any, broken_seq: int, reason: str
) -> None:
    events = chain({"overall": 4}, {"overall": 2}, {"overall": 5}, {"overall": 3})
    tamper(events)
    result = verify_events(events)
    assert not result.ok
    assert result.broken_seq == broken_seq
    assert result.reason.startswith(reason)
    assert result.summary().startswith(f"broken at seq {broken_seq}: ")


def test_a_replaced_event_with_a_fresh_hash_breaks_the_next_link() -> None:
    events = chain({"overall": 1}, {"overall": 2}, {"overall": 3})
    forged = chain({"overall": 1}, {"overall": 5})[1]  # rehashed, but from another history
    forged["prev_hash"] = events[0]["hash"]
    forged["payload_digest"] = digest(forged["payload"])
    forged["hash"] = event_hash(forged)
    events[1] = forged
    result = verify_events(events)
    assert (result.broken_seq, result.reason.split(":")[0]) == (3, "broken link")


def test_verification_continues_where_it_left_off() -> None:
    events = chain({"overall": 1}, {"overall": 2}, {"overall": 3})
    first = ChainVerifier()
    assert first.feed(events[0])
    later = ChainVerifier(first.last_seq, first.last_hash)
    assert all(later.feed(event) for event in events[1:])
    assert later.result().last_seq == 3
    wrong_start = ChainVerifier(1, "a" * 64)
    assert not wrong_start.feed(events[1])
