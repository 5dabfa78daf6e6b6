"""Journey: nothing personal is kept longer than needed, and Heimbote says how long.

Carla chooses how long Haus Linden keeps conversations; Anna's /mydata tells her; Mallory's
wrong invitation codes keep the door locked even after she has deleted her data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from bot.app import Heimbote
from bot.models import Facility, Invite, InviteKind, RelativeLink, Role
from bot.services.onboarding.invite_codes import code_hash
from tests import factories
from tests.fakes import FakeTelegram

StartBot = Callable[..., Awaitable[Heimbote]]
CODE = "ABCDEFGHJKMN"


async def test_carla_chooses_how_long_conversations_are_kept(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    linden = await factories.home("linden")
    carla = await factories.team_member(telegram, linden, "Carla", Role.ADMIN)

    await carla.send("/facility")
    await carla.wait_for("Settings of Haus Linden")
    await carla.press("💬 Messages from relatives")
    screen = await carla.wait_for("Messages from relatives – Haus Linden")
    assert ("Conversations are deleted with their messages 365 days after the last message."
            in screen.text)
    await carla.press("− kept")
    await carla.wait_for("deleted with their messages 180 days after")
    await carla.press("+ kept")
    await carla.wait_for("deleted with their messages 365 days after")
    await carla.press("+ kept")
    await carla.wait_for("deleted with their messages 730 days after")
    await carla.press("+ kept")
    longest = await carla.wait_for("deleted with their messages 1095 days after")
    assert "− kept" in longest.button_texts and "+ kept" not in longest.button_texts
    assert (await Facility.get(id=linden.id)).conversation_retention_days == 1095


async def test_anna_reads_in_her_data_how_long_it_is_kept(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    linden = await factories.home("linden", conversation_retention_days=90)
    mother = await factories.resident(linden, "Frau M.")
    anna = await factories.family_member(telegram, "Anna", mother, locale="de")

    await anna.send("/mydata")
    sent = await anna.wait_for(lambda m: m.document is not None)

    caption = sent.caption
    assert "Haus Linden löscht Gespräche 90 Tage nach der letzten Nachricht." in caption
    assert "Die Texte der Nachrichten, die ich verschickt habe, werden nach 30 Tagen" in caption


async def test_deleting_her_data_does_not_give_mallory_new_guesses(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    sonnenhof = await factories.home("sonnenhof")
    frau_m = await factories.resident(sonnenhof, "Frau M.")
    await Invite.create(
        code_hash=code_hash(CODE), kind=InviteKind.RELATIVE, facility=sonnenhof, resident=frau_m,
        max_uses=1, expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=14),
    )
    mallory = telegram.user("Mallory", language_code="en")
    for guess in ("AAAAAAAAAAAA", "BBBBBBBBBBBB", "CCCCCCCCCCCC", "DDDDDDDDDDDD",
                  "EEEEEEEEEEEE"):
        await mallory.send(guess)
        await mallory.wait_for("this code does not work")

    await mallory.send("/deleteme")
    await mallory.wait_for("Shall I delete everything about you?")
    await mallory.press("Yes, delete everything")
    await mallory.wait_for("Everything about you has been deleted. Goodbye!")

    await mallory.send(f"/start {CODE}")  # even the right code
    await mallory.wait_for("That was too many wrong codes.")
    assert not await RelativeLink.exists()
