"""The cast of the photo update journeys: Haus Linden, its residents, team and families.

Made with :mod:`tests.factories`. Everyone has no quiet hours, so that the journeys do not
depend on the time of day, unless a test gives someone quiet hours on purpose.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bot.models import Delivery, DeliveryState, Facility, Resident, Role
from tests import factories
from tests.fakes import FakeTelegram, FakeUser


@dataclass
class Linden:
    """Haus Linden: Frau M. and Herr K. (photo consent), Herr S. (none), and the people."""

    facility: Facility
    frau_m: Resident
    herr_k: Resident
    herr_s: Resident
    ben: FakeUser  # staff
    carla: FakeUser  # approver
    anna: FakeUser  # Frau M.'s daughter
    jonas: FakeUser  # Herr K.'s son, and Frau M.'s too


async def linden(telegram: FakeTelegram) -> Linden:
    """Haus Linden with Ben (staff), Carla (approver), Anna and Jonas (relatives)."""
    facility = await factories.home("linden")
    frau_m = await factories.resident(facility, "Frau M.", "12", consent=True)
    herr_k = await factories.resident(facility, "Herr K.", "14", consent=True)
    herr_s = await factories.resident(facility, "Herr S.", "21")
    ben = await factories.team_member(telegram, facility, "Ben", Role.STAFF)
    carla = await factories.team_member(telegram, facility, "Carla", Role.APPROVER)
    anna = await factories.family_member(telegram, "Anna", frau_m)
    jonas = await factories.family_member(telegram, "Jonas", herr_k, frau_m)
    return Linden(facility, frau_m, herr_k, herr_s, ben, carla, anna, jonas)


async def post(
    user: FakeUser, residents: list[str], *, photos: int = 1, caption: str | None = None
) -> None:
    """``user`` posts ``photos`` photos of ``residents`` and submits them for approval."""
    if photos == 1:
        await user.send_photo()
    else:
        await user.send_album(photos)
    await user.wait_for("Who is in")
    for name in residents:
        await user.press(name)
        await user.wait_for(lambda m, name=name: f"✅ {name}" in " ".join(m.button_texts))
    await user.press("Done")
    await user.wait_for("caption")
    if caption is None:
        await user.press("Skip")
    else:
        await user.send(caption)
    await user.wait_for("Preview")
    await user.press("Submit")
    await user.wait_for("Waiting for approval")


async def all_sent(purpose: str, timeout: float = 10.0) -> None:
    """Wait until every outbox row of ``purpose`` is sent and recorded as sent."""
    unsent = Delivery.filter(purpose=purpose).exclude(state=DeliveryState.SENT)
    async with asyncio.timeout(timeout):
        # The sender writes its outcome to the database, which has no event to wait on.
        while await unsent.exists():  # noqa: ASYNC110
            await asyncio.sleep(0.05)
