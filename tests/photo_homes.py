"""The cast of the photo update journeys: Haus Linden, its residents, team and families.

Set up directly with the models (the onboarding journeys test how they get there). Everyone
has no quiet hours, so that the journeys do not depend on the time of day, unless a test
gives someone quiet hours on purpose.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass

from bot.models import (
    Account,
    ConsentGiver,
    Delivery,
    DeliveryState,
    Facility,
    PhotoConsent,
    RelativeLink,
    Resident,
    Role,
    StaffRole,
)
from tests.fakes import FakeTelegram, FakeUser

NO_QUIET_HOURS = dt.time(0, 0, tzinfo=dt.UTC)  # local clock time, stored as the service does


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


async def person(
    telegram: FakeTelegram, name: str, *, locale: str = "en"
) -> tuple[FakeUser, Account]:
    """A Telegram user who has started the bot, with an account without quiet hours."""
    user = telegram.user(name, language_code=locale, started=True)
    account = await Account.create(
        telegram_id=user.id, first_name=name, locale=locale,
        quiet_from=NO_QUIET_HOURS, quiet_until=NO_QUIET_HOURS,
    )
    return user, account


async def team_member(
    telegram: FakeTelegram, facility: Facility, name: str, role: Role
) -> FakeUser:
    """Someone of the care team with ``role`` in ``facility``."""
    user, account = await person(telegram, name)
    await StaffRole.create(account=account, facility=facility, role=role)
    return user


async def relative(
    telegram: FakeTelegram, name: str, *residents: Resident, photo_updates: bool = True,
    locale: str = "en",
) -> FakeUser:
    """A relative linked to ``residents``."""
    user, account = await person(telegram, name, locale=locale)
    for resident in residents:
        await RelativeLink.create(account=account, resident=resident, photo_updates=photo_updates)
    return user


async def resident(facility: Facility, name: str, room: str, *, consent: bool = True) -> Resident:
    """A resident; with photo consent given by themselves unless ``consent`` is False."""
    return await Resident.create(
        facility=facility, display_name=name, room=room,
        photo_consent=PhotoConsent.GRANTED if consent else PhotoConsent.NONE,
        consent_given_by=ConsentGiver.RESIDENT if consent else None,
        consent_changed_at=dt.datetime.now(dt.UTC) if consent else None,
    )


async def linden(telegram: FakeTelegram) -> Linden:
    """Haus Linden with Ben (staff), Carla (approver), Anna and Jonas (relatives)."""
    facility = await Facility.create(slug="linden", name="Haus Linden")
    frau_m = await resident(facility, "Frau M.", "12")
    herr_k = await resident(facility, "Herr K.", "14")
    herr_s = await resident(facility, "Herr S.", "21", consent=False)
    ben = await team_member(telegram, facility, "Ben", Role.STAFF)
    carla = await team_member(telegram, facility, "Carla", Role.APPROVER)
    anna = await relative(telegram, "Anna", frau_m)
    jonas = await relative(telegram, "Jonas", herr_k, frau_m)
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
