"""After the relay: relatives thank and reply; the messages about an update, to keep current.

Relatives are not staff: these take their Account, and what they may do rests on one fact,
that the update was relayed to them.
"""

from __future__ import annotations

import time
from typing import NamedTuple

from tortoise.exceptions import IntegrityError

from bot.models import (
    Account,
    Delivery,
    DeliveryState,
    PhotoThanks,
    PhotoUpdate,
    PhotoUpdateState,
    RelativeLink,
    Role,
    StaffRole,
)
from bot.services import photo_relay
from bot.services.errors import InvalidInput, NotAllowed, NotFound

MAX_REPLY = 4000


async def thanks_count(update_id: int) -> int:
    """How many relatives said thank you for the update."""
    return await PhotoThanks.filter(update_id=update_id).count()


async def _received(account: Account, update_id: int) -> bool:
    """Whether the update was relayed to the account (sent, or on its way this moment)."""
    return await Delivery.filter(
        purpose=photo_relay.RELAY, reference=photo_relay.photos_reference(update_id),
        account_id=account.id, state__in=(DeliveryState.SENT, DeliveryState.SENDING),
    ).exists()


async def _received_update(account: Account, update_id: int) -> PhotoUpdate:
    update = await PhotoUpdate.get_or_none(id=update_id)
    if update is None:
        raise NotFound(f"no photo update {update_id}")
    if not await _received(account, update_id):
        raise NotAllowed("only relatives who received the update")
    if update.state != PhotoUpdateState.APPROVED:
        raise InvalidInput("state", str(update.state))  # recalled
    return update


async def thank(account: Account, update_id: int) -> int:
    """A relative who received the update says thank you (once); returns the count.

    NotAllowed for anyone else; InvalidInput("state", "recalled") after a recall. Sends
    nothing: the caller updates the author's and approvers' messages.
    """
    await _received_update(account, update_id)
    try:
        await PhotoThanks.get_or_create(update_id=update_id, account_id=account.id)
    except IntegrityError:  # the same press twice at once
        pass
    return await thanks_count(update_id)


async def reply_to_author(account: Account, update_id: int, text: str) -> None:
    """Relay a relative's reply (≤ 4000 characters) to the author's private chat.

    Only for relatives who received the update (else NotAllowed). It waits for the end of
    the author's quiet hours.
    """
    text = text.strip()
    if not text:
        raise InvalidInput("text", "empty")
    if len(text) > MAX_REPLY:
        raise InvalidInput("text", "too_long")
    update = await _received_update(account, update_id)
    view = await photo_relay.shown(update.id)
    if view.author is None:
        raise NotFound("the author erased their account")
    linked = set(
        await RelativeLink.filter(account_id=account.id).values_list("resident_id", flat=True)
    )
    names = [r.display_name for r in view.residents if r.id in linked] or [
        r.display_name for r in view.residents
    ]
    reference = f"{update.id}:{account.id}:{time.time_ns() // 1_000_000}"
    await photo_relay.enqueue_reply(view, account, names, text, reference)


async def decision_messages(update_id: int) -> list[tuple[int, int, str]]:
    """(chat_id, message_id, locale) of the sent review notes and of the author's decision
    message, so that they can be edited (a decision, a thank-you) with
    :func:`bot.services.photo_relay.review_text` / ``author_text``; :func:`sent_notes` says
    which is which."""
    return [(note.chat_id, note.message_id, note.locale) for note in await sent_notes(update_id)]


class SentNote(NamedTuple):
    """A sent message about an update that is edited as things change."""

    chat_id: int
    message_id: int
    locale: str
    purpose: str  # photo_relay.REVIEW (an approver's note) or photo_relay.DECISION (the author's)
    admin: bool  # the reader is admin of the update's facility (may recall it)


async def sent_notes(update_id: int) -> list[SentNote]:
    """The rows of :func:`decision_messages`, saying which is which and who reads them."""
    rows = await Delivery.filter(
        purpose__in=(photo_relay.REVIEW, photo_relay.DECISION), reference=str(update_id),
        state=DeliveryState.SENT,
    ).order_by("id")
    update = await PhotoUpdate.get_or_none(id=update_id).prefetch_related("facility")
    if update is None:
        return []
    admins = set(
        await StaffRole.filter(facility_id=update.facility.id, role=Role.ADMIN).values_list(
            "account_id", flat=True
        )
    )
    return [
        SentNote(
            row.chat_id, row.sent_message_ids[-1],
            row.content.get("locale", update.facility.default_locale), row.purpose,
            row.purpose == photo_relay.REVIEW and row.account_id in admins,  # type: ignore[attr-defined]
        )
        for row in rows
        if row.sent_message_ids
    ]
