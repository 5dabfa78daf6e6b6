"""The review stream's hash chain: canonical encoding, hashes, and checking a chain.

Pure functions over plain dicts (the events as ``GET /api/v1/stream`` serves them), so the
same code checks the local table and a downloaded stream. The definition, also in the README:

- ``canonical(x)`` is JSON with keys sorted, no whitespace, non-ASCII characters unescaped,
  encoded as UTF-8 (for the strings, integers, booleans and nulls used here this is RFC 8785);
- ``payload_digest = sha256(canonical(payload)).hex()``;
- ``hash = sha256(canonical({"seq", "kind", "facility", "subject", "created_at",
  "payload_digest", "prev_hash"})).hex()``, ``created_at`` as ``YYYY-MM-DDTHH:MM:SSZ``;
- the first event's ``prev_hash`` is 64 zeros, every later one's is the hash before it, and
  ``seq`` counts 1, 2, 3… without gaps.

A redacted event keeps its digest and hash but serves ``payload: null``: the chain still checks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "seq", "kind", "facility", "subject", "created_at", "payload_digest", "prev_hash"
)
_TEXT_FIELDS = ("kind", "facility", "subject", "created_at", "payload_digest", "prev_hash", "hash")


def canonical(value: Any) -> bytes:
    """The one byte string a JSON value hashes as: sorted keys, no whitespace, UTF-8."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def digest(value: Any) -> str:
    """``sha256(canonical(value))`` as 64 hex digits."""
    return hashlib.sha256(canonical(value)).hexdigest()


def timestamp(moment: dt.datetime) -> str:
    """A moment as the stream writes it: UTC, whole seconds, ``2026-05-01T09:30:00Z``."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def event_hash(event: Mapping[str, Any]) -> str:
    """The hash of an event, over the fields :data:`HASHED_FIELDS` (not the payload itself)."""
    return digest({name: event[name] for name in HASHED_FIELDS})


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of checking a chain: ``ok``, or the first broken event and why."""

    ok: bool
    checked: int  # events checked (up to and including the broken one)
    last_seq: int  # the last event that checked out (0: none)
    last_hash: str
    broken_seq: int | None = None
    reason: str = ""  # "wrong hash", "broken link", "missing seq 7", …

    def summary(self) -> str:
        """One line for people: what was checked, or where the chain breaks."""
        if self.ok:
            return f"ok: {self.checked} events, chain intact up to seq {self.last_seq}"
        return f"broken at seq {self.broken_seq}: {self.reason}"


class ChainVerifier:
    """Checks events one at a time, in order, so a long stream needs no memory.

    Start at the beginning (the default) or, to continue a chain already checked, after
    ``last_seq`` whose hash was ``last_hash``.
    """

    def __init__(self, last_seq: int = 0, last_hash: str = GENESIS_HASH) -> None:
        self.last_seq = last_seq
        self.last_hash = last_hash
        self.checked = 0
        self.failure: VerifyResult | None = None

    def feed(self, event: Mapping[str, Any]) -> bool:
        """Check the next event; False (and :attr:`failure` set) at the first broken one."""
        if self.failure is not None:
            return False
        self.checked += 1
        problem, seq = _problem(event, self.last_seq + 1, self.last_hash)
        if problem:
            self.failure = VerifyResult(
                False, self.checked, self.last_seq, self.last_hash, seq, problem
            )
            return False
        self.last_seq, self.last_hash = seq, str(event["hash"])
        return True

    def result(self) -> VerifyResult:
        """The failure, if any, else the chain as checked so far."""
        if self.failure is not None:
            return self.failure
        return VerifyResult(True, self.checked, self.last_seq, self.last_hash)


def _problem(event: Mapping[str, Any], expected_seq: int, prev_hash: str) -> tuple[str, int]:
    """Why ``event`` breaks the chain ("" when it does not), and the seq to name."""
    seq = event.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool):
        return "malformed event: seq is not a number", expected_seq
    missing = [name for name in _TEXT_FIELDS if not isinstance(event.get(name), str)]
    if missing:
        return f"malformed event: {', '.join(missing)} missing", seq
    if seq != expected_seq:
        if seq > expected_seq:
            gap = str(expected_seq) if seq == expected_seq + 1 else f"{expected_seq}-{seq - 1}"
            return f"missing seq {gap}", seq
        return f"seq out of order (expected {expected_seq})", seq
    if event["prev_hash"] != prev_hash:
        return "broken link: prev_hash is not the hash of the event before", seq
    if event_hash(event) != event["hash"]:
        return "wrong hash", seq
    payload = event.get("payload")
    if payload is not None and digest(payload) != event["payload_digest"]:
        return "payload does not match its digest", seq
    return "", seq

