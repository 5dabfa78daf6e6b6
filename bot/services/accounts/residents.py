"""Residents: who lives in a facility, their photo consent, the end of their stay.

Adding many at once from a spreadsheet is in :mod:`bot.services.accounts.resident_import`
(re-exported here as :func:`import_residents`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from bot import clock
from bot.delivery.outbox import Outgoing, Recipient, enqueue
from bot.domain.errors import InvalidInput, NotFound
from bot.i18n import translator
from bot.models import (
    ConsentGiver,
    Facility,
    Invite,
    PhotoConsent,
    RelativeLink,
    Resident,
    ResidentStatus,
    Role,
)
from bot.services.accounts import audit
from bot.services.accounts.accounts import locale_of
from bot.services.accounts.actors import Actor, require_role
from bot.services.accounts.facilities import get_facility
from bot.services.accounts.resident_fields import (
    unit_named,
    valid_resident_name,
    valid_room,
    valid_unit,
)
from bot.services.accounts.resident_import import import_residents as import_residents
from bot.services.photo_updates import housekeeping as photo_housekeeping
from bot.services.visits import stay as visit_housekeeping

END_OF_STAY = "end_of_stay"  # the outbox purpose of the notices to the relatives


async def add_resident(
    actor: Actor, facility_id: int, *, display_name: str, room: str = "", unit: str | None = None
) -> Resident:
    """A new resident; the unit is created by name when new. Needs the admin role. Audited."""
    facility = await get_facility(actor, facility_id, Role.ADMIN)
    display_name = valid_resident_name(display_name)
    room = valid_room(room)
    unit_name = valid_unit(unit)
    async with in_transaction():
        resident = await Resident.create(
            facility=facility,
            unit=await unit_named(facility.id, unit_name),
            display_name=display_name,
            room=room,
        )
        await audit.record(
            actor, "resident.add", facility=facility, subject=f"resident:{resident.id}"
        )
    return resident


async def get_resident(actor: Actor, resident_id: int, minimum: Role = Role.STAFF) -> Resident:
    """The resident (unit and facility loaded), if the actor holds ``minimum`` in its facility."""
    resident = await Resident.get_or_none(id=resident_id).prefetch_related("unit", "facility")
    if resident is None:
        raise NotFound(f"no resident {resident_id}")
    await require_role(actor, resident.facility_id, minimum)
    return resident


@dataclass(frozen=True)
class ResidentCard:
    """A resident as the admin's card shows them, with their home's name and time zone."""

    id: int
    facility_id: int
    facility_name: str
    timezone: str
    display_name: str
    room: str
    unit: str | None
    status: ResidentStatus
    photo_consent: PhotoConsent
    consent_given_by: ConsentGiver | None
    consent_changed_at: dt.datetime | None


async def resident_card(actor: Actor, resident_id: int, minimum: Role = Role.ADMIN) -> ResidentCard:
    """The resident's card, if the actor holds ``minimum`` (admin unless said) in its facility."""
    resident = await get_resident(actor, resident_id, minimum)
    facility: Facility = resident.facility
    return ResidentCard(
        id=resident.id,
        facility_id=facility.id,
        facility_name=facility.name,
        timezone=facility.timezone,
        display_name=resident.display_name,
        room=resident.room,
        unit=resident.unit.name if resident.unit is not None else None,
        status=resident.status,
        photo_consent=resident.photo_consent,
        consent_given_by=resident.consent_given_by,
        consent_changed_at=resident.consent_changed_at,
    )


async def list_residents(
    actor: Actor,
    facility_id: int,
    *,
    search: str = "",
    include_inactive: bool = False,
    offset: int = 0,
    limit: int = 10,
) -> tuple[list[Resident], int]:
    """One page of a facility's residents by name, and how many there are in all.

    ``search`` matches part of the name or the room, ignoring case. Needs the staff role.
    """
    await require_role(actor, facility_id, Role.STAFF)
    query = Resident.filter(facility_id=facility_id)
    if not include_inactive:
        query = query.filter(status=ResidentStatus.ACTIVE)
    search = search.strip()
    if search:
        query = query.filter(Q(display_name__icontains=search) | Q(room__icontains=search))
    total = await query.count()
    page = (
        await query.order_by("display_name", "id")
        .offset(max(offset, 0))
        .limit(max(limit, 1))
        .prefetch_related("unit")
    )
    return list(page), total


async def update_resident(
    actor: Actor,
    resident_id: int,
    *,
    display_name: str | None = None,
    room: str | None = None,
    unit: str | None = None,
) -> Resident:
    """Change name, room or unit (``None`` keeps it; an empty unit removes it). Admin. Audited."""
    resident = await get_resident(actor, resident_id, Role.ADMIN)
    changed: list[str] = []
    if display_name is not None:
        resident.display_name = valid_resident_name(display_name)
        changed.append("display_name")
    if room is not None:
        resident.room = valid_room(room)
        changed.append("room")
    async with in_transaction():
        if unit is not None:
            resident.unit = await unit_named(resident.facility_id, valid_unit(unit))
            changed.append("unit_id")
        if changed:
            await resident.save(update_fields=changed)
            await audit.record(
                actor, "resident.update", facility=resident.facility,
                subject=f"resident:{resident.id}", fields=[f.removesuffix("_id") for f in changed],
            )
    return resident


async def record_consent(actor: Actor, resident_id: int, given_by: ConsentGiver) -> Resident:
    """Record photo consent, given by the resident or their representative or proxy.

    Keeps who gave it, when, and who recorded it. Needs the admin role. Audited.
    """
    resident = await get_resident(actor, resident_id, Role.ADMIN)
    if resident.status != ResidentStatus.ACTIVE:
        raise InvalidInput("resident", "no longer lives in the facility")
    resident.photo_consent = PhotoConsent.GRANTED
    resident.consent_given_by = ConsentGiver(given_by)
    resident.consent_changed_at = clock.now()
    resident.consent_recorded_by = actor.account
    async with in_transaction():
        await resident.save(update_fields=_CONSENT_FIELDS)
        await audit.record(
            actor, "consent.grant", facility=resident.facility, subject=f"resident:{resident.id}",
            given_by=given_by,
        )
    return resident


_CONSENT_FIELDS = [
    "photo_consent", "consent_given_by", "consent_changed_at", "consent_recorded_by_id"
]


async def withdraw_consent(actor: Actor, resident_id: int) -> Resident:
    """Withdraw photo consent: from now on no photo of the resident is relayed. Admin. Audited."""
    resident = await get_resident(actor, resident_id, Role.ADMIN)
    if resident.photo_consent != PhotoConsent.GRANTED:
        raise InvalidInput("consent", "there is no photo consent to withdraw")
    previous = resident.consent_given_by
    resident.photo_consent = PhotoConsent.WITHDRAWN
    resident.consent_given_by = None
    resident.consent_changed_at = clock.now()
    resident.consent_recorded_by = actor.account
    async with in_transaction() as connection:
        await resident.save(update_fields=_CONSENT_FIELDS, using_db=connection)
        rejected = await photo_housekeeping.on_consent_withdrawn(resident.id, using_db=connection)
        await audit.record(
            actor, "consent.withdraw", facility=resident.facility,
            subject=f"resident:{resident.id}", given_by=previous,
            photo_updates_rejected=rejected,
        )
    return resident


async def end_stay(
    actor: Actor, resident_id: int, status: ResidentStatus, *, notify_relatives: bool
) -> list[RelativeLink]:
    """A resident moved out or died: links end and the resident's open invites are revoked.

    With ``notify_relatives``, each relative gets a short, respectful notice in their own
    language through the outbox, written in the same transaction: the stay never ends without
    them. Returns the links that were active (accounts loaded). Needs the admin role. Audited.
    """
    if status not in (ResidentStatus.MOVED_OUT, ResidentStatus.DECEASED):
        raise InvalidInput("status", "must be moved_out or deceased")
    resident = await get_resident(actor, resident_id, Role.ADMIN)
    if resident.status != ResidentStatus.ACTIVE:
        raise InvalidInput("resident", "the stay has already ended")
    now = clock.now()
    async with in_transaction() as connection:
        links = await RelativeLink.filter(resident_id=resident.id, active=True).using_db(
            connection
        ).prefetch_related("account")
        await RelativeLink.filter(resident_id=resident.id, active=True).using_db(
            connection
        ).update(active=False, emergency_contact=False)  # a new stay asks again
        revoked = await Invite.filter(
            resident_id=resident.id, revoked_at__isnull=True
        ).using_db(connection).update(revoked_at=now)
        resident.status = status
        await resident.save(update_fields=["status"], using_db=connection)
        closed = await photo_housekeeping.on_stay_ended(resident.id, using_db=connection)
        visits_cancelled = await visit_housekeeping.cancel_visits_of(
            resident.id, connection, now=now, notify=notify_relatives)
        if notify_relatives:
            await _notify_relatives(resident, list(links), connection)
        await audit.record(
            actor, "resident.end_stay", facility=resident.facility,
            subject=f"resident:{resident.id}", status=status, links_ended=len(links),
            invites_revoked=revoked, notify_relatives=notify_relatives,
            photo_updates_closed=closed, visits_cancelled=visits_cancelled,
        )
    for link in links:
        link.active = False
    return list(links)


def farewell(locale: str, home: str, name: str, status: ResidentStatus) -> str:
    """The short, respectful notice a relative receives, in their own language."""
    tr = translator(locale)
    if status == ResidentStatus.DECEASED:
        text = tr._(
            "With deep sympathy: {name} has passed away. Everyone at {home} is very sorry for "
            "your loss. You will no longer receive news about {name} here."
        )
    else:
        text = tr._(
            "{home} lets you know that {name} has moved out. You will no longer receive "
            "news about {name} here. Thank you for your trust, and all the best."
        )
    return text.format(home=home, name=name)


async def _notify_relatives(
    resident: Resident, links: list[RelativeLink], connection: BaseDBAsyncClient
) -> None:
    """Put a notice to every relative whose link ends into the outbox, each in their language.

    Through the outbox: it keeps Telegram's limits and the relatives' quiet hours, and survives
    a restart.
    """
    facility: Facility = resident.facility
    by_locale: dict[str, list[Recipient]] = defaultdict(list)
    for link in links:
        account = link.account
        locale = locale_of(account, None, facility.default_locale)
        by_locale[locale].append(Recipient(account.telegram_id, account, facility.timezone))
    for locale, recipients in by_locale.items():
        await enqueue(
            recipients,
            Outgoing.text(farewell(locale, facility.name, resident.display_name, resident.status)),
            purpose=END_OF_STAY,
            reference=f"resident:{resident.id}",
            using_db=connection,
        )
