"""Whom a relative may write about: their linked residents who still live in the home.

A relative writes about one resident at a time. With a "Reply" button (under the team's answer
or a photo update) the bot already knows which: the relative's next message is awaited as
:data:`COMPOSE` about that resident.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.errors import NotFound
from bot.models import Account, RelativeLink, Resident, ResidentStatus, StaffRole
from bot.services.accounts.awaiting import await_input

# What the relative's next text, photo or voice message is: a message about a resident.
COMPOSE = "conversation_message"


@dataclass(frozen=True)
class ResidentChoice:
    """A resident the account may write about."""

    resident_id: int
    resident_name: str
    facility_id: int
    facility_name: str


def _choice(resident: Resident) -> ResidentChoice:
    return ResidentChoice(resident.id, resident.display_name, resident.facility.id,
                          resident.facility.name)


async def writable_residents(account: Account, *, implicit: bool = False) -> list[ResidentChoice]:
    """The residents the account may write about: its active links to residents living there.

    ``implicit`` (text or media sent outside any flow) leaves out the facilities where the
    account is on the staff: there, a photo is a photo update, not a relative's message.
    """
    links = await RelativeLink.filter(
        account_id=account.id, active=True, resident__status=ResidentStatus.ACTIVE
    ).prefetch_related("resident__facility")
    staff_of: set[int] = set()
    if implicit:
        rows = await StaffRole.filter(account_id=account.id).values_list("facility_id")
        staff_of = {facility_id for (facility_id,) in rows}
    choices = [_choice(link.resident) for link in links
               if link.resident.facility.id not in staff_of]
    return sorted(choices, key=lambda c: (c.resident_name.casefold(), c.resident_id))


async def linked_resident(account: Account, resident_id: int) -> Resident:
    """The resident (with their facility), if the account may write about them, else
    :class:`NotFound`."""
    link = await RelativeLink.get_or_none(
        account_id=account.id, resident_id=resident_id, active=True,
        resident__status=ResidentStatus.ACTIVE,
    ).prefetch_related("resident__facility")
    if link is None:
        raise NotFound(f"account {account.id} is not linked with resident {resident_id}")
    return link.resident


async def start_reply_about(account: Account, resident_id: int) -> ResidentChoice:
    """The relative's next text, photo or voice message goes to the team about this resident.

    For a "Reply" button (e.g. under a photo update): checks the link, then waits for the
    message (awaited input :data:`COMPOSE`, taken by ``handlers.conversations.relatives``).
    """
    resident = await linked_resident(account, resident_id)
    await await_input(account, COMPOSE, resident=resident.id)
    return _choice(resident)
