"""Who is acting: an account in Telegram, a platform admin, or the operator at the command line.

Every service that changes something takes an :class:`Actor` and checks its role from the
database itself; the edge only says who the actor is.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.errors import NotAllowed
from bot.models import Account, Role, StaffRole

_RANK = {Role.STAFF: 1, Role.APPROVER: 2, Role.ADMIN: 3}


@dataclass(frozen=True)
class Actor:
    """An account (``None`` at the command line) and whether it may act everywhere."""

    account: Account | None
    platform_admin: bool = False
    via: str = "telegram"

    @classmethod
    def cli(cls) -> Actor:
        """The operator at the command line: may do everything, audited as ``cli``."""
        return cls(account=None, platform_admin=True, via="cli")

    @classmethod
    def of(cls, account: Account, platform_admin_ids: frozenset[int]) -> Actor:
        """An account acting in Telegram; platform admins are ``HEIMBOTE_ADMIN_IDS``."""
        return cls(account=account, platform_admin=account.telegram_id in platform_admin_ids)


async def role_in(actor: Actor, facility_id: int) -> Role | None:
    """The actor's role in a facility, read from the database (admin for platform admins)."""
    if actor.platform_admin:
        return Role.ADMIN
    if actor.account is None:
        return None
    held = await StaffRole.get_or_none(account_id=actor.account.id, facility_id=facility_id)
    return held.role if held else None


def ranks_at_least(role: Role | None, minimum: Role) -> bool:
    """Whether ``role`` includes ``minimum`` (admin ⊇ approver ⊇ staff)."""
    return role is not None and _RANK[role] >= _RANK[minimum]


async def require_role(actor: Actor, facility_id: int, minimum: Role) -> Role:
    """The actor's role, or :class:`NotAllowed` when it is below ``minimum`` in this facility."""
    role = await role_in(actor, facility_id)
    if not ranks_at_least(role, minimum):
        raise NotAllowed(f"needs {minimum} in facility {facility_id}")
    assert role is not None
    return role
