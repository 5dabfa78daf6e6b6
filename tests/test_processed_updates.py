"""Update ids claimed together (one write for concurrent webhook requests): each still once."""

from __future__ import annotations

import asyncio

from bot.delivery.updates import UpdateClaims, claim_update, claim_updates
from bot.models import ProcessedUpdate


async def recorded() -> list[int]:
    return sorted(await ProcessedUpdate.all().values_list("update_id", flat=True))


async def test_fresh_ids_are_claimed_together_with_the_time_they_came(db: str) -> None:
    assert await claim_updates([10, 11, 12]) == [True, True, True]
    assert await recorded() == [10, 11, 12]
    assert all(u.processed_at is not None for u in await ProcessedUpdate.all())


async def test_an_id_recorded_before_is_refused_and_the_others_still_claimed(db: str) -> None:
    assert await claim_update(11)
    assert await claim_updates([10, 11, 12]) == [True, False, True]
    assert await recorded() == [10, 11, 12]


async def test_an_id_given_twice_in_one_batch_is_claimed_once(db: str) -> None:
    assert await claim_updates([7, 8, 7]) == [True, True, False]
    assert await claim_updates([9, 9]) == [True, False]
    assert await recorded() == [7, 8, 9]


async def test_concurrent_claims_hand_each_id_on_once(db: str) -> None:
    claims = UpdateClaims()
    assert await claims.claim(1)
    ids = [2, 3, 1, 4, 3, 5, 2, 6]  # 1 was claimed before; 2 and 3 arrive twice at once
    answers = await asyncio.gather(*(claims.claim(update_id) for update_id in ids))
    assert sorted(i for i, claimed in zip(ids, answers, strict=True) if claimed) == [2, 3, 4, 5, 6]
    assert await recorded() == [1, 2, 3, 4, 5, 6]
    assert not await claims.claim(6)
