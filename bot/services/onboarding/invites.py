"""Creating, listing and revoking invites; the deep link and QR code that carry a code.

The plain code exists only in the :class:`CreatedInvite` handed back once: the database keeps
its hash. Redeeming an invite is the joining capability's business.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from enum import StrEnum

import segno
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from bot import clock
from bot.domain.errors import InvalidInput, NotFound
from bot.models import Facility, Invite, InviteKind, Resident, ResidentStatus, Role
from bot.services.accounts import audit
from bot.services.accounts.actors import Actor, require_role
from bot.services.accounts.facilities import get_facility
from bot.services.accounts.residents import get_resident
from bot.services.onboarding.invite_codes import code_hash, new_code, normalize

MAX_USES = 100
MAX_DAYS = 365
_BOT_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")
_START_PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")


class InviteState(StrEnum):
    ACTIVE = "active"
    USED_UP = "used_up"
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True)
class InviteView:
    """An invite as the admin's screens show it: for whom, where, how often, until when."""

    id: int
    kind: InviteKind
    role: Role | None
    resident_name: str | None  # a relative's invite: the resident's name
    facility_id: int
    facility_name: str
    timezone: str
    max_uses: int
    expires_at: dt.datetime


def _view(invite: Invite, facility: Facility, resident: Resident | None) -> InviteView:
    return InviteView(
        id=invite.id,
        kind=invite.kind,
        role=invite.role,
        resident_name=resident.display_name if resident is not None else None,
        facility_id=facility.id,
        facility_name=facility.name,
        timezone=facility.timezone,
        max_uses=invite.max_uses,
        expires_at=invite.expires_at,
    )


@dataclass(frozen=True)
class CreatedInvite:
    """A new invite and its plain code: shown once, never stored; ``view`` as screens show it."""

    invite: Invite
    code: str
    view: InviteView


def state_of(invite: Invite, now: dt.datetime | None = None) -> InviteState:
    """Whether an invite can still be redeemed, and if not, why."""
    now = now or clock.now()
    if invite.revoked_at is not None:
        return InviteState.REVOKED
    if invite.uses >= invite.max_uses:
        return InviteState.USED_UP
    if invite.expires_at <= now:
        return InviteState.EXPIRED
    return InviteState.ACTIVE


def _check_limits(uses: int, days: int) -> None:
    if not 1 <= uses <= MAX_USES:
        raise InvalidInput("uses", f"must be between 1 and {MAX_USES}")
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput("days", f"must be between 1 and {MAX_DAYS}")


async def issue_invite(
    actor: Actor,
    facility: Facility,
    *,
    kind: InviteKind,
    resident: Resident | None = None,
    role: Role | None = None,
    uses: int,
    days: int,
) -> CreatedInvite:
    """Create and audit an invite with a fresh code. The caller has checked who may."""
    for _attempt in range(3):  # a clash of two random 59-bit codes: practically never
        code = new_code()
        try:
            async with in_transaction():
                invite = await Invite.create(
                    code_hash=code_hash(code),
                    kind=kind,
                    facility=facility,
                    resident=resident,
                    role=role,
                    max_uses=uses,
                    expires_at=clock.now() + dt.timedelta(days=days),
                    created_by=actor.account,
                )
                await audit.record(
                    actor, "invite.create", facility=facility, subject=f"invite:{invite.id}",
                    kind=kind, resident=resident.id if resident else None, role=role,
                    uses=uses, days=days,
                )
        except IntegrityError:
            continue
        return CreatedInvite(invite=invite, code=code, view=_view(invite, facility, resident))
    raise RuntimeError("could not find a free invite code")


async def create_relative_invite(
    actor: Actor, resident_id: int, *, uses: int = 1, days: int = 14
) -> CreatedInvite:
    """An invite that links a relative to one resident. Needs the admin role. Audited.

    The resident must still live in the facility.
    """
    resident = await get_resident(actor, resident_id, Role.ADMIN)
    if resident.status != ResidentStatus.ACTIVE:
        raise InvalidInput("resident", "no longer lives in the facility")
    _check_limits(uses, days)
    return await issue_invite(
        actor, resident.facility, kind=InviteKind.RELATIVE, resident=resident, uses=uses, days=days
    )


async def create_staff_invite(
    actor: Actor, facility_id: int, role: Role, *, uses: int = 1, days: int = 14
) -> CreatedInvite:
    """An invite that gives a role (staff, approver, admin) in a facility. Admin. Audited."""
    facility = await get_facility(actor, facility_id, Role.ADMIN)
    try:
        role = Role(role)
    except ValueError:
        raise InvalidInput("role", "must be staff, approver or admin") from None
    _check_limits(uses, days)
    return await issue_invite(
        actor, facility, kind=InviteKind.STAFF, role=role, uses=uses, days=days
    )


async def list_invites(
    actor: Actor, facility_id: int, *, include_inactive: bool = False
) -> list[Invite]:
    """A facility's invites, newest first, residents loaded; only usable ones unless asked.

    Needs the admin role.
    """
    await require_role(actor, facility_id, Role.ADMIN)
    query = Invite.filter(facility_id=facility_id)
    if not include_inactive:
        query = query.filter(
            revoked_at__isnull=True, expires_at__gt=clock.now(), uses__lt=F("max_uses")
        )
    return list(await query.order_by("-created_at", "-id").prefetch_related("resident"))


async def revoke_invite(actor: Actor, invite_id: int) -> Invite:
    """Revoke an invite so that nobody can use it any more. Admin. Audited.

    Revoking it again changes nothing (a double tap is not an error).
    """
    invite = await Invite.get_or_none(id=invite_id).prefetch_related("facility", "resident")
    if invite is None:
        raise NotFound(f"no invite {invite_id}")
    await require_role(actor, invite.facility_id, Role.ADMIN)
    if invite.revoked_at is not None:
        return invite
    invite.revoked_at = clock.now()
    async with in_transaction():
        await invite.save(update_fields=["revoked_at"])
        await audit.record(
            actor, "invite.revoke", facility=invite.facility, subject=f"invite:{invite.id}"
        )
    return invite


async def open_invites(actor: Actor, facility_id: int) -> list[InviteView]:
    """The facility's invites that can still be used, newest first, as plain views. Admin."""
    facility = await get_facility(actor, facility_id, Role.ADMIN)
    return [
        _view(invite, facility, invite.resident)
        for invite in await list_invites(actor, facility_id)
    ]


async def revoke(actor: Actor, invite_id: int) -> InviteView:
    """:func:`revoke_invite`, answered with the view the admin's screen shows. Admin. Audited."""
    invite = await revoke_invite(actor, invite_id)
    return _view(invite, invite.facility, invite.resident)


def valid_bot_username(bot_username: str) -> str:
    """The username without ``@``; :class:`InvalidInput` when Telegram would not allow it."""
    username = bot_username.removeprefix("@")
    if not _BOT_USERNAME.fullmatch(username):
        raise InvalidInput("bot_username", f"{bot_username!r} is not a Telegram bot username")
    return username


def deep_link(bot_username: str, code: str) -> str:
    """The link that opens the bot with the code: ``https://t.me/<bot>?start=<code>``."""
    username = valid_bot_username(bot_username)
    payload = normalize(code)
    if not _START_PAYLOAD.fullmatch(payload):
        raise InvalidInput("code", "is not a valid start parameter")
    return f"https://t.me/{username}?start={payload}"


def qr_png(url: str) -> bytes:
    """A QR code of ``url`` as PNG, large enough to scan from a printed sheet."""
    buffer = io.BytesIO()
    # Error correction Q survives a crease or a coffee stain; 12 px modules print at ~4 cm.
    segno.make(url, error="q", micro=False).save(buffer, kind="png", scale=12, border=4)
    return buffer.getvalue()
