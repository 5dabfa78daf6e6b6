"""The people of the rating tests: Haus Sonnenhof, Frau M., her daughter Anna, Carla (admin)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.models import Account, Facility, RelativeLink, Resident, Review, Role, StaffRole
from bot.services.accounts.actors import Actor
from bot.services.reviews import ratings

ANYTIME = dt.time(0, 0, tzinfo=dt.UTC)  # quiet_from == quiet_until: no quiet hours
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


async def account(telegram_id: int, name: str, locale: str = "en") -> Account:
    """An account that may receive messages at any time of day."""
    return await Account.create(
        telegram_id=telegram_id, first_name=name, locale=locale,
        quiet_from=ANYTIME, quiet_until=ANYTIME,
    )


async def relative_of(resident: Resident, telegram_id: int, name: str) -> Account:
    """A relative linked to ``resident``."""
    relative = await account(telegram_id, name)
    await RelativeLink.create(account=relative, resident=resident)
    return relative


async def sonnenhof(slug: str = "sonnenhof", first_id: int = 700_000_001) -> Home:
    """Haus Sonnenhof with Frau M., Anna (her daughter), Carla (admin) and Ben (care staff)."""
    facility = await Facility.create(slug=slug, name=f"Haus {slug.title()}")
    frau_m = await Resident.create(facility=facility, display_name="Frau Margarete M.", room="12")
    anna = await relative_of(frau_m, first_id, "Anna")
    carla = await account(first_id + 1, "Carla")
    await StaffRole.create(account=carla, facility=facility, role=Role.ADMIN)
    ben = await account(first_id + 2, "Benedikt")
    await StaffRole.create(account=ben, facility=facility, role=Role.STAFF)
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
