"""What "please call us" stores about a relative, for /mydata and /deleteme."""

from __future__ import annotations

from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from bot.models import Account, Delivery, EmergencyCall, RelativeLink
from bot.services.emergency_calls.calls import ACKNOWLEDGED, ANSWERED


async def export_of(account: Account) -> dict[str, Any]:
    """The residents the account is an emergency contact of, the alerts it answered, and (for
    the home's team) the alerts it sent."""
    links = await RelativeLink.filter(account_id=account.id, emergency_contact=True)\
        .prefetch_related("resident__facility").order_by("id")
    answered = await EmergencyCall.filter(acknowledged_by_id=account.id)\
        .prefetch_related("resident", "facility").order_by("acknowledged_at")
    sent = await EmergencyCall.filter(sender_id=account.id)\
        .prefetch_related("resident", "facility").order_by("created_at")
    return {
        "emergency_contact_of": [
            {"resident": link.resident.display_name, "facility": link.resident.facility.name}
            for link in links
        ],
        "alerts_answered": [
            {"facility": call.facility.name, "resident": call.resident.display_name,
             "alert_sent_at": call.created_at.isoformat(),
             "answered_at": call.acknowledged_at.isoformat() if call.acknowledged_at else None,
             "answer": call.answer.value if call.answer else None}
            for call in answered
        ],
        "alerts_sent": [
            {"facility": call.facility.name, "resident": call.resident.display_name,
             "reason": call.reason.value, "sent_at": call.created_at.isoformat()}
            for call in sent
        ],
    }


async def erase_acknowledgements(account: Account, connection: BaseDBAsyncClient) -> None:
    """Forget who answered: the alerts keep when they were answered (for the home's figures),
    not by whom; the notices naming the account are taken out of the outbox. (The flag goes
    with the account's links.)"""
    calls = await EmergencyCall.filter(acknowledged_by_id=account.id).using_db(
        connection).values_list("id", flat=True)
    if calls:
        await Delivery.filter(
            purpose__in=(ACKNOWLEDGED, ANSWERED), reference__in=[f"call:{i}" for i in calls]
        ).using_db(connection).delete()
        await EmergencyCall.filter(id__in=list(calls)).using_db(connection).update(
            acknowledged_by_id=None)
