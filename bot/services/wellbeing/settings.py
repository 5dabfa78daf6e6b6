"""A home's settings for wellbeing notes: on or off, its activities, and who is left out.

The home may switch notes off for the whole home, for one resident, or for one relative's
link. Changes need the admin role and are audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.transactions import in_transaction

from bot.domain.errors import InvalidInput, NotFound
from bot.domain.text import check_name
from bot.i18n import N_
from bot.models import (
    Facility,
    RelativeLink,
    Resident,
    Role,
    WellbeingConsent,
    WellbeingResident,
    WellbeingSetup,
)
from bot.services.accounts import audit
from bot.services.accounts.actors import Actor, require_role

# The built-in activities: stored by key, shown in the reader's language.
BUILT_IN_ACTIVITIES: dict[str, str] = {
    "walk": N_("walk"),
    "singing": N_("singing circle"),
    "visit": N_("visit"),
    "rested": N_("rested"),
}
DEFAULT_ACTIVITIES = tuple(BUILT_IN_ACTIVITIES)
MAX_ACTIVITIES = 8
ACTIVITY_MAX = 40


@dataclass(frozen=True)
class HomeSettings:
    """A home's wellbeing settings, as the CLI and the admin screens show them."""

    facility_slug: str
    notes_enabled: bool
    activities: tuple[str, ...]
    residents_off: tuple[str, ...]


async def setup_of(facility_id: int) -> WellbeingSetup:
    """The home's settings row (made with the defaults on first use)."""
    setup, _ = await WellbeingSetup.get_or_create(
        facility_id=facility_id, defaults={"activities": list(DEFAULT_ACTIVITIES)}
    )
    return setup


def activities_of(setup: WellbeingSetup) -> tuple[str, ...]:
    """The home's activities in their order (the defaults when none are set)."""
    return tuple(str(a) for a in setup.activities) or DEFAULT_ACTIVITIES


def parse_activities(text: str) -> list[str]:
    """"walk, Gedächtnistraining": 1 to 8 activities, each up to 40 characters."""
    items = [check_name(item, "activities") for item in text.split(",") if item.strip()]
    if not 1 <= len(items) <= MAX_ACTIVITIES or any(len(i) > ACTIVITY_MAX for i in items):
        raise InvalidInput("activities", "1 to 8 activities of up to 40 characters")
    return list(dict.fromkeys(items))


async def home_settings(
    actor: Actor, facility_id: int, minimum: Role = Role.STAFF
) -> HomeSettings:
    """The home's settings (staff and more may read them, unless ``minimum`` says)."""
    await require_role(actor, facility_id, minimum)
    facility = await Facility.get(id=facility_id)
    setup = await setup_of(facility_id)
    off = await Resident.filter(
        facility_id=facility_id, wellbeing__notes_enabled=False
    ).order_by("display_name").values_list("display_name", flat=True)
    return HomeSettings(facility.slug, setup.notes_enabled, activities_of(setup),
                        tuple(str(name) for name in off))


async def update_settings(
    actor: Actor, facility_id: int, *, notes: bool | None = None,
    activities: list[str] | None = None,
) -> HomeSettings:
    """Switch notes on or off for the home, and set its activities. Admin. Audited."""
    await require_role(actor, facility_id, Role.ADMIN)
    facility = await Facility.get(id=facility_id)
    setup = await setup_of(facility_id)
    if notes is not None:
        setup.notes_enabled = notes
    if activities is not None:
        setup.activities = activities
    async with in_transaction():
        await setup.save()
        await audit.record(actor, "wellbeing.settings", facility=facility,
                           notes=setup.notes_enabled, activities=list(activities_of(setup)))
    return await home_settings(actor, facility_id)


async def set_resident_notes(actor: Actor, resident_id: int, enabled: bool) -> Resident:
    """Switch notes about one resident on or off. Admin of the resident's home. Audited."""
    resident = await Resident.get_or_none(id=resident_id).select_related("facility")
    if resident is None:
        raise NotFound(f"resident {resident_id}")
    await require_role(actor, resident.facility_id, Role.ADMIN)
    async with in_transaction():
        row, _ = await WellbeingResident.get_or_create(resident_id=resident.id)
        row.notes_enabled = enabled
        await row.save()
        await audit.record(actor, "wellbeing.resident", facility=resident.facility,
                           subject=f"resident:{resident.id}", notes=enabled)
    return resident


async def resident_notes_enabled(resident_id: int) -> bool:
    """Whether the home writes notes about this resident."""
    row = await WellbeingResident.get_or_none(resident_id=resident_id)
    return row is None or row.notes_enabled


async def set_link_notes(actor: Actor, link_id: int, enabled: bool) -> RelativeLink:
    """Switch notes off (or on again) for one relative's link. Admin of the home. Audited."""
    link = await RelativeLink.get_or_none(id=link_id).select_related("resident__facility")
    if link is None:
        raise NotFound(f"link {link_id}")
    await require_role(actor, link.resident.facility_id, Role.ADMIN)
    async with in_transaction():
        row, _ = await WellbeingConsent.get_or_create(link_id=link.id)
        row.home_enabled = enabled
        await row.save(update_fields=["home_enabled"])
        await audit.record(actor, "wellbeing.link", facility=link.resident.facility,
                           subject=f"link:{link.id}", notes=enabled)
    return link


@dataclass(frozen=True)
class LinkNotes:
    """One relative's link as the operator sees it: consent, and the home's switch."""

    link_id: int
    resident: str
    relative: str
    opted_in: bool
    consent_changed_at: str | None
    home_enabled: bool


async def links_overview(actor: Actor, facility_id: int) -> list[LinkNotes]:
    """Every active link of the home with its wellbeing consent and switch. Admin."""
    await require_role(actor, facility_id, Role.ADMIN)
    links = await RelativeLink.filter(
        resident__facility_id=facility_id, active=True
    ).select_related("resident", "account").order_by("resident__display_name", "id")
    rows = {row.link_id: row for row in await WellbeingConsent.filter(
        link_id__in=[link.id for link in links])}
    views = []
    for link in links:
        row = rows.get(link.id)
        views.append(LinkNotes(
            link.id, link.resident.display_name, link.account.first_name,
            bool(row and row.opted_in),
            row.changed_at.isoformat() if row and row.changed_at else None,
            row is None or row.home_enabled,
        ))
    return views


async def notes_about(actor: Actor, resident_id: int) -> bool:
    """Whether the home writes notes about this resident (for the admin's card). Admin."""
    resident = await Resident.get_or_none(id=resident_id)
    if resident is None:
        raise NotFound(f"resident {resident_id}")
    await require_role(actor, resident.facility_id, Role.ADMIN)
    return await resident_notes_enabled(resident.id)
