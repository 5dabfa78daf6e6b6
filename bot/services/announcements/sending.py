"""Confirming an announcement (one outbox delivery per recipient) and cancelling what is left."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from bot import clock
from bot.delivery.outbox import Recipient, enqueue
from bot.models import Announcement, AnnouncementState, Delivery, DeliveryState, Facility
from bot.services.accounts import audit
from bot.services.accounts.actors import Actor
from bot.services.announcements.drafts import get_announcement
from bot.services.announcements.recipients import outgoing_in, recipients_of
from bot.services.announcements.views import AnnouncementView, view_of

PURPOSE = "announcement"  # the outbox purpose of an announcement's deliveries
CANCELLED = "cancelled"  # last_error of deliveries skipped by a cancel


async def _enqueue_all(announcement: AnnouncementView, connection: BaseDBAsyncClient) -> int:
    by_locale: dict[str, list[Recipient]] = {}
    for recipient, locale in await recipients_of(announcement):
        by_locale.setdefault(locale, []).append(recipient)
    for locale, recipients in by_locale.items():
        await enqueue(
            recipients,
            outgoing_in(announcement, locale),
            purpose=PURPOSE,
            reference=str(announcement.id),
            urgent=announcement.urgent,
            not_before=announcement.send_at,
            using_db=connection,
        )
    return sum(len(recipients) for recipients in by_locale.values())


async def confirm(actor: Actor, announcement_id: int) -> Announcement:
    """Send it: one delivery per recipient, written in one transaction, audited.

    Confirming again changes nothing (the deliveries are written once). Returns the model:
    the command line prints its fields.
    """
    await get_announcement(actor, announcement_id)
    async with in_transaction() as connection:
        announcement = (
            await Announcement.filter(id=announcement_id)
            .select_for_update()
            .using_db(connection)
            .get()
        )
        if announcement.state != AnnouncementState.DRAFT:
            return announcement
        facility = await Facility.get(id=announcement.facility_id).using_db(connection)  # type: ignore[attr-defined]
        announcement.send_at = announcement.send_at or clock.now()
        announcement.recipients = await _enqueue_all(view_of(announcement, facility), connection)
        announcement.state = AnnouncementState.SCHEDULED
        announcement.confirmed_at = clock.now()
        await announcement.save(
            using_db=connection,
            update_fields=["send_at", "recipients", "state", "confirmed_at"],
        )
        await audit.record(
            actor,
            "announcement.send",
            facility=facility,
            subject=f"announcement:{announcement.id}",
            audience=announcement.audience,
            recipients=announcement.recipients,
            languages=sorted(announcement.texts),
            urgent=announcement.urgent,
            send_at=announcement.send_at,
        )
    return announcement


async def cancel(actor: Actor, announcement_id: int) -> AnnouncementView:
    """Stop what is not yet sent: pending deliveries are skipped. Audited."""
    announcement = await get_announcement(actor, announcement_id)
    if announcement.state in (AnnouncementState.DONE, AnnouncementState.CANCELLED):
        return view_of(announcement, announcement.facility)
    async with in_transaction() as connection:
        skipped = await Delivery.filter(
            purpose=PURPOSE, reference=str(announcement.id), state=DeliveryState.PENDING
        ).using_db(connection).update(state=DeliveryState.SKIPPED, last_error=CANCELLED)
        announcement.state = AnnouncementState.CANCELLED
        await announcement.save(using_db=connection, update_fields=["state"])
        await audit.record(
            actor,
            "announcement.cancel",
            facility=announcement.facility,
            subject=f"announcement:{announcement.id}",
            not_sent=skipped,
        )
    return view_of(announcement, announcement.facility)
