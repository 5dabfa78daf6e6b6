"""The account holder's data rights: who to ask, a copy of everything, erasure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tortoise.transactions import in_transaction

from bot.models import (
    Account,
    AuditEntry,
    Delivery,
    Facility,
    FailedInviteAttempt,
    PhotoThanks,
    PhotoUpdate,
    RelativeLink,
    StaffRole,
)
from bot.services.accounts.relatives import quiet_hours
from bot.services.conversations import conversations
from bot.services.photo_updates import relay as photo_relay
from bot.services.reviews import ratings


@dataclass(frozen=True)
class FacilityContact:
    """A facility the account is connected to, and how to reach it about privacy."""

    name: str
    contact: str


async def facility_contacts(account: Account) -> list[FacilityContact]:
    """Every facility the account is linked to as a relative or holds a role in."""
    facilities = await Facility.filter(
        residents__relative_links__account_id=account.id
    ).distinct()
    facilities += await Facility.filter(staff_roles__account_id=account.id).distinct()
    unique = {facility.id: facility for facility in facilities}
    return sorted(
        (FacilityContact(f.name, f.contact) for f in unique.values()), key=lambda c: c.name
    )


def _iso(moment: dt.datetime | dt.time | None) -> str | None:
    return moment.isoformat() if moment is not None else None


async def export_account(account: Account) -> dict[str, Any]:
    """Everything stored about the account, as JSON-ready data (Art. 15/20 GDPR)."""
    links = await RelativeLink.filter(account_id=account.id).prefetch_related(
        "resident__facility"
    )
    roles = await StaffRole.filter(account_id=account.id).prefetch_related("facility")
    audit = await AuditEntry.filter(actor_id=account.id).order_by("at").prefetch_related(
        "facility"
    )
    attempts = await FailedInviteAttempt.filter(account_id=account.id).order_by("attempted_at")
    thanks = await PhotoThanks.filter(account_id=account.id).order_by("created_at")
    posted = await PhotoUpdate.filter(author_id=account.id).count()
    hours = quiet_hours(account)
    return {
        "account": {
            "telegram_id": account.telegram_id,
            "first_name": account.first_name,
            "language": account.locale,
            "quiet_hours": {"from": _iso(hours[0]), "until": _iso(hours[1])} if hours else None,
            "unreachable": account.unreachable,
            "privacy_accepted_at": _iso(account.privacy_accepted_at),
            "created_at": _iso(account.created_at),
            "updated_at": _iso(account.updated_at),
        },
        "links": [
            {
                "resident": link.resident.display_name,
                "facility": link.resident.facility.name,
                "relation": link.relation,
                "photo_updates": link.photo_updates,
                "active": link.active,
                "since": _iso(link.created_at),
            }
            for link in links
        ],
        "roles": [
            {
                "facility": role.facility.name,
                "role": role.role.value,
                "since": _iso(role.created_at),
            }
            for role in roles
        ],
        "actions": [
            {
                "at": _iso(entry.at),
                "action": entry.action,
                "subject": entry.subject,
                "facility": entry.facility.name if entry.facility else None,
                "details": entry.details,
            }
            for entry in audit
        ],
        "failed_invite_attempts": [_iso(attempt.attempted_at) for attempt in attempts],
        "photo_thanks": [
            {"photo_update": thank.update_id, "at": _iso(thank.created_at)}
            for thank in thanks
        ],
        "photo_updates_posted": posted,
        "ratings": await ratings.export_of(account),
        "conversations": await conversations.export_of(account),
    }


async def erase_account(account: Account) -> None:
    """Erase the account and everything personal tied to it (Art. 17 GDPR).

    Deleting the row cascades to links, roles, failed attempts, awaited input, photo thank-yous,
    conversations and messages to the account; the audit log, invites, consent records and photo
    updates keep the fact of an action but lose the actor. The review notes naming it as an
    author, and their edits, are deleted from the outbox. Published ratings are retracted (their
    stars stay, without comment or author, and the stream's copy is redacted); unpublished ones
    are deleted.
    """
    async with in_transaction() as connection:
        await ratings.retract_all(account, connection)
        await conversations.erase_messages_of(account, connection)
        posted = await PhotoUpdate.filter(author_id=account.id).using_db(connection).values_list(
            "id", flat=True
        )
        if posted:
            await Delivery.filter(
                purpose=photo_relay.REVIEW, reference__in=[str(i) for i in posted]
            ).using_db(connection).delete()
            for update_id in posted:  # the edits of those notes name the author too
                await Delivery.filter(
                    purpose=photo_relay.NOTE_EDIT, reference__startswith=f"{update_id}:edit:"
                ).using_db(connection).delete()
        await Account.filter(id=account.id).using_db(connection).delete()
