"""The demo home "Haus Sonnenhof": seeded through the same services the bot and the CLI use.

One function per part, called in order by :func:`seed_demo`, before the bot starts (so its
outbox sender sends only what the seed leaves pending). Seeding runs once per database: a
reused ``heimbote-demo.sqlite3`` keeps what was done in it. Only the tour's invite for Anna is
made fresh at every start (the database keeps invite codes only as hashes), and the seeded
photos are put back into the stand-in for Telegram (it keeps files only in memory).

Nobody in the demo has quiet hours, so photo updates arrive at any time of day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot import clock
from bot.demo.cast import Cast
from bot.demo.seed_reviews import seed_reviews
from bot.demo.seed_visits import seed_visits
from bot.models import (
    Account,
    ConsentGiver,
    Delivery,
    DeliveryState,
    Facility,
    RelativeLink,
    Resident,
    Role,
)
from bot.sandbox.telegram import FakeGroup, FakeTelegram, FakeUser
from bot.sandbox.telegram.sample_media import sample_photos
from bot.services.accounts.accounts import account_for, choose_locale
from bot.services.accounts.actors import Actor
from bot.services.accounts.facilities import create_facility, update_facility
from bot.services.accounts.residents import add_resident, record_consent
from bot.services.conversations import setup as conversation_setup
from bot.services.events import NewEvent, create_event
from bot.services.onboarding import joining
from bot.services.onboarding.invites import create_relative_invite, create_staff_invite, deep_link
from bot.services.photo_updates import drafts as photo_drafts
from bot.services.photo_updates import updates as photo_updates
from bot.services.photo_updates.texts import PURPOSES, note_reference, photos_reference

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
NO_QUIET_HOURS = dt.time(0, 0, tzinfo=dt.UTC)  # from == until: none (stored as the service does)

# Ben's earlier photo updates: (sample photo, residents, caption, approved by Carla?)
PHOTO_UPDATES: tuple[tuple[str, tuple[str, ...], str, bool], ...] = (
    ("flowers", ("Frau S.",), "Frau S. hat heute Tulpen gepflanzt 🌷", True),
    ("music", ("Herr K.", "Frau T."), "Singkreis am Nachmittag 🎶", False),
)


def sample_file_id(name: str) -> str:
    """The Telegram file id of a seeded sample photo (the same at every start)."""
    return f"AgACAgIAAxkBAAdemo-{name}"


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


async def _join_team(facility: Facility, user: FakeUser, role: Role) -> Account:
    """A team member joins the way people do: a staff invite, their language, accepted."""
    created = await create_staff_invite(OPERATOR, facility.id, role)
    account = await account_for(user.id, user.first_name)
    await joining.begin_join(account, created.code)
    await choose_locale(account, user.language_code or facility.default_locale)
    await joining.accept_join(account)
    return account


async def seed_staff(facility: Facility, cast: Cast) -> Staff:
    """Carla (admin, so also approver) and Ben (care staff), in their Telegram's language."""
    carla = await _join_team(facility, cast.carla, Role.ADMIN)
    ben = await _join_team(facility, cast.ben, Role.STAFF)
    return Staff(ben=ben, carla=carla)


async def without_quiet_hours(*people: Account) -> None:
    """No quiet hours: what the demo sends arrives at once, at any time of day."""
    for account in people:
        account.quiet_from = account.quiet_until = NO_QUIET_HOURS
        await account.save(update_fields=["quiet_from", "quiet_until"])


def register_sample_photos(tg: FakeTelegram) -> None:
    """Put the seeded photos into the stand-in for Telegram, under the ids the database has."""
    for photo in sample_photos():
        tg.files.add("photo", photo.content, file_id=sample_file_id(photo.name))


async def _forget_deliveries(update_id: int) -> None:
    """The history of a seeded update is not sent again: Carla decided on it long ago."""
    references = [str(update_id), photos_reference(update_id), note_reference(update_id)]
    await Delivery.filter(
        purpose__in=PURPOSES, reference__in=references, state=DeliveryState.PENDING
    ).update(state=DeliveryState.SKIPPED, last_error="demo: seeded history")


async def seed_photo_updates(facility: Facility, staff: Staff) -> None:
    """Ben's earlier photo updates through the real services: one approved, one waiting.

    The one waiting goes to Carla for approval when the bot starts (her chat shows it).
    """
    ben = Actor.of(staff.ben, frozenset())
    carla = Actor.of(staff.carla, frozenset())
    for photo, names, caption, approved in PHOTO_UPDATES:
        draft = await photo_drafts.start_draft(ben, facility.id, sample_file_id(photo))
        for name in names:
            resident = await Resident.get(facility_id=facility.id, display_name=name)
            await photo_drafts.toggle_resident(ben, draft.id, resident.id)
        await photo_drafts.set_caption(ben, draft.id, caption)
        await photo_updates.submit(ben, draft.id)
        if approved:
            await photo_updates.approve(carla, draft.id)
            await _forget_deliveries(draft.id)


async def seed_staff_group(facility: Facility, group: FakeGroup, staff: Staff) -> None:
    """Link "Team Sonnenhof" as the home's staff group, as Carla's /linkgroup there would."""
    await conversation_setup.link_group(
        Actor.of(staff.carla, frozenset()), facility.id,
        chat_id=group.id, title=group.title, is_forum=False,
    )


async def seed_emergency_contact(facility: Facility, anna: Account) -> None:
    """Anna is Frau M.'s emergency contact, as the family told the home when Frau M. moved in:
    her link waits, flagged and not yet active, until she joins with the tour's invite (joining
    makes it active), so that Carla's "please call us" (/callus) reaches her."""
    resident = await Resident.get(facility_id=facility.id, display_name=ANNAS_RESIDENT)
    await RelativeLink.create(account=anna, resident=resident, active=False,
                              emergency_contact=True)
async def seed_summer_party(facility: Facility, staff: Staff) -> None:
    """Carla's summer party: a Saturday afternoon at least two weeks ahead, in the garden,
    for residents with their relatives, in the home's public calendar."""
    today = clock.now().astimezone(ZoneInfo(facility.timezone)).date()
    day = today + dt.timedelta(days=14 + (5 - today.weekday()) % 7)
    start = dt.datetime.combine(day, dt.time(15), ZoneInfo(facility.timezone))
    await create_event(Actor.of(staff.carla, frozenset()), facility.id, NewEvent(
        title="Sommerfest", description="Mit Kaffee, Kuchen und dem Singkreis. Familien "
        "sind herzlich eingeladen!", starts_at=start, ends_at=start + dt.timedelta(hours=3),
        place="Garten (bei Regen im Speisesaal)", capacity=40, public=True,
    ))


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


async def seed_moderator(cast: Cast) -> None:
    """Mira, the platform's moderator, in her Telegram's language (also in an older demo
    database: she came later)."""
    user = cast.moderator
    mira = await account_for(user.id, user.first_name)
    await choose_locale(mira, user.language_code or "de")
    await without_quiet_hours(mira)


async def seed_demo(cast: Cast) -> DemoHome:
    """Seed the home on first start; on every start, Anna's invite while she has not joined."""
    register_sample_photos(cast.anna.tg)
    facility = await Facility.get_or_none(slug=SLUG)
    if facility is None:
        facility = await seed_facility()
        await seed_residents(facility)
        staff = await seed_staff(facility, cast)
        anna = await account_for(cast.anna.id, cast.anna.first_name)  # joins later
        await without_quiet_hours(staff.ben, staff.carla, anna)
        await seed_photo_updates(facility, staff)
        await seed_staff_group(facility, cast.staff_group, staff)
        await seed_reviews(facility, cast, staff.carla)
        await seed_emergency_contact(facility, anna)
        await seed_visits(facility)
        await seed_summer_party(facility, staff)
    await seed_moderator(cast)
    return DemoHome(
        facility_id=facility.id,
        slug=facility.slug,
        name=facility.name,
        invite_link=await tour_invite(facility, cast),
    )
