"""A facility's staff: who holds which role, changing and removing roles."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.transactions import in_transaction

from bot.domain.errors import InvalidInput, NotFound
from bot.models import Facility, Role, StaffRole
from bot.services.accounts import audit
from bot.services.accounts.actors import Actor, require_role
from bot.services.accounts.facilities import get_facility

_ROLE_ORDER = {Role.ADMIN: 0, Role.APPROVER: 1, Role.STAFF: 2}


async def list_staff(actor: Actor, facility_id: int) -> list[StaffRole]:
    """The facility's staff roles, admins first then by first name, accounts loaded. Admin."""
    await require_role(actor, facility_id, Role.ADMIN)
    held = await StaffRole.filter(facility_id=facility_id).prefetch_related("account")
    return sorted(
        held,
        key=lambda r: (_ROLE_ORDER[r.role], r.account.first_name.casefold(), r.account_id),
    )


@dataclass(frozen=True)
class TeamMember:
    """Someone on a home's team, as the /staff screen shows them."""

    account_id: int
    first_name: str
    role: Role
    inbox: bool  # relatives' messages also reach them in private chat


async def team_of(actor: Actor, facility_id: int) -> list[TeamMember]:
    """The facility's team in :func:`list_staff` order, as plain views. Admin."""
    return [
        TeamMember(held.account.id, held.account.first_name, held.role, held.inbox)
        for held in await list_staff(actor, facility_id)
    ]


async def _held_role(facility_id: int, account_id: int) -> StaffRole:
    """The account's role, with the facility locked (PostgreSQL) so that two admins demoting
    each other at the same moment cannot leave the facility without one."""
    await Facility.select_for_update().get(id=facility_id)
    held = await StaffRole.get_or_none(
        facility_id=facility_id, account_id=account_id
    ).prefetch_related("account", "facility")
    if held is None:
        raise NotFound(f"account {account_id} has no role in facility {facility_id}")
    return held


async def _ensure_another_admin(held: StaffRole) -> None:
    """:class:`InvalidInput` when ``held`` is the facility's last admin."""
    if held.role != Role.ADMIN:
        return
    others = await StaffRole.filter(facility_id=held.facility_id, role=Role.ADMIN).exclude(
        id=held.id
    ).count()
    if others == 0:
        raise InvalidInput("role", "the facility would have no admin left")


async def change_role(actor: Actor, facility_id: int, account_id: int, role: Role) -> StaffRole:
    """Give a staff member another role. Admin; the last admin cannot be demoted. Audited."""
    await get_facility(actor, facility_id, Role.ADMIN)
    try:
        role = Role(role)
    except ValueError:
        raise InvalidInput("role", "must be staff, approver or admin") from None
    async with in_transaction():
        held = await _held_role(facility_id, account_id)
        if held.role == role:
            return held
        if role != Role.ADMIN:
            await _ensure_another_admin(held)
        previous = held.role
        held.role = role
        await held.save(update_fields=["role"])
        await audit.record(
            actor, "staff.change_role", facility=held.facility,
            subject=f"account:{account_id}", previous=previous, role=role,
        )
    return held


async def remove_staff(actor: Actor, facility_id: int, account_id: int) -> None:
    """Take away an account's role in a facility. Admin; not the last admin. Audited."""
    await get_facility(actor, facility_id, Role.ADMIN)
    async with in_transaction():
        held = await _held_role(facility_id, account_id)
        await _ensure_another_admin(held)
        await held.delete()
        await audit.record(
            actor, "staff.remove", facility=held.facility,
            subject=f"account:{account_id}", role=held.role,
        )
