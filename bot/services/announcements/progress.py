"""Where a confirmed announcement stands: its delivery figures, its state, what is still going."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot import clock
from bot.domain.errors import NotFound
from bot.models import Announcement, AnnouncementState, Delivery, DeliveryState
from bot.services.accounts import locale_of
from bot.services.accounts.actors import Actor
from bot.services.announcements.drafts import facility_for_admin, get_announcement
from bot.services.announcements.sending import CANCELLED, PURPOSE
from bot.services.announcements.views import AnnouncementView, view_of

# A pending delivery due later than this waits for quiet hours, not for Telegram's pace.
QUIET_HOURS_AHEAD = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Figures:
    """Where an announcement's deliveries stand."""

    total: int
    sent: int
    unreachable: int
    failed: int
    pending: int
    cancelled: int
    waiting: int = 0  # of the pending: held back by the families' quiet hours

    @property
    def settled(self) -> bool:
        """Nothing is waiting to be sent any more."""
        return self.pending == 0


async def figures(announcement_id: int) -> Figures:
    """Sent, unreachable, failed, pending and cancelled deliveries of one announcement.

    Also moves the announcement along: sending once the first went, done when none is left.
    """
    rows = await Delivery.filter(purpose=PURPOSE, reference=str(announcement_id)).values_list(
        "state", "last_error", "next_attempt_at"
    )
    count = {state: 0 for state in DeliveryState}
    cancelled = waiting = 0
    later = clock.now() + QUIET_HOURS_AHEAD
    for state, reason, next_attempt_at in rows:
        if state == DeliveryState.SKIPPED and reason == CANCELLED:
            cancelled += 1
            continue
        count[DeliveryState(state)] += 1
        waiting += state == DeliveryState.PENDING and next_attempt_at > later
    result = Figures(
        total=len(rows),
        sent=count[DeliveryState.SENT],
        unreachable=count[DeliveryState.SKIPPED],
        failed=count[DeliveryState.FAILED],
        pending=count[DeliveryState.PENDING] + count[DeliveryState.SENDING],
        cancelled=cancelled,
        waiting=waiting,
    )
    await _advance(announcement_id, result)
    return result


async def _advance(announcement_id: int, current: Figures) -> None:
    moving = (AnnouncementState.SCHEDULED, AnnouncementState.SENDING)
    if current.settled:
        await Announcement.filter(id=announcement_id, state__in=moving).update(
            state=AnnouncementState.DONE
        )
    elif current.sent or current.unreachable or current.failed:
        await Announcement.filter(
            id=announcement_id, state=AnnouncementState.SCHEDULED
        ).update(state=AnnouncementState.SENDING)


async def state_of(announcement_id: int) -> AnnouncementState:
    """The announcement's state as the database has it now."""
    announcement = await Announcement.get_or_none(id=announcement_id).only("id", "state")
    if announcement is None:
        raise NotFound(f"no announcement {announcement_id}")
    return announcement.state


async def started_at(announcement_id: int) -> dt.datetime:
    """When sending began (or begins): the later of the chosen time and the confirmation."""
    announcement = await Announcement.get(id=announcement_id)
    moments = [m for m in (announcement.send_at, announcement.confirmed_at) if m is not None]
    return max(moments) if moments else announcement.created_at


def seconds_left(
    current: Figures, started: dt.datetime, now: dt.datetime | None = None
) -> float | None:
    """An estimate of the time still needed, from the pace so far (None before the first)."""
    elapsed = ((now or clock.now()) - started).total_seconds()
    done = current.sent + current.unreachable + current.failed
    if done == 0 or elapsed <= 0:
        return None
    return (current.pending - current.waiting) * elapsed / done


async def watch_from(
    actor: Actor, announcement_id: int, chat_id: int, message_id: int
) -> AnnouncementView:
    """Remember the message where the author watches the progress."""
    announcement = await get_announcement(actor, announcement_id)
    announcement.progress_chat_id = chat_id
    announcement.progress_message_id = message_id
    await announcement.save(update_fields=["progress_chat_id", "progress_message_id"])
    return view_of(announcement, announcement.facility)


async def being_sent(default_locale: str) -> list[tuple[AnnouncementView, str]]:
    """Confirmed announcements not yet done that someone watches in Telegram (after a restart),
    each with the locale its author reads (``default_locale`` when the author has none)."""
    watched = await Announcement.filter(
        state__in=(AnnouncementState.SCHEDULED, AnnouncementState.SENDING),
        progress_message_id__isnull=False,
    ).prefetch_related("facility", "author")
    return [
        (view_of(announcement, announcement.facility),
         locale_of(announcement.author, None, default_locale))
        for announcement in watched
    ]


async def recent(
    actor: Actor, facility_id: int, limit: int = 10
) -> list[tuple[AnnouncementView, Figures]]:
    """The facility's latest confirmed announcements with their figures, newest first."""
    await facility_for_admin(actor, facility_id)
    latest = (
        await Announcement.filter(facility_id=facility_id)
        .exclude(state=AnnouncementState.DRAFT)
        .order_by("-id")
        .limit(limit)
        .prefetch_related("facility")
    )
    return [
        (view_of(announcement, announcement.facility), await figures(announcement.id))
        for announcement in latest
    ]
