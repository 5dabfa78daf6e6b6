"""Announcements (Rundschreiben): a facility's admins write once, every family gets it.

An announcement is drafted step by step (text or photo, audience, other languages, urgency,
time), then confirmed: confirming writes one outbox delivery per recipient in the same
transaction, and the sender delivers them (quiet hours kept unless urgent). Every step checks
again that the actor is an admin of the facility.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from bot import clock
from bot.delivery.outbox import Outgoing, Recipient, enqueue
from bot.domain.errors import InvalidInput, NotFound
from bot.i18n import available_locales
from bot.models import (
    Account,
    Announcement,
    AnnouncementState,
    Audience,
    Delivery,
    DeliveryState,
    Facility,
    RelativeLink,
    ResidentStatus,
    Role,
    StaffRole,
    Unit,
)
from bot.services.accounts import audit
from bot.services.accounts.actors import Actor, require_role

PURPOSE = "announcement"
TEXT_LIMIT = 4096  # Telegram's limit for a message
CAPTION_LIMIT = 1024  # Telegram's limit for a photo caption
CANCELLED = "cancelled"  # last_error of deliveries skipped by a cancel
# A pending delivery due later than this waits for quiet hours, not for Telegram's pace.
QUIET_HOURS_AHEAD = dt.timedelta(minutes=5)

# The time choices offered as buttons; anything else is a typed time.
NOW, IN_ONE_HOUR, TODAY_EVENING, TOMORROW_MORNING = "now", "in_1h", "today_18", "tomorrow_09"
_TYPED_TIME = re.compile(r"^(?:(\d{4}-\d{2}-\d{2})\s+)?(\d{1,2})[:.](\d{2})$")


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


async def _facility_for_admin(actor: Actor, facility_id: int) -> Facility:
    facility = await Facility.get_or_none(id=facility_id)
    if facility is None:
        raise NotFound(f"no facility {facility_id}")
    await require_role(actor, facility.id, Role.ADMIN)
    return facility


async def get_announcement(actor: Actor, announcement_id: int) -> Announcement:
    """The announcement, if the actor is an admin of its facility (else NotAllowed/NotFound)."""
    announcement = await Announcement.get_or_none(id=announcement_id).prefetch_related(
        "facility", "unit"
    )
    if announcement is None:
        raise NotFound(f"no announcement {announcement_id}")
    await require_role(actor, announcement.facility_id, Role.ADMIN)  # type: ignore[attr-defined]
    return announcement


async def _draft_of(actor: Actor, announcement_id: int) -> Announcement:
    announcement = await get_announcement(actor, announcement_id)
    if announcement.state != AnnouncementState.DRAFT:
        raise InvalidInput("state", "already confirmed")
    return announcement


def _valid_text(text: str, *, photo: bool) -> str:
    limit = CAPTION_LIMIT if photo else TEXT_LIMIT
    field = "caption" if photo else "text"
    if len(text) > limit:
        raise InvalidInput(field, f"longer than {limit} characters")
    if not photo and not text.strip():
        raise InvalidInput("text", "empty")
    return text


def _valid_locale(locale: str) -> str:
    if locale not in available_locales():
        raise InvalidInput("locale", f"no catalog for {locale!r}")
    return locale


def _version(text: str, entities: Sequence[dict[str, Any]] | None) -> dict[str, Any]:
    return {"text": text, "entities": list(entities or [])}


async def draft(
    actor: Actor,
    facility_id: int,
    text: str,
    entities: Sequence[dict[str, Any]] | None = None,
    locale: str | None = None,
    *,
    photo_file_id: str | None = None,
) -> Announcement:
    """Start an announcement to all relatives: a text (≤ 4096) or a photo with caption (≤ 1024).

    ``entities`` are Telegram message entities as dicts (formatting is kept); ``locale`` is the
    language of this first version (the facility's default when not given).
    """
    facility = await _facility_for_admin(actor, facility_id)
    _valid_text(text, photo=photo_file_id is not None)
    chosen = _valid_locale(locale or facility.default_locale)
    return await Announcement.create(
        facility=facility,
        author=actor.account,
        audience=Audience.RELATIVES,
        texts={chosen: _version(text, entities)},
        default_locale=chosen,
        photo_file_id=photo_file_id,
    )


async def _unit_of(facility_id: int, unit: str | int) -> Unit:
    if isinstance(unit, int) or unit.isdigit():
        found = await Unit.get_or_none(id=int(unit), facility_id=facility_id)
    else:
        found = await Unit.get_or_none(name=unit.strip(), facility_id=facility_id)
    if found is None:
        raise InvalidInput("unit", "no such unit in this facility")
    return found


async def set_audience(
    actor: Actor, announcement_id: int, audience: Audience, unit: str | int | None = None
) -> Announcement:
    """All relatives, the relatives of one unit (by name or id), or staff only."""
    announcement = await _draft_of(actor, announcement_id)
    announcement.audience = audience
    announcement.unit = None
    if audience == Audience.UNIT:
        if unit is None:
            raise InvalidInput("unit", "missing")
        announcement.unit = await _unit_of(announcement.facility.id, unit)
    await announcement.save(update_fields=["audience", "unit_id"])
    return announcement


async def units_of(actor: Actor, facility_id: int) -> list[Unit]:
    """The facility's units, by name, for choosing an audience."""
    await _facility_for_admin(actor, facility_id)
    return await Unit.filter(facility_id=facility_id).order_by("name", "id")


async def add_translation(
    actor: Actor,
    announcement_id: int,
    locale: str,
    text: str,
    entities: Sequence[dict[str, Any]] | None = None,
) -> Announcement:
    """Add (or replace) the version for relatives who speak ``locale``."""
    announcement = await _draft_of(actor, announcement_id)
    _valid_locale(locale)
    _valid_text(text, photo=announcement.photo_file_id is not None)
    announcement.texts = {**announcement.texts, locale: _version(text, entities)}
    await announcement.save(update_fields=["texts"])
    return announcement


async def set_urgent(actor: Actor, announcement_id: int, urgent: bool) -> Announcement:
    """Urgent announcements go at once, also during relatives' quiet hours."""
    announcement = await _draft_of(actor, announcement_id)
    announcement.urgent = urgent
    await announcement.save(update_fields=["urgent"])
    return announcement


def send_time(when: str, timezone: str, now: dt.datetime | None = None) -> dt.datetime:
    """The moment ``when`` names, in UTC: a choice (:data:`NOW`, …) or a typed local time.

    Typed: ``HH:MM`` (today) or ``YYYY-MM-DD HH:MM``, in the facility's ``timezone``.
    A time in the past is :class:`InvalidInput`.
    """
    moment = now or clock.now()
    local = moment.astimezone(ZoneInfo(timezone))
    if when == NOW:
        return moment
    if when == IN_ONE_HOUR:
        return moment + dt.timedelta(hours=1)
    if when in (TODAY_EVENING, TOMORROW_MORNING):
        day = local.date() + dt.timedelta(days=0 if when == TODAY_EVENING else 1)
        wall = dt.time(18, 0) if when == TODAY_EVENING else dt.time(9, 0)
    else:
        match = _TYPED_TIME.match(when.strip())
        if match is None:
            raise InvalidInput("time", "not HH:MM or YYYY-MM-DD HH:MM")
        try:
            day = dt.date.fromisoformat(match[1]) if match[1] else local.date()
            wall = dt.time(int(match[2]), int(match[3]))
        except ValueError as error:
            raise InvalidInput("time", "no such date or time") from error
    chosen = dt.datetime.combine(day, wall, tzinfo=ZoneInfo(timezone)).astimezone(dt.UTC)
    if chosen < moment - dt.timedelta(minutes=1):
        raise InvalidInput("time", "in the past")
    return chosen


async def schedule(
    actor: Actor, announcement_id: int, when: str, now: dt.datetime | None = None
) -> Announcement:
    """Choose when it goes: now, in 1 hour, today 18:00, tomorrow 09:00, or a typed time."""
    announcement = await _draft_of(actor, announcement_id)
    announcement.send_at = send_time(when, announcement.facility.timezone, now)
    await announcement.save(update_fields=["send_at"])
    return announcement


async def recipients_of(announcement: Announcement) -> list[tuple[Recipient, str]]:
    """Who gets it, each once, with the language of the version they get.

    Relatives: accounts with an active link to an active resident of the facility (of the
    unit); staff: the facility's staff. Unreachable accounts are left out.
    """
    facility = await Facility.get(id=announcement.facility_id)  # type: ignore[attr-defined]
    accounts: dict[int, Account] = {}
    if announcement.audience == Audience.STAFF:
        roles = await StaffRole.filter(
            facility_id=facility.id, account__unreachable=False
        ).prefetch_related("account")
        accounts = {role.account.id: role.account for role in roles}
    else:
        query = RelativeLink.filter(
            active=True,
            resident__facility_id=facility.id,
            resident__status=ResidentStatus.ACTIVE,
            account__unreachable=False,
        )
        if announcement.audience == Audience.UNIT:
            query = query.filter(resident__unit_id=announcement.unit_id)  # type: ignore[attr-defined]
        for link in await query.prefetch_related("account").order_by("id"):
            accounts.setdefault(link.account.id, link.account)
    chosen = []
    for account in sorted(accounts.values(), key=lambda account: account.id):
        locale = account.locale if account.locale in announcement.texts else None
        recipient = Recipient(account.telegram_id, account, facility.timezone)
        chosen.append((recipient, locale or announcement.default_locale))
    return chosen


def outgoing_in(announcement: Announcement, locale: str) -> Outgoing:
    """The message as recipients of the ``locale`` version see it."""
    version = announcement.texts.get(locale) or announcement.texts[announcement.default_locale]
    if announcement.photo_file_id:
        outgoing = Outgoing.photo(announcement.photo_file_id, version["text"])
        if version["entities"]:
            outgoing.content["caption_entities"] = version["entities"]
        return outgoing
    return Outgoing.text(version["text"], entities=version["entities"])


async def _enqueue_all(
    announcement: Announcement, connection: BaseDBAsyncClient
) -> int:
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

    Confirming again changes nothing (the deliveries are written once).
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
        announcement.send_at = announcement.send_at or clock.now()
        announcement.recipients = await _enqueue_all(announcement, connection)
        announcement.state = AnnouncementState.SCHEDULED
        announcement.confirmed_at = clock.now()
        await announcement.save(
            using_db=connection,
            update_fields=["send_at", "recipients", "state", "confirmed_at"],
        )
        facility = await Facility.get(id=announcement.facility_id).using_db(connection)  # type: ignore[attr-defined]
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


async def cancel(actor: Actor, announcement_id: int) -> Announcement:
    """Stop what is not yet sent: pending deliveries are skipped. Audited."""
    announcement = await get_announcement(actor, announcement_id)
    if announcement.state in (AnnouncementState.DONE, AnnouncementState.CANCELLED):
        return announcement
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
    return announcement


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
) -> Announcement:
    """Remember the message where the author watches the progress."""
    announcement = await get_announcement(actor, announcement_id)
    announcement.progress_chat_id = chat_id
    announcement.progress_message_id = message_id
    await announcement.save(update_fields=["progress_chat_id", "progress_message_id"])
    return announcement


async def being_sent() -> list[Announcement]:
    """Confirmed announcements not yet done that someone watches in Telegram (after a restart)."""
    return await Announcement.filter(
        state__in=(AnnouncementState.SCHEDULED, AnnouncementState.SENDING),
        progress_message_id__isnull=False,
    ).prefetch_related("facility", "author")


async def recent(
    actor: Actor, facility_id: int, limit: int = 10
) -> list[tuple[Announcement, Figures]]:
    """The facility's latest confirmed announcements with their figures, newest first."""
    await _facility_for_admin(actor, facility_id)
    latest = (
        await Announcement.filter(facility_id=facility_id)
        .exclude(state=AnnouncementState.DRAFT)
        .order_by("-id")
        .limit(limit)
        .prefetch_related("facility")
    )
    return [(announcement, await figures(announcement.id)) for announcement in latest]
