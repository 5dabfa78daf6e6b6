"""Emergency contacts: which relatives of a resident receive the home's urgent alerts.

A flag on the relative's link, set by the home's admins (``/residents`` card, the CLI) and
audited; a relative sees whether they are one (``/settings``, ``/mydata``).
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from bot.domain.errors import NotFound
from bot.models import Account, RelativeLink, ResidentStatus, Role
from bot.services.accounts import audit
from bot.services.accounts.actors import Actor
from bot.services.accounts.residents import get_resident


@dataclass(frozen=True)
class Contact:
    """A relative linked to the resident, and whether they are an emergency contact."""

    account_id: int
    name: str
    relation: str
    emergency: bool


async def _links(resident_id: int, using_db: BaseDBAsyncClient | None = None) -> list[RelativeLink]:
    return await RelativeLink.filter(resident_id=resident_id, active=True).using_db(
        using_db).prefetch_related("account").order_by("id")


async def contacts_of(actor: Actor, resident_id: int) -> list[Contact]:
    """The resident's linked relatives with their flag (admins of the home only)."""
    await get_resident(actor, resident_id, Role.ADMIN)
    return [Contact(link.account_id, link.account.first_name, link.relation,
                    link.emergency_contact) for link in await _links(resident_id)]


async def set_emergency_contact(
    actor: Actor, resident_id: int, account_id: int, on: bool
) -> list[Contact]:
    """Make a linked relative an emergency contact of the resident, or no longer (admins only).

    :class:`NotFound` when the account is not a relative of this resident, or the stay ended.
    """
    resident = await get_resident(actor, resident_id, Role.ADMIN)
    if resident.status != ResidentStatus.ACTIVE:
        raise NotFound(f"resident {resident_id} no longer lives here")
    async with in_transaction() as connection:
        changed = await RelativeLink.filter(
            resident_id=resident_id, account_id=account_id, active=True
        ).using_db(connection).update(emergency_contact=on)
        if not changed:
            raise NotFound(f"account {account_id} is not a relative of resident {resident_id}")
        await audit.record(
            actor, "emergency_contact.add" if on else "emergency_contact.remove",
            facility=resident.facility, subject=f"resident:{resident_id}", account=account_id,
        )
    return await contacts_of(actor, resident_id)


async def emergency_links(
    resident_id: int, using_db: BaseDBAsyncClient | None = None, *, reachable_only: bool = True
) -> list[RelativeLink]:
    """The resident's emergency contacts who can be reached in Telegram (accounts loaded); with
    ``reachable_only=False`` also those who blocked the bot (to be phoned)."""
    return [link for link in await _links(resident_id, using_db)
            if link.emergency_contact and not (reachable_only and link.account.unreachable)]


async def is_emergency_contact(
    account: Account, resident_id: int, using_db: BaseDBAsyncClient | None = None
) -> bool:
    """Whether the account is, right now, an emergency contact of the resident."""
    return await RelativeLink.filter(
        account_id=account.id, resident_id=resident_id, active=True, emergency_contact=True
    ).using_db(using_db).exists()


async def emergency_contact_for(account: Account) -> list[str]:
    """The residents (display names) the account is an emergency contact of."""
    links = await RelativeLink.filter(
        account_id=account.id, active=True, emergency_contact=True
    ).prefetch_related("resident").order_by("id")
    return [link.resident.display_name for link in links]
