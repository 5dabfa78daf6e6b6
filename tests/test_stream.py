"""The stream service on the database: appending in order, redacting, checking the table."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

import pytest
from tortoise.transactions import in_transaction

from bot.models import StreamEvent
from bot.models.reviews import Review
from bot.services.stream import events as stream
from bot.services.stream import pages as stream_pages
from bot.services.stream.chain import GENESIS_HASH, digest
from tests import review_seed


async def test_appended_events_form_a_chain_from_genesis(db: str) -> None:
    home = await review_seed.facility()
    review = await review_seed.publish(home, 4, comment="Sehr freundlich", care=5, food=3)
    await review_seed.reply(review, "Danke!")
    events = await stream.events_after(0, 10)
    assert [e["seq"] for e in events] == [1, 2]
    assert [e["kind"] for e in events] == ["review.published", "reply.published"]
    assert events[0]["prev_hash"] == GENESIS_HASH
    assert events[1]["prev_hash"] == events[0]["hash"]
    assert events[0]["created_at"].endswith("Z") and len(events[0]["created_at"]) == 20
    result = await stream.verify(events)
    assert result.ok and result.last_seq == 2


async def test_the_review_payload_is_public_and_has_no_account(db: str) -> None:
    home = await review_seed.facility()
    moment = dt.datetime(2026, 5, 1, 9, 30, 15, 123456, tzinfo=dt.UTC)
    review = await review_seed.publish(
        home, 4, comment="Sehr freundlich", published_at=moment, care=5, food=3
    )
    (event,) = await stream.events_after(0, 1)
    assert event["payload"] == {
        "review_id": review.id,
        "facility": "sonnenhof",
        "overall": 4,
        "categories": {"care": 5, "food": 3},
        "comment": "Sehr freundlich",
        "reviewer": "Angehörige/r A7F3",
        "verified_relative": True,
        "published_at": "2026-05-01T09:30:15Z",
        "response": None,
        "reply": None,
    }
    assert event["payload_digest"] == digest(event["payload"])
    assert event["subject"] == f"review:{review.id}"


async def test_an_append_rolls_back_with_the_change_it_reports(db: str) -> None:
    home = await review_seed.facility()
    with pytest.raises(RuntimeError):
        async with in_transaction() as connection:
            await stream.append("review.published", home, "review:1", {"x": 1},
                                using_db=connection)
            raise RuntimeError("the publication failed")
    assert await StreamEvent.all().count() == 0
    event = await stream.append("review.published", home, "review:1", {"x": 1})
    assert event.seq == 1


async def test_concurrent_appends_get_consecutive_numbers(db: str) -> None:
    home = await review_seed.facility()
    await asyncio.gather(*(
        stream.append("review.published", home, f"review:{n}", {"n": n}) for n in range(20)
    ))
    events = await stream.events_after(0, 100)
    assert [e["seq"] for e in events] == list(range(1, 21))
    assert (await stream.verify(events)).ok


async def test_an_unknown_kind_is_refused(db: str) -> None:
    home = await review_seed.facility()
    with pytest.raises(ValueError, match="kind"):
        await stream.append("review.deleted", home, "review:1", {})


async def test_redaction_removes_the_text_and_the_chain_still_checks(db: str) -> None:
    home = await review_seed.facility()
    kept = await review_seed.publish(home, 5, comment="Alles gut")
    gone = await review_seed.publish(home, 2, comment="Mein Name ist Erika", pseudonym="B")
    await review_seed.reply(gone, "Wir rufen Sie an.")
    await review_seed.retract(gone)
    events = await stream.events_after(0, 10)
    assert [e["payload"] is None for e in events] == [False, True, True, False]
    assert events[3] == {**events[3], "kind": "review.retracted",
                         "payload": {"review_id": gone.id}}
    assert "Erika" not in str(events)
    assert (await stream.verify(stream.stored_events())).ok
    assert (await Review.get(id=kept.id)).comment == "Alles gut"


async def test_verify_finds_an_edited_payload_in_the_table(db: str) -> None:
    home = await review_seed.facility()
    for stars in (4, 1, 5):
        await review_seed.publish(home, stars)
    edited = await StreamEvent.get(seq=2)
    assert edited.payload is not None
    edited.payload["overall"] = 5
    await edited.save()
    result = await stream.verify(stream.stored_events())
    assert (result.ok, result.broken_seq, result.reason) == (
        False, 2, "payload does not match its digest"
    )


async def test_verify_reads_the_table_page_by_page(db: str) -> None:
    home = await review_seed.facility()
    for n in range(7):
        await stream.append("review.published", home, f"review:{n}", {"n": n})
    seen = [event["seq"] async for event in stream.stored_events(page=3)]
    assert seen == list(range(1, 8))
    assert await stream.last_seq() == 7


async def test_the_served_json_text_is_the_same_events(db: str) -> None:
    home = await review_seed.facility()
    kept = await review_seed.publish(home, 4, comment='Grüße „herzlich" \\ </script>', care=5)
    gone = await review_seed.publish(home, 1, comment="Erika")
    await review_seed.reply(kept, "Danke ✓")
    await review_seed.retract(gone)
    text, seqs = await stream_pages.events_after_as_json(1, 10)
    assert json.loads(text) == await stream.events_after(1, 10)
    assert seqs == [2, 3, 4]
    assert (await stream.verify(json.loads((await stream_pages.events_after_as_json(0, 9))[0])
                                )).ok
