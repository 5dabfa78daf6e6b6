"""After the relay: relatives thank and reply; the messages about an update, to keep current.

Relatives are not staff: these take their Account, and what they may do rests on one fact,
that the update was relayed to them.
"""

from __future__ import annotations

from typing import NamedTuple

from tortoise.exceptions import IntegrityError

from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.models import (
    Account,
    Delivery,
    DeliveryState,
    PhotoTag,
    PhotoThanks,
    PhotoUpdate,
    PhotoUpdateState,
    RelativeLink,
    Role,
    StaffRole,
)
from bot.services.photo_updates import relay as photo_relay


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


async def reply_about(account: Account, update_id: int) -> int:
    """The resident a relative's "Reply" under the update is about: their own relative's.

    Only for relatives who received the update (else NotAllowed). The reply itself is a
    message to the home (``bot.services.conversations.conversations``).
    """
    update = await _received_update(account, update_id)
    tagged = await PhotoTag.filter(update_id=update.id).order_by("id").values_list(
        "resident_id", flat=True
    )
    linked = set(
        await RelativeLink.filter(account_id=account.id, active=True).values_list(
            "resident_id", flat=True
        )
    )
    for resident_id in tagged:
        if resident_id in linked:
            return int(resident_id)
    raise NotAllowed("no longer linked with anyone in the update")


async def decision_messages(update_id: int) -> list[tuple[int, int, str]]:
    """(chat_id, message_id, locale) of the sent review notes and of the author's decision
    message, so that they can be edited (a decision, a thank-you) with
    :func:`bot.services.photo_updates.relay.review_text` / ``author_text``; :func:`sent_notes` says
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
