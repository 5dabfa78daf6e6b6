"""Builders for the people and places of the tests: homes, residents, relatives and the team.

Made directly with the models: the onboarding tests check how people get there, every other test
starts from here. A builder sets what its name promises and leaves every other field at the
model's default, unless the test says otherwise with a keyword.

Two kinds of builders:

* for service tests, accounts without a Telegram user: :func:`account`, :func:`relative`,
  :func:`staff`, with :func:`home`, :func:`resident`, :func:`link` and :func:`give_role`;
* for journeys, a user of the fake Telegram and their account: :func:`person`,
  :func:`team_member`, :func:`family_member`, and :func:`with_role` for a user the bot may
  already know.

Quiet hours are the model's default (21:00–08:00) unless a builder is asked for ``anytime``:
then :data:`NO_QUIET_HOURS`, and the bot's messages arrive at any time of day.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from bot.models import (
    Account,
    ConsentGiver,
    Facility,
    PhotoConsent,
    RelativeLink,
    Resident,
    Role,
    StaffRole,
)
from tests.fakes import FakeTelegram, FakeUser

# quiet_from == quiet_until: no quiet hours (a local clock time, stored as the service does).
NO_QUIET_HOURS = dt.time(0, 0, tzinfo=dt.UTC)

# Telegram ids of accounts made without a Telegram user, clear of the fake Telegram's own
# (from 700_000_001).
_telegram_ids = itertools.count(100_001)


# Places


async def home(slug: str = "linden", name: str | None = None, **fields: Any) -> Facility:
    """A care home named after its slug ("Haus Linden" for ``linden``) unless ``name`` is given."""
    return await Facility.create(slug=slug, name=name or f"Haus {slug.title()}", **fields)


async def resident(
    facility: Facility, name: str, room: str = "", *, consent: bool = False, **fields: Any
) -> Resident:
    """A resident of ``facility``; with ``consent``, photo consent given by themselves (now)."""
    if consent:
        fields.setdefault("photo_consent", PhotoConsent.GRANTED)
        fields.setdefault("consent_given_by", ConsentGiver.RESIDENT)
        fields.setdefault("consent_changed_at", dt.datetime.now(dt.UTC))
    return await Resident.create(facility=facility, display_name=name, room=room, **fields)


# People without a Telegram user (service tests)


async def account(
    name: str,
    *,
    telegram_id: int | None = None,
    locale: str | None = None,
    anytime: bool = False,
    **fields: Any,
) -> Account:
    """An account, with a fresh Telegram id unless given; without quiet hours if ``anytime``."""
    if anytime:
        fields.update(quiet_from=NO_QUIET_HOURS, quiet_until=NO_QUIET_HOURS)
    return await Account.create(
        telegram_id=next(_telegram_ids) if telegram_id is None else telegram_id,
        first_name=name, locale=locale, **fields,
    )


async def link(relative: Account, resident: Resident, **fields: Any) -> RelativeLink:
    """``relative`` linked to ``resident`` (``photo_updates``, ``active`` as keywords)."""
    return await RelativeLink.create(account=relative, resident=resident, **fields)


async def relative(
    name: str,
    *residents: Resident,
    photo_updates: bool = True,
    active: bool = True,
    telegram_id: int | None = None,
    locale: str | None = None,
    anytime: bool = False,
) -> Account:
    """An account (as :func:`account`) linked to each of ``residents``."""
    someone = await account(name, telegram_id=telegram_id, locale=locale, anytime=anytime)
    for each in residents:
        await link(someone, each, photo_updates=photo_updates, active=active)
    return someone


async def give_role(
    someone: Account, facility: Facility, role: Role, **fields: Any
) -> StaffRole:
    """``someone`` on the team of ``facility`` with ``role`` (``inbox`` as a keyword)."""
    return await StaffRole.create(account=someone, facility=facility, role=role, **fields)


async def staff(
    name: str,
    facility: Facility,
    role: Role = Role.STAFF,
    *,
    telegram_id: int | None = None,
    locale: str | None = None,
    anytime: bool = False,
) -> Account:
    """An account (as :func:`account`) with ``role`` in ``facility``."""
    someone = await account(name, telegram_id=telegram_id, locale=locale, anytime=anytime)
    await give_role(someone, facility, role)
    return someone


# People in the fake Telegram (journeys)


async def person(
    telegram: FakeTelegram,
    name: str,
    *,
    locale: str = "en",
    anytime: bool = True,
    started: bool = True,
) -> tuple[FakeUser, Account]:
    """A Telegram user and their account: by default they have started the bot (so it may write
    to them) and have no quiet hours."""
    user = telegram.user(name, language_code=locale, started=started)
    return user, await account(name, telegram_id=user.id, locale=locale, anytime=anytime)


async def team_member(
    telegram: FakeTelegram,
    facility: Facility,
    name: str,
    role: Role,
    *,
    locale: str = "en",
    anytime: bool = True,
    started: bool = True,
) -> FakeUser:
    """Someone of the care team with ``role`` in ``facility``, as :func:`person`."""
    user, someone = await person(telegram, name, locale=locale, anytime=anytime, started=started)
    await give_role(someone, facility, role)
    return user


async def family_member(
    telegram: FakeTelegram,
    name: str,
    *residents: Resident,
    photo_updates: bool = True,
    locale: str = "en",
    anytime: bool = True,
    started: bool = True,
) -> FakeUser:
    """A relative linked to each of ``residents``, as :func:`person`."""
    user, someone = await person(telegram, name, locale=locale, anytime=anytime, started=started)
    for each in residents:
        await link(someone, each, photo_updates=photo_updates)
    return user


async def with_role(user: FakeUser, facility: Facility, role: Role) -> Account:
    """The user's account (as the bot will find it, made if the bot has not yet) holding
    ``role`` in ``facility``."""
    someone, _ = await Account.get_or_create(
        telegram_id=user.id, defaults={"first_name": user.first_name}
    )
    await give_role(someone, facility, role)
    return someone
