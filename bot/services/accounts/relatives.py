"""A relative's own controls: photo greetings per resident, quiet hours, unlinking.

Every function takes the acting account and finds the link *through* it, so a link id that
belongs to someone else is simply not found: nothing is changed for a forged button.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from bot import clock
from bot.domain.errors import InvalidInput, NotFound
from bot.models import Account, AuditEntry, RelativeLink
from bot.services.visits import stay as visit_housekeeping

QuietHours = tuple[dt.time, dt.time]

DEFAULT_QUIET_HOURS: QuietHours = (dt.time(21, 0), dt.time(8, 0))
# The choices offered as buttons; "off" means messages may arrive at any time.
QUIET_PRESETS: dict[str, QuietHours | None] = {
    "21-8": (dt.time(21, 0), dt.time(8, 0)),
    "22-7": (dt.time(22, 0), dt.time(7, 0)),
    "20-9": (dt.time(20, 0), dt.time(9, 0)),
    "off": None,
}
# Stored as from == until: an empty interval. Both empty means "never chosen": the default.
_OFF = dt.time(0, 0)


@dataclass(frozen=True)
class LinkView:
    """One of the account's residents, as its settings show it."""

    link_id: int
    resident_id: int
    resident_name: str
    facility_id: int
    facility_name: str
    photo_updates: bool


def _view(link: RelativeLink) -> LinkView:
    resident = link.resident
    return LinkView(
        link_id=link.id,
        resident_id=resident.id,
        resident_name=resident.display_name,
        facility_id=resident.facility.id,
        facility_name=resident.facility.name,
        photo_updates=link.photo_updates,
    )


async def links_of(account: Account) -> list[LinkView]:
    """The account's active links, by resident name."""
    # Every /settings screen reads this: one query, plain rows rather than three models each.
    rows = await RelativeLink.filter(account_id=account.id, active=True).values(
        "id", "photo_updates", "resident_id", "resident__display_name",
        "resident__facility_id", "resident__facility__name",
    )
    views = (
        LinkView(
            link_id=row["id"],
            resident_id=row["resident_id"],
            resident_name=row["resident__display_name"],
            facility_id=row["resident__facility_id"],
            facility_name=row["resident__facility__name"],
            photo_updates=bool(row["photo_updates"]),
        )
        for row in rows
    )
    return sorted(views, key=lambda view: view.resident_name)


async def _own_link(account: Account, link_id: int) -> RelativeLink:
    link = await RelativeLink.get_or_none(
        id=link_id, account_id=account.id, active=True
    ).select_related("resident__facility")
    if link is None:
        raise NotFound(f"link {link_id}")
    return link


async def link_of(account: Account, link_id: int) -> LinkView:
    """One of the account's own links (:class:`NotFound` for anyone else's)."""
    return _view(await _own_link(account, link_id))


async def set_photo_updates(account: Account, link_id: int, enabled: bool) -> LinkView:
    """Switch photo greetings about one resident on or off for this account."""
    link = await _own_link(account, link_id)
    link.photo_updates = enabled
    await link.save(update_fields=["photo_updates"])
    return _view(link)


async def unlink(account: Account, link_id: int) -> LinkView:
    """Remove the account's link to a resident (the row is deleted, not kept inactive)."""
    link = await _own_link(account, link_id)
    view = _view(link)
    async with in_transaction() as connection:
        await visit_housekeeping.cancel_visits_of(
            view.resident_id, connection, now=clock.now(), notify=True, relative_id=account.id)
        await link.delete(using_db=connection)
        await AuditEntry.create(
            using_db=connection,
            facility_id=view.facility_id,
            actor=account,
            action="relative.unlink",
            subject=f"resident:{view.resident_id}",
        )
    return view


def quiet_hours(account: Account) -> QuietHours | None:
    """The account's quiet hours (facility time), ``None`` when switched off."""
    if account.quiet_from is None or account.quiet_until is None:
        return DEFAULT_QUIET_HOURS
    # Stored with a UTC marker because the ORM wants aware times; they are facility wall time.
    start, end = account.quiet_from.replace(tzinfo=None), account.quiet_until.replace(tzinfo=None)
    if start == end:
        return None
    return (start, end)


def quiet_preset(account: Account) -> str | None:
    """The name of the preset the account's quiet hours match, if any."""
    current = quiet_hours(account)
    return next((name for name, hours in QUIET_PRESETS.items() if hours == current), None)


async def set_quiet_hours(account: Account, preset: str) -> QuietHours | None:
    """Choose one of :data:`QUIET_PRESETS` (:class:`InvalidInput` for anything else)."""
    if preset not in QUIET_PRESETS:
        raise InvalidInput("quiet_hours", f"unknown preset {preset!r}")
    hours = QUIET_PRESETS[preset]
    start, end = hours if hours else (_OFF, _OFF)
    account.quiet_from = start.replace(tzinfo=dt.UTC)
    account.quiet_until = end.replace(tzinfo=dt.UTC)
    await account.save(update_fields=["quiet_from", "quiet_until", "updated_at"])
    return hours
