"""After the relay: relatives thank and reply.

Relatives are not staff: these take their Account, and what they may do rests on one fact,
that the update was relayed to them.
"""

from __future__ import annotations

from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

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
)
from bot.services.photo_updates import relay as photo_relay
from bot.services.photo_updates.notes import enqueue_note_edits


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

    NotAllowed for anyone else; InvalidInput("state", "recalled") after a recall. The author's
    and approvers' messages are edited to show the new count.
    """
    await _received_update(account, update_id)
    try:
        async with in_transaction() as connection:
            _, created = await PhotoThanks.get_or_create(
                update_id=update_id, account_id=account.id, using_db=connection
            )
            if created:
                await enqueue_note_edits(update_id, connection)
    except IntegrityError:  # the same press twice at once: the other one counted it
        pass
    return await thanks_count(update_id)


async def reply_about(account: Account, update_id: int) -> int:
    """The resident a relative's "Reply" under the update is about: their own relative's.

    Only for relatives who received the update (else NotAllowed). The reply itself is a
    message to the home (``bot.services.conversations.conversations``).
    """
    update = await _received_update(account, update_id)
    tagged: list[Any] = await PhotoTag.filter(update_id=update.id).order_by("id").values_list(
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
