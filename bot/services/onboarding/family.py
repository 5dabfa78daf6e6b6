"""Relatives inviting their family: a single-use invite for the same resident, when the home
allows it and the resident has room for another relative."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from bot import clock
from bot.domain.errors import DomainError, NotAllowed, NotFound
from bot.models import (
    Account,
    Facility,
    Invite,
    InviteKind,
    RelativeLink,
    Resident,
    ResidentStatus,
)
from bot.services.accounts.actors import Actor
from bot.services.onboarding.invites import issue_invite

FAMILY_INVITE_DAYS = 14


class ResidentFull(DomainError):
    """The resident has as many relatives (links and open invites) as the facility allows."""


@dataclass(frozen=True)
class FamilyInvite:
    """A fresh invite a relative made for the same resident; ``code`` is shown only once."""

    code: str
    resident_name: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class InvitableResident:
    """A resident the account may invite family for."""

    resident_id: int
    resident_name: str
    facility_name: str


async def invitable_residents(account: Account) -> list[InvitableResident]:
    """Residents the account is linked to in facilities that let relatives invite family."""
    links = await RelativeLink.filter(
        account_id=account.id,
        active=True,
        resident__status=ResidentStatus.ACTIVE,
        resident__facility__relatives_may_invite=True,
    ).prefetch_related("resident__facility")
    return [
        InvitableResident(link.resident.id, link.resident.display_name,
                          link.resident.facility.name)
        for link in sorted(links, key=lambda link: link.resident.display_name)
    ]


async def _relatives_and_open_invites(resident: Resident, now: dt.datetime) -> int:
    links = await RelativeLink.filter(resident_id=resident.id, active=True).count()
    invites = await Invite.filter(
        resident_id=resident.id,
        kind=InviteKind.RELATIVE,
        revoked_at=None,
        expires_at__gt=now,
        uses__lt=F("max_uses"),
    ).count()
    return links + invites


async def create_family_invite(account: Account, resident_id: int) -> FamilyInvite:
    """A single-use invite for the same resident, made by a linked relative.

    Only when the facility has ``relatives_may_invite`` on (else :class:`NotAllowed`), the
    account is actively linked to the resident (else :class:`NotFound`), and the resident has
    fewer than ``max_relatives_per_resident`` links plus open invites (else
    :class:`ResidentFull`).
    """
    link = await RelativeLink.get_or_none(
        account_id=account.id, resident_id=resident_id, active=True
    ).prefetch_related("resident__facility")
    if link is None or link.resident.status != ResidentStatus.ACTIVE:
        raise NotFound(f"resident {resident_id}")
    resident = link.resident
    facility: Facility = resident.facility
    if not facility.relatives_may_invite:
        raise NotAllowed(f"facility {facility.id} does not let relatives invite")
    now = clock.now()
    async with in_transaction():
        if await _relatives_and_open_invites(resident, now) >= facility.max_relatives_per_resident:
            raise ResidentFull(f"resident {resident.id}")
        created = await issue_invite(
            Actor(account=account), facility, kind=InviteKind.RELATIVE, resident=resident,
            uses=1, days=FAMILY_INVITE_DAYS,
        )
    return FamilyInvite(created.code, resident.display_name, created.invite.expires_at)
