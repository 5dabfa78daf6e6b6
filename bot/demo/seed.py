"""The demo home "Haus Sonnenhof": seeded through the same services the bot and the CLI use.

One function per part, called in order by :func:`seed_demo`. Seeding runs once per database:
a reused ``heimbote-demo.sqlite3`` keeps what was done in it. Only the tour's invite for Anna
is made fresh at every start (the database keeps invite codes only as hashes).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.demo.cast import Cast
from bot.models import Account, ConsentGiver, Facility, RelativeLink, Resident, Role
from bot.services import joining
from bot.services.accounts import account_for
from bot.services.actors import Actor
from bot.services.facilities import create_facility, update_facility
from bot.services.invites import create_relative_invite, create_staff_invite, deep_link
from bot.services.residents import add_resident, record_consent

SLUG = "sonnenhof"
NAME = "Haus Sonnenhof"
OPERATOR = Actor.cli()

# (display name, room, unit, photo consent given by — None: no consent)
RESIDENTS: tuple[tuple[str, str, str, ConsentGiver | None], ...] = (
    ("Frau M.", "12", "Rosengarten", ConsentGiver.REPRESENTATIVE),
    ("Herr K.", "14", "Rosengarten", ConsentGiver.RESIDENT),
    ("Frau S.", "21", "Lindenhof", ConsentGiver.RESIDENT),
    ("Herr B.", "23", "Lindenhof", None),
    ("Frau T.", "25", "Lindenhof", ConsentGiver.PROXY),
)
ANNAS_RESIDENT = "Frau M."


@dataclass(frozen=True)
class DemoHome:
    """What the page needs to know about the seeded home."""

    facility_id: int
    slug: str
    name: str
    invite_link: str | None  # Anna's invite; None once she has joined


@dataclass(frozen=True)
class Staff:
    """The accounts of the home's team."""

    ben: Account
    carla: Account


async def seed_facility() -> Facility:
    """The home itself: German by default, Berlin time, a contact for families."""
    facility = await create_facility(OPERATOR, slug=SLUG, name=NAME, locale="de")
    return await update_facility(
        OPERATOR, facility.id, contact="Empfang: 030 1234 567 (8–18 Uhr)"
    )


async def seed_residents(facility: Facility) -> dict[str, Resident]:
    """Five residents in two units; four with photo consent, Herr B. without."""
    residents = {}
    for name, room, unit, consent in RESIDENTS:
        resident = await add_resident(
            OPERATOR, facility.id, display_name=name, room=room, unit=unit
        )
        if consent is not None:
            resident = await record_consent(OPERATOR, resident.id, consent)
        residents[name] = resident
    return residents


async def _join_team(facility: Facility, telegram_id: int, name: str, role: Role) -> Account:
    """A team member joins the way people do: a staff invite, accepted in the bot."""
    created = await create_staff_invite(OPERATOR, facility.id, role)
    account = await account_for(telegram_id, name)
    await joining.begin_join(account, created.code)
    await joining.accept_join(account)
    return account


async def seed_staff(facility: Facility, cast: Cast) -> Staff:
    """Carla (admin, so also approver) and Ben (care staff)."""
    carla = await _join_team(facility, cast.carla.id, cast.carla.first_name, Role.ADMIN)
    ben = await _join_team(facility, cast.ben.id, cast.ben.first_name, Role.STAFF)
    return Staff(ben=ben, carla=carla)


async def tour_invite(facility: Facility, cast: Cast) -> str | None:
    """Anna's invite link for Frau M., made by Carla; ``None`` when Anna is already linked."""
    resident = await Resident.get(facility_id=facility.id, display_name=ANNAS_RESIDENT)
    anna = await Account.get_or_none(telegram_id=cast.anna.id)
    if anna and await RelativeLink.exists(account_id=anna.id, resident=resident, active=True):
        return None
    carla = await Account.get(telegram_id=cast.carla.id)
    created = await create_relative_invite(
        Actor.of(carla, frozenset()), resident.id, uses=1, days=30
    )
    return deep_link(cast.anna.tg.bot_username, created.code)


async def seed_demo(cast: Cast) -> DemoHome:
    """Seed the home on first start; on every start, Anna's invite while she has not joined.

    Extension points, to add when the capability is merged (one function each, here):
    - photo updates (issue 5): ``await seed_photo_updates(facility, residents, staff)`` — a
      few sample photos by Ben (``sample_photos()``), one approved, one waiting for Carla;
    - reviews (issue 6): ``await seed_reviews(facility, residents)`` — relatives (accounts
      without a persona) with published ratings, so /facilities/sonnenhof has content;
    - staff group (issue 7): ``await seed_staff_group(facility, cast.staff_group, staff)`` —
      link ``cast.staff_group`` to the home as ``/linkgroup`` would.
    """
    facility = await Facility.get_or_none(slug=SLUG)
    if facility is None:
        facility = await seed_facility()
        await seed_residents(facility)
        await seed_staff(facility, cast)
    return DemoHome(
        facility_id=facility.id,
        slug=facility.slug,
        name=facility.name,
        invite_link=await tour_invite(facility, cast),
    )
