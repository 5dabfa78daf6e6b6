"""Sending a "please call us" alert and acknowledging it.

An admin or approver of the home sends it about one resident with a reason category; it goes,
urgent and through quiet hours, to the resident's emergency contacts only. The first contact
who taps *I will call* / *I am coming* acknowledges it (a conditional update: one wins); the
sender and the home's staff group are told who and when. Repeats and the hour's check are in
:mod:`.repeats`. Every alert and acknowledgement is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from bot import clock
from bot.delivery.outbox import FIRST, Outgoing, Recipient, enqueue
from bot.domain.errors import DomainError, NotAllowed, NotFound
from bot.models import (
    Account,
    CallAnswer,
    CallReason,
    Delivery,
    DeliveryState,
    EmergencyCall,
    Facility,
    RelativeLink,
    Resident,
    ResidentStatus,
    Role,
)
from bot.services.accounts import audit
from bot.services.accounts.actors import Actor, require_role
from bot.services.accounts.residents import get_resident
from bot.services.conversations.setup import setup_of
from bot.services.emergency_calls import texts
from bot.services.emergency_calls.contacts import emergency_links, is_emergency_contact

ALERT = "emergency_call.alert"  # to the emergency contacts, and each repeat
ACKNOWLEDGED = "emergency_call.ack"  # to the sender and the staff group
ANSWERED = "emergency_call.answered"  # to the other emergency contacts
OVERDUE = "emergency_call.overdue"  # to the sender: nobody answered within the hour
BUTTONS_GONE = "emergency_call.buttons"  # an answered alert's buttons go, in every chat
REPEAT_EVERY = dt.timedelta(minutes=10)
MOST_SENDS = 6
ANSWER_WITHIN = dt.timedelta(hours=1)


class NoEmergencyContacts(DomainError):
    """The resident has no emergency contact who can be reached: nothing was sent."""


class NotAnEmergencyContact(NotAllowed):
    """The presser of an alert's button is not (or no longer) an emergency contact of its
    resident."""


@dataclass(frozen=True)
class CallView:
    """An alert as the sender sees it."""

    id: int
    resident: str
    reason: CallReason
    contacts: tuple[str, ...]
    already_open: bool = False  # a press of "send" again: the alert already on its way


@dataclass(frozen=True)
class Acknowledgement:
    """Who answered an alert, what they will do and when; ``by_you``: this press answered."""

    resident: str
    home: str
    relative: str  # empty when the account who answered was erased
    answer: CallAnswer
    at: dt.datetime
    timezone: str
    by_you: bool


async def callable_residents(
    actor: Actor, facility_id: int, offset: int = 0, limit: int = 8
) -> tuple[list[tuple[int, str, str]], int]:
    """One page of the home's residents (id, name, room) for the sender to pick from."""
    await require_role(actor, facility_id, Role.APPROVER)
    query = Resident.filter(facility_id=facility_id, status=ResidentStatus.ACTIVE)
    total = await query.count()
    page = await query.order_by("display_name", "id").offset(max(offset, 0)).limit(limit)
    return [(r.id, r.display_name, r.room) for r in page], total


@dataclass(frozen=True)
class Reach:
    """Whom an alert about a resident would reach, before it is sent."""

    resident: str
    contacts: tuple[str, ...]


async def prepare_call(actor: Actor, resident_id: int) -> Reach:
    """Who an alert about the resident would reach; :class:`NoEmergencyContacts` if nobody."""
    resident = await _sendable_resident(actor, resident_id)
    links = await emergency_links(resident.id)
    if not links:
        raise NoEmergencyContacts(f"resident {resident_id}")
    return Reach(resident.display_name, tuple(link.account.first_name for link in links))


async def _sendable_resident(actor: Actor, resident_id: int) -> Resident:
    resident = await get_resident(actor, resident_id, Role.APPROVER)
    if resident.status != ResidentStatus.ACTIVE:
        raise NotFound(f"resident {resident_id} no longer lives here")
    return resident


def _recipient(account: Account, facility: Facility) -> Recipient:
    return Recipient(account.telegram_id, account, facility.timezone)


def _locale(account: Account | None, facility: Facility) -> str:
    return (account.locale if account is not None and account.locale else
            facility.default_locale)


async def send_alert(
    call: EmergencyCall, number: int, connection: BaseDBAsyncClient
) -> list[RelativeLink]:
    """Enqueue alert number ``number`` to the resident's emergency contacts (once per number)."""
    facility, resident = call.facility, call.resident
    links = await emergency_links(resident.id, connection)
    for link in links:
        locale = _locale(link.account, facility)
        await enqueue(
            [_recipient(link.account, facility)],
            Outgoing.text(
                texts.alert_text(locale, home=facility.name, resident=resident.display_name,
                                 reason=call.reason, contact=facility.contact, number=number,
                                 total=MOST_SENDS),
                buttons=texts.alert_buttons(locale, call.id),
            ),
            purpose=ALERT, reference=f"call:{call.id}:{number}", urgent=True, priority=FIRST,
            using_db=connection,
        )
    return links


async def start_call(
    actor: Actor, resident_id: int, reason: CallReason, *, now: dt.datetime | None = None
) -> CallView:
    """Send the alert about the resident to their emergency contacts, urgent, and audit it.

    Admins and approvers of the home only. :class:`NoEmergencyContacts` (nothing sent) when
    the resident has none; while an alert about the resident waits for its answer (within the
    hour), the same alert is returned rather than a second one sent.
    """
    now = now or clock.now()
    resident = await _sendable_resident(actor, resident_id)
    async with in_transaction() as connection:
        # Locks the resident (PostgreSQL): two presses of "send" make one alert.
        await Resident.filter(id=resident.id).select_for_update().using_db(connection).get()
        open_call = await EmergencyCall.filter(
            resident_id=resident.id, acknowledged_at__isnull=True, overdue_at__isnull=True,
        ).using_db(connection).first()
        if open_call is not None:
            links = await emergency_links(resident.id, connection)
            return CallView(open_call.id, resident.display_name, open_call.reason,
                            tuple(link.account.first_name for link in links), already_open=True)
        call = await EmergencyCall.create(
            facility_id=resident.facility_id, resident_id=resident.id, sender=actor.account,
            reason=reason, created_at=now, sends=1, next_send_at=now + REPEAT_EVERY,
            using_db=connection,
        )
        call.facility, call.resident = resident.facility, resident
        links = await send_alert(call, 1, connection)
        if not links:
            raise NoEmergencyContacts(f"resident {resident_id}")  # rolls the call back
        await audit.record(actor, "emergency_call.send", facility=resident.facility,
                           subject=f"resident:{resident.id}", call=call.id, reason=reason,
                           contacts=len(links))
    return CallView(call.id, resident.display_name, reason,
                    tuple(link.account.first_name for link in links))


async def acknowledge(
    account: Account, call_id: int, answer: CallAnswer, *, now: dt.datetime | None = None
) -> Acknowledgement:
    """An emergency contact answers the alert: the first answer stops the repeats and tells the
    sender and the staff group; a later one learns who answered first.

    The presser's flag is read again: :class:`NotAllowed` unless they are, right now, an
    emergency contact of the alert's resident.
    """
    now = now or clock.now()
    call = await EmergencyCall.get_or_none(id=call_id).prefetch_related(
        "facility", "resident", "sender", "acknowledged_by")
    if call is None:
        raise NotFound(f"no call {call_id}")
    if not await is_emergency_contact(account, call.resident_id):
        raise NotAnEmergencyContact(f"account {account.id}, call {call.id}")
    async with in_transaction() as connection:
        won = await EmergencyCall.filter(id=call.id, acknowledged_at__isnull=True).using_db(
            connection).update(acknowledged_by_id=account.id, acknowledged_at=now,
                               answer=answer, next_send_at=None)
        if won:
            await audit.record(Actor(account), "emergency_call.acknowledge",
                               facility=call.facility, subject=f"resident:{call.resident_id}",
                               call=call.id, answer=answer)
            await _tell_team(call, account, answer, now, connection)
            await _tell_other_contacts(call, account, answer, connection)
            await _answered_alerts_lose_buttons(call, connection)
    if not won:
        call = await EmergencyCall.get(id=call.id).prefetch_related(
            "facility", "resident", "acknowledged_by")
        assert call.acknowledged_at is not None and call.answer is not None
        first = call.acknowledged_by
        return Acknowledgement(call.resident.display_name, call.facility.name,
                               first.first_name if first else "", call.answer,
                               call.acknowledged_at, call.facility.timezone, by_you=False)
    return Acknowledgement(call.resident.display_name, call.facility.name, account.first_name,
                           answer, now, call.facility.timezone, by_you=True)


async def _tell_team(
    call: EmergencyCall, account: Account, answer: CallAnswer, now: dt.datetime,
    connection: BaseDBAsyncClient,
) -> None:
    """The sender (in private chat) and the home's staff group see who answered, and when."""
    facility = call.facility
    chats: list[tuple[Recipient, str]] = []
    if call.sender is not None and not call.sender.unreachable:
        chats.append((_recipient(call.sender, facility), _locale(call.sender, facility)))
    setup = await setup_of(facility.id, connection)
    if setup.group_chat_id is not None:
        chats.append((Recipient(setup.group_chat_id), facility.default_locale))
    for recipient, locale in chats:
        await enqueue(
            [recipient],
            Outgoing.text(texts.acknowledged_text(
                locale, relative=account.first_name, resident=call.resident.display_name,
                answer=answer, at=now, timezone=facility.timezone)),
            purpose=ACKNOWLEDGED, reference=f"call:{call.id}", urgent=True, priority=FIRST,
            using_db=connection,
        )


async def _tell_other_contacts(
    call: EmergencyCall, account: Account, answer: CallAnswer, connection: BaseDBAsyncClient
) -> None:
    """The other emergency contacts learn that someone answered (and need not)."""
    for link in await emergency_links(call.resident_id, connection):
        if link.account_id == account.id:
            continue
        await enqueue(
            [_recipient(link.account, call.facility)],
            Outgoing.text(texts.answered_by_text(_locale(link.account, call.facility),
                                                 relative=account.first_name, answer=answer)),
            purpose=ANSWERED, reference=f"call:{call.id}", urgent=True, using_db=connection,
        )


async def _answered_alerts_lose_buttons(
    call: EmergencyCall, connection: BaseDBAsyncClient
) -> None:
    """Every alert (and repeat) sent about the call loses *I will call* / *I am coming*."""
    sent = await Delivery.filter(
        purpose=ALERT, reference__startswith=f"call:{call.id}:", state=DeliveryState.SENT
    ).using_db(connection).prefetch_related("account")
    for row in sent:
        for message_id in row.sent_message_ids:
            await enqueue(
                [Recipient(row.chat_id, row.account)], Outgoing.edit_markup(int(message_id)),
                purpose=BUTTONS_GONE, reference=f"call:{call.id}:{message_id}", urgent=True,
                priority=FIRST, using_db=connection,
            )
