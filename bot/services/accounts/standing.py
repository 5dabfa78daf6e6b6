"""Who an account is to the homes, as the command menu and /help need it.

A relative (an active link to a resident), a team member (their highest role in any home), both,
or neither yet. Platform admins (``HEIMBOTE_ADMIN_IDS``) count as admins.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.models import Account, RelativeLink, Role, StaffRole
from bot.services.accounts.actors import ranks_at_least


@dataclass(frozen=True)
class Standing:
    """Whether the account is a relative, and its highest staff role (``None``: not on a team)."""

    relative: bool
    role: Role | None

    def ranks_at_least(self, minimum: Role) -> bool:
        """Whether the account holds ``minimum`` (or more) in some home."""
        return ranks_at_least(self.role, minimum)


def _highest(roles: list[Role]) -> Role | None:
    for role in (Role.ADMIN, Role.APPROVER, Role.STAFF):
        if role in roles:
            return role
    return None


async def standing_of(account: Account, platform_admin_ids: frozenset[int]) -> Standing:
    """The account's standing, read from the database."""
    relative = await RelativeLink.filter(account_id=account.id, active=True).exists()
    held = await StaffRole.filter(account_id=account.id).values_list("role", flat=True)
    roles = [Role(str(role)) for role in held]
    if account.telegram_id in platform_admin_ids:
        roles.append(Role.ADMIN)
    return Standing(relative=relative, role=_highest(roles))


async def team_accounts(platform_admin_ids: frozenset[int]) -> list[Account]:
    """Every account with a staff role somewhere, and the platform admins who talked to the bot."""
    ids = set(await StaffRole.all().values_list("account_id", flat=True))
    accounts = list(await Account.filter(id__in=ids).order_by("id")) if ids else []
    admins = await Account.filter(telegram_id__in=list(platform_admin_ids)).order_by("id")
    known = {a.id for a in accounts}
    return [*accounts, *(a for a in admins if a.id not in known)]


async def account_by_id(account_id: int) -> Account | None:
    """The account with this id (``None`` once erased): whose menu changes with their role."""
    return await Account.get_or_none(id=account_id)
