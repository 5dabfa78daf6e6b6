"""The account holder's data rights: who to ask, a copy of everything, erasure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tortoise.transactions import in_transaction

from bot import clock
from bot.delivery.outbox import CONTENT_KEPT
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
from bot.services.emergency_calls import privacy as emergency_calls
from bot.services.events import signups as event_signups
from bot.services.onboarding.joining import ATTEMPT_WINDOW
from bot.services.photo_updates import relay as photo_relay
from bot.services.reviews import ratings
from bot.services.visits import lists as visits
from bot.services.wellbeing import consent as wellbeing


@dataclass(frozen=True)
class FacilityContact:
    """A facility the account is connected to, and how to reach it about privacy."""

    name: str
    contact: str


async def _facilities_of(account: Account) -> list[Facility]:
    """Every facility the account is linked to as a relative or holds a role in, by name."""
    facilities = await Facility.filter(
        residents__relative_links__account_id=account.id
    ).distinct()
    facilities += await Facility.filter(staff_roles__account_id=account.id).distinct()
    facilities += await Facility.filter(threads__relative_id=account.id).distinct()
    unique = {facility.id: facility for facility in facilities}
    return sorted(unique.values(), key=lambda facility: (facility.name, facility.id))


async def facility_contacts(account: Account) -> list[FacilityContact]:
    """Every facility the account is linked to as a relative or holds a role in."""
    return [FacilityContact(f.name, f.contact) for f in await _facilities_of(account)]


CONTENT_KEPT_DAYS = CONTENT_KEPT.days  # what the bot sent is blanked in the outbox after this


@dataclass(frozen=True)
class Retention:
    """How long a home keeps conversations, for /mydata's answer."""

    facility_name: str
    conversation_days: int


async def retention_of(account: Account) -> list[Retention]:
    """How long each of the account's homes keeps conversations (message texts in the outbox:
    :data:`CONTENT_KEPT_DAYS`)."""
    return [Retention(f.name, f.conversation_retention_days)
            for f in await _facilities_of(account)]


def _kept(facilities: list[Facility]) -> dict[str, Any]:
    return {
        "conversations": [
            {"facility": f.name, "deleted_days_after_the_last_message":
             f.conversation_retention_days}
            for f in facilities
        ],
        "texts_of_messages_sent_deleted_after_days": CONTENT_KEPT_DAYS,
        "wrong_invite_codes_deleted_after_minutes": ATTEMPT_WINDOW // dt.timedelta(minutes=1),
    }


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
    attempts = await FailedInviteAttempt.filter(telegram_id=account.telegram_id).order_by(
        "attempted_at"
    )
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
        "please_call_us": await emergency_calls.export_of(account),
        "visits": await visits.export_of(account),
        "wellbeing_notes": await wellbeing.export_of(account),
        "event_signups": await event_signups.export_of(account),
        "how_long_it_is_kept": _kept(await _facilities_of(account)),
    }


async def erase_account(account: Account) -> None:
    """Erase the account and everything personal tied to it (Art. 17 GDPR).

    Deleting the row cascades to links, roles, awaited input, photo thank-yous,
    conversations and messages to the account; the audit log, invites, consent records and photo
    updates keep the fact of an action but lose the actor. Event sign-ups go, and free their
    places at events still to come. The review notes naming it as an
    author, and their edits, are deleted from the outbox. Published ratings are retracted (their
    stars stay, without comment or author, and the stream's copy is redacted); unpublished ones
    are deleted. Wrong invite codes of the last hour stay until their hour is over (they are kept
    by Telegram id), so that an erasure does not lift the brute-force lock. Visits booked ahead
    give their places back first (the bookings go with the account).
    """
    async with in_transaction() as connection:
        await ratings.retract_all(account, connection)
        await conversations.erase_messages_of(account, connection)
        await emergency_calls.erase_acknowledgements(account, connection)
        await visits.release_all_of(account, connection)
        await event_signups.erase_signups_of(account, connection)  # their places become free
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
        await FailedInviteAttempt.filter(
            telegram_id=account.telegram_id, attempted_at__lte=clock.now() - ATTEMPT_WINDOW
        ).using_db(connection).delete()
        await Account.filter(id=account.id).using_db(connection).delete()
