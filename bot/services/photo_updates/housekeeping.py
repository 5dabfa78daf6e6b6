"""Photo updates when the world changes: consent withdrawn, a stay ended, time passed.

The two hooks run inside the transaction of the change that calls them (``using_db``):
withdrawing consent and ending a stay take effect for photo updates at the same moment.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from bot import clock
from bot.i18n import Translator
from bot.models import (
    Delivery,
    DeliveryState,
    Facility,
    PhotoTag,
    PhotoUpdate,
    PhotoUpdateState,
    RejectReason,
    Resident,
)
from bot.services.accounts import audit
from bot.services.accounts.actors import Actor
from bot.services.photo_updates import relay as photo_relay
from bot.services.photo_updates.notes import enqueue_note_edits

SYSTEM = Actor(account=None, via="system")
DRAFTS_KEPT = dt.timedelta(days=1)  # an unsubmitted draft is forgotten after a day


async def _tagged(
    resident_id: int, state: PhotoUpdateState, using_db: BaseDBAsyncClient | None
) -> list[int]:
    ids: list[Any] = await PhotoUpdate.filter(  # (the stubs type flat lists as tuples)
        tags__resident_id=resident_id, state=state
    ).using_db(
        using_db
    ).values_list("id", flat=True)
    return sorted({int(update_id) for update_id in ids})


async def on_consent_withdrawn(resident_id: int, using_db: BaseDBAsyncClient | None) -> int:
    """Photo consent was withdrawn: the resident's pending updates are rejected (the authors
    are told) and approved ones still waiting to go out are not sent. Returns how many were
    rejected."""
    resident = await Resident.get(id=resident_id, using_db=using_db)
    rejected = 0
    for update_id in await _tagged(resident_id, PhotoUpdateState.PENDING, using_db):
        changed = await PhotoUpdate.filter(
            id=update_id, state=PhotoUpdateState.PENDING
        ).using_db(using_db).update(
            state=PhotoUpdateState.REJECTED, reject_reason=RejectReason.CONSENT,
            decided_at=clock.now(), decided_by_id=None,
        )
        if not changed:
            continue
        rejected += 1
        view = await photo_relay.shown(update_id, using_db)

        def withdrawn(tr: Translator, view: photo_relay.Shown = view) -> str:
            names = [r.display_name for r in view.residents]
            return tr._(
                "Your photo update of {residents} will not be sent: the photo consent for "
                "{name} was withdrawn."
            ).format(residents=photo_relay.name_list(names, tr), name=resident.display_name)

        await photo_relay.enqueue_author_text(view, using_db, withdrawn)
        await enqueue_note_edits(update_id, using_db)  # the approvers' buttons go
        await audit.record(
            SYSTEM, "photo.reject", facility=view.facility, subject=f"photo_update:{update_id}",
            reason=RejectReason.CONSENT, consent_withdrawn_for=f"resident:{resident_id}",
        )
    approved = await _tagged(resident_id, PhotoUpdateState.APPROVED, using_db)
    await photo_relay.skip_pending(approved, "consent withdrawn", using_db)
    return rejected


async def on_stay_ended(resident_id: int, using_db: BaseDBAsyncClient | None) -> int:
    """A resident moved out or died: their pending updates close (the authors are told),
    drafts forget them, and relatives who would get an approved update waiting to go out only
    because of them do not get it. Call it after the resident's links were ended. Returns how
    many updates were closed."""
    resident = await Resident.get(id=resident_id, using_db=using_db)
    closed = 0
    for update_id in await _tagged(resident_id, PhotoUpdateState.PENDING, using_db):
        changed = await PhotoUpdate.filter(
            id=update_id, state=PhotoUpdateState.PENDING
        ).using_db(using_db).update(
            state=PhotoUpdateState.CLOSED, decided_at=clock.now()
        )
        if not changed:
            continue
        closed += 1
        view = await photo_relay.shown(update_id, using_db)

        def ended(tr: Translator, view: photo_relay.Shown = view) -> str:
            names = [r.display_name for r in view.residents]
            return tr._(
                "Your photo update of {residents} will not be sent: {name} no longer lives in "
                "the home."
            ).format(residents=photo_relay.name_list(names, tr), name=resident.display_name)

        await photo_relay.enqueue_author_text(view, using_db, ended)
        await enqueue_note_edits(update_id, using_db)  # the approvers' buttons go
        await audit.record(
            SYSTEM, "photo.close", facility=view.facility, subject=f"photo_update:{update_id}",
            stay_ended_for=f"resident:{resident_id}",
        )
    drafts = await _tagged(resident_id, PhotoUpdateState.DRAFT, using_db)
    if drafts:
        await PhotoTag.filter(resident_id=resident_id, update_id__in=drafts).using_db(
            using_db
        ).delete()
    for update_id in await _tagged(resident_id, PhotoUpdateState.APPROVED, using_db):
        others: list[Any] = await PhotoTag.filter(update_id=update_id).exclude(
            resident_id=resident_id
        ).using_db(using_db).values_list("resident_id", flat=True)
        still = await photo_relay.relatives_to_notify(others, using_db)
        waiting: list[Any] = await Delivery.filter(
            purpose=photo_relay.RELAY, state=DeliveryState.PENDING,
            reference__in=[photo_relay.photos_reference(update_id),
                           photo_relay.note_reference(update_id)],
        ).using_db(using_db).values_list("account_id", flat=True)
        gone = {account_id for account_id in waiting if account_id not in still}
        if gone:
            await photo_relay.skip_pending([update_id], "stay ended", using_db, accounts=gone)
    return closed


def _deliveries_of(update_id: int) -> Q:
    return Q(purpose__in=photo_relay.PURPOSES) & (
        Q(reference=str(update_id)) | Q(reference__startswith=f"{update_id}:")
    )


async def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete photo updates older than their facility's retention (and drafts older than a
    day), with their tags, thanks and outbox rows. Returns how many. The daily job."""
    moment = now or clock.now()
    purged = 0
    for facility in await Facility.all().order_by("id"):
        cutoff = moment - dt.timedelta(days=facility.photo_retention_days)
        expired: list[Any] = await PhotoUpdate.filter(
            Q(created_at__lt=cutoff)
            | Q(state=PhotoUpdateState.DRAFT, created_at__lt=moment - DRAFTS_KEPT),
            facility_id=facility.id,
        ).values_list("id", flat=True)
        if not expired:
            continue
        async with in_transaction() as connection:
            for update_id in expired:
                await Delivery.filter(_deliveries_of(update_id)).exclude(
                    state=DeliveryState.SENDING  # the sender still writes it: gone tomorrow
                ).using_db(connection).delete()
            await PhotoUpdate.filter(id__in=list(expired)).using_db(connection).delete()
            await audit.record(
                SYSTEM, "photo.purge", facility=facility, subject=f"facility:{facility.id}",
                count=len(expired), retention_days=facility.photo_retention_days,
            )
        purged += len(expired)
    return purged
