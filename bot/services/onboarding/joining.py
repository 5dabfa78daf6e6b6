"""Joining with an invite: relatives link to a resident, staff get their role.

A code is checked when it is typed (:func:`begin_join`), remembered on the account while the user
picks a language and reads the privacy notice, and used up only on acceptance
(:func:`accept_join`), atomically: two people can never both take a single-use code.

Every unusable code — unknown, expired, used up, revoked, or for a resident who left — raises the
same :class:`InviteUnusable`, so that an answer reveals nothing about which codes exist.

Relatives inviting their own family are in :mod:`bot.services.onboarding.family` (its names are
re-exported here, where joining's callers have always found them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from bot import clock
from bot.domain.errors import DomainError
from bot.models import (
    Account,
    AuditEntry,
    FailedInviteAttempt,
    Invite,
    InviteKind,
    RelativeLink,
    ResidentStatus,
    Role,
    StaffRole,
)
from bot.services.accounts.actors import ranks_at_least
from bot.services.onboarding.family import FAMILY_INVITE_DAYS as FAMILY_INVITE_DAYS
from bot.services.onboarding.family import ResidentFull as ResidentFull
from bot.services.onboarding.family import create_family_invite as create_family_invite
from bot.services.onboarding.family import invitable_residents as invitable_residents
from bot.services.onboarding.invite_codes import code_hash

MAX_FAILED_ATTEMPTS = 5
ATTEMPT_WINDOW = dt.timedelta(hours=1)


class InviteUnusable(DomainError):
    """The code cannot be used — deliberately without saying why."""


class TooManyAttempts(DomainError):
    """Too many wrong codes in the last hour; the account may try again at ``retry_at``."""

    def __init__(self, retry_at: dt.datetime) -> None:
        super().__init__(f"locked until {retry_at.isoformat()}")
        self.retry_at = retry_at


class AlreadyJoined(DomainError):
    """The account already has what the invite gives (a link to the resident, or the role)."""

    def __init__(self, invitation: Invitation) -> None:
        super().__init__(f"already joined via invite {invitation.invite_id}")
        self.invitation = invitation


@dataclass(frozen=True)
class Invitation:
    """What an invite offers, as the user is shown it."""

    invite_id: int
    kind: InviteKind
    facility_name: str
    resident_name: str | None
    role: Role | None


@dataclass(frozen=True)
class Joined:
    """The outcome of an accepted invite."""

    kind: InviteKind
    facility_name: str
    resident_name: str | None
    role: Role | None


async def _locked_until(account: Account, now: dt.datetime) -> dt.datetime | None:
    """When the account may try again, if it made too many wrong attempts in the last hour."""
    since = now - ATTEMPT_WINDOW
    recent = (
        await FailedInviteAttempt.filter(telegram_id=account.telegram_id, attempted_at__gt=since)
        .order_by("-attempted_at")
        .limit(MAX_FAILED_ATTEMPTS)
        .values_list("attempted_at", flat=True)
    )
    if len(recent) < MAX_FAILED_ATTEMPTS:
        return None
    # Locked until the fifth-newest attempt falls out of the window. (values_list(flat=True)
    # gives the column's values; Tortoise's stubs type them as rows.)
    return cast(dt.datetime, recent[-1]) + ATTEMPT_WINDOW


def _usable(invite: Invite, now: dt.datetime) -> bool:
    if invite.revoked_at is not None or invite.expires_at <= now or invite.uses >= invite.max_uses:
        return False
    if invite.kind == InviteKind.RELATIVE:
        resident = invite.resident
        return resident is not None and resident.status == ResidentStatus.ACTIVE
    return True


def _invitation(invite: Invite) -> Invitation:
    role = None
    if invite.kind == InviteKind.STAFF:
        role = invite.role or Role.STAFF
    return Invitation(
        invite_id=invite.id,
        kind=invite.kind,
        facility_name=invite.facility.name,
        resident_name=invite.resident.display_name if invite.resident else None,
        role=role,
    )


async def _already_has(account: Account, invite: Invite) -> bool:
    if invite.kind == InviteKind.RELATIVE:
        return await RelativeLink.filter(
            account_id=account.id, resident_id=invite.resident_id, active=True
        ).exists()
    held = await StaffRole.get_or_none(account_id=account.id, facility_id=invite.facility_id)
    return held is not None and ranks_at_least(held.role, invite.role or Role.STAFF)


async def begin_join(account: Account, typed_code: str) -> Invitation:
    """Check a code and remember its invite on the account until the user accepts or declines.

    Raises :class:`TooManyAttempts` while the account is locked (even for a good code),
    :class:`InviteUnusable` for any code that cannot be used (counted as a wrong attempt), and
    :class:`AlreadyJoined` when the account already has what the invite gives.
    """
    now = clock.now()
    retry_at = await _locked_until(account, now)
    if retry_at is not None:
        raise TooManyAttempts(retry_at)
    invite = await Invite.get_or_none(code_hash=code_hash(typed_code)).prefetch_related(
        "facility", "resident"
    )
    if invite is None or not _usable(invite, now):
        await FailedInviteAttempt.create(telegram_id=account.telegram_id)
        raise InviteUnusable()
    if await _already_has(account, invite):
        raise AlreadyJoined(_invitation(invite))
    account.pending_invite_id = invite.id
    await account.save(update_fields=["pending_invite_id", "updated_at"])
    return _invitation(invite)


async def pending_invitation(account: Account) -> Invitation:
    """The invite the account is in the middle of redeeming (:class:`InviteUnusable` if none)."""
    invite = await _pending_invite(account)
    if invite is None or not _usable(invite, clock.now()):
        raise InviteUnusable()
    return _invitation(invite)


async def _pending_invite(account: Account) -> Invite | None:
    if account.pending_invite_id is None:
        return None
    return await Invite.get_or_none(id=account.pending_invite_id).prefetch_related(
        "facility", "resident"
    )


async def accept_join(account: Account) -> Joined:
    """Accept the pending invite: use it up, link the relative or grant the role, audit it.

    The invite is re-checked and its use counted with one conditional ``UPDATE``, so a
    single-use code is taken by exactly one account. Raises :class:`InviteUnusable` when it is
    no longer usable and :class:`AlreadyJoined` when there is nothing left to give.
    """
    now = clock.now()
    invite = await _pending_invite(account)
    if invite is None:
        raise InviteUnusable()
    invitation = _invitation(invite)
    if await _already_has(account, invite):  # e.g. a second tap on "agree"
        await decline_join(account)
        raise AlreadyJoined(invitation)
    if not _usable(invite, now):
        raise InviteUnusable()
    async with in_transaction():
        taken = await Invite.filter(
            id=invite.id, uses__lt=F("max_uses"), revoked_at=None, expires_at__gt=now
        ).update(uses=F("uses") + 1)
        if taken != 1:
            raise InviteUnusable()
        if invite.kind == InviteKind.RELATIVE:
            await _link(account, invite)
            subject = f"resident:{invite.resident_id}"
        else:
            await _grant_role(account, invite)
            subject = f"account:{account.id}"
        account.pending_invite_id = None
        account.privacy_accepted_at = now
        await account.save(update_fields=["pending_invite_id", "privacy_accepted_at", "updated_at"])
        await AuditEntry.create(
            facility_id=invite.facility_id,
            actor=account,
            action=f"invite.accept.{invite.kind.value}",
            subject=subject,
            details={"invite": invite.id},
        )
    return Joined(invitation.kind, invitation.facility_name, invitation.resident_name,
                  invitation.role)


async def _link(account: Account, invite: Invite) -> None:
    assert invite.resident_id is not None
    existing = await RelativeLink.get_or_none(account_id=account.id, resident_id=invite.resident_id)
    if existing is not None:
        existing.active = True
        await existing.save(update_fields=["active"])
        return
    try:
        await RelativeLink.create(account_id=account.id, resident_id=invite.resident_id)
    except IntegrityError as error:  # the same account accepted twice at once
        raise AlreadyJoined(_invitation(invite)) from error


async def _grant_role(account: Account, invite: Invite) -> None:
    role = invite.role or Role.STAFF
    held = await StaffRole.get_or_none(account_id=account.id, facility_id=invite.facility_id)
    if held is None:
        await StaffRole.create(account_id=account.id, facility_id=invite.facility_id, role=role)
    elif not ranks_at_least(held.role, role):
        held.role = role
        await held.save(update_fields=["role"])


async def decline_join(account: Account) -> None:
    """Forget the pending invite: nothing is linked, the code stays unused."""
    if account.pending_invite_id is not None:
        account.pending_invite_id = None
        await account.save(update_fields=["pending_invite_id", "updated_at"])


async def failed_attempts(account: Account) -> int:
    """Wrong codes the account's Telegram user typed in the last hour (also before an erasure)."""
    since = clock.now() - ATTEMPT_WINDOW
    return await FailedInviteAttempt.filter(
        telegram_id=account.telegram_id, attempted_at__gt=since
    ).count()


async def prune_failed_attempts(now: dt.datetime | None = None) -> int:
    """Delete wrong-code attempts older than the lock's window; how many. A periodic job."""
    since = (now or clock.now()) - ATTEMPT_WINDOW
    return await FailedInviteAttempt.filter(attempted_at__lte=since).delete()
