"""Albums too large to post: refused once, whichever process receives their later parts."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from bot.app import Heimbote
from bot.models import PhotoUpdate
from handlers.photo.posting import ALBUM_WAIT
from tests.fakes import FakeTelegram
from tests.photo_homes import linden

StartBot = Callable[..., Awaitable[Heimbote]]


async def test_the_parts_after_a_refused_albums_eleventh_photo_start_nothing(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    ben = (await linden(telegram)).ben

    await ben.send_album(13)
    refusal = await ben.wait_for("A photo update can have at most 10 photos.")
    await asyncio.sleep(ALBUM_WAIT + 0.5)  # long enough for a question that must not come
    assert await PhotoUpdate.all().count() == 0
    assert [m.text for m in ben.messages] == [refusal.text]  # refused once, not restarted

    await ben.send("Hallo")  # the refusal does not wait for anything typed
    await ben.wait_for("I work with buttons and commands.")
