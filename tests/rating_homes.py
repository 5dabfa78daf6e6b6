"""The people of the rating tests: Haus Sonnenhof, Frau M., her daughter Anna, Carla (admin)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.models import Account, Facility, Resident, Review, Role
from bot.services.accounts.actors import Actor
from bot.services.reviews import ratings
from tests import factories

MODERATOR_ID = 900_000_001


@dataclass
class Home:
    """A home with one resident, a relative, an admin and a care worker."""

    facility: Facility
    frau_m: Resident
    anna: Account
    carla: Account  # the home's admin
    ben: Account  # care staff

    @property
    def admin(self) -> Actor:
        """Carla, acting in Telegram."""
        return Actor(self.carla)


async def relative_of(resident: Resident, telegram_id: int, name: str) -> Account:
    """A relative linked to ``resident``, who may receive messages at any time of day."""
    return await factories.relative(
        name, resident, telegram_id=telegram_id, locale="en", anytime=True
    )


async def sonnenhof(slug: str = "sonnenhof", first_id: int = 700_000_001) -> Home:
    """Haus Sonnenhof with Frau M., Anna (her daughter), Carla (admin) and Ben (care staff)."""
    facility = await factories.home(slug)
    frau_m = await factories.resident(facility, "Frau Margarete M.", "12")
    anna = await relative_of(frau_m, first_id, "Anna")
    carla = await factories.staff(
        "Carla", facility, Role.ADMIN, telegram_id=first_id + 1, locale="en", anytime=True
    )
    ben = await factories.staff(
        "Benedikt", facility, Role.STAFF, telegram_id=first_id + 2, locale="en", anytime=True
    )
    return Home(facility, frau_m, anna, carla, ben)


async def rate(
    who: Account,
    facility: Facility,
    overall: int,
    *,
    categories: dict[str, int] | None = None,
    comment: str = "",
    public: bool = True,
    share_comment: bool = True,
    now: dt.datetime | None = None,
    moderators: tuple[int, ...] = (MODERATOR_ID,),
) -> Review:
    """Go through the draft as the Telegram flow does, then send it."""
    draft = await ratings.start(who, facility.id, now)
    ratings.with_overall(draft, overall)
    for category, stars in (categories or {}).items():
        ratings.with_category(draft, category, stars)
    ratings.with_comment(draft, comment)
    draft.public = public
    draft.share_comment = share_comment
    await ratings.save_draft(who, draft)
    return await ratings.submit(who, moderators, now)
