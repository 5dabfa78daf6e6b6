"""The evening digest, /today for relatives, the day's photos, and the notes' retention.

:func:`send_digests` is a periodic job: once the relative's chosen time has come (the home's
time zone), each opted-in relative gets one message per resident with the day's notes. The
outbox row's (purpose, reference, chat) is unique, reference ``"<resident>:<day>"``: running
the job again, in several processes or after a crash, sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from bot import clock
from bot.delivery.outbox import Outgoing, Recipient, enqueue, quiet_hours
from bot.domain.callbacks import Prefix, button
from bot.domain.errors import NotFound
from bot.i18n import Translator, translator
from bot.models import (
    Account,
    Delivery,
    DeliveryState,
    Facility,
    PhotoUpdate,
    PhotoUpdateState,
    RelativeLink,
    Resident,
    ResidentStatus,
    WellbeingConsent,
    WellbeingNote,
    WellbeingReader,
)
from bot.services.accounts.accounts import locale_of
from bot.services.wellbeing.consent import DEFAULT_DIGEST_AT, effective_digest_at, inside
from bot.services.wellbeing.settings import resident_notes_enabled, setup_of
from bot.services.wellbeing.texts import day_text

DIGEST = "wb_digest"


def _bounds(day: dt.date, timezone: str) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(timezone))
    return start.astimezone(dt.UTC), (start + dt.timedelta(days=1)).astimezone(dt.UTC)


async def _photo_updates(link: RelativeLink, day: dt.date, timezone: str) -> list[PhotoUpdate]:
    if not link.photo_updates:
        return []
    start, end = _bounds(day, timezone)
    return await PhotoUpdate.filter(
        tags__resident_id=link.resident_id, state=PhotoUpdateState.APPROVED,
        decided_at__gte=start, decided_at__lt=end,
    ).order_by("decided_at", "id")


async def _notes(resident_id: int, day: dt.date) -> list[tuple[WellbeingNote, str | None]]:
    notes = await WellbeingNote.filter(resident_id=resident_id, day=day).order_by(
        "created_at", "id"
    ).select_related("author")
    return [(note, note.author.first_name if note.author else None) for note in notes]


async def _message(
    tr: Translator, link: RelativeLink, facility: Facility, day: dt.date, today: bool
) -> tuple[str, list[list[dict[str, str]]]] | None:
    notes = await _notes(link.resident_id, day)
    if not notes:
        return None
    photos = len(await _photo_updates(link, day, facility.timezone))
    text = day_text(tr, resident=link.resident.display_name, facility=facility.name, day=day,
                    today=today, notes=notes, timezone=facility.timezone, photos=photos)
    buttons = [[button(tr._("📷 Show the photos"), Prefix.WELLBEING, "photos",
                       link.resident_id, day.strftime("%Y%m%d"))]] if photos else []
    return text, buttons


async def send_digests(now: dt.datetime | None = None, *, ignore_time: bool = False) -> int:
    """Enqueue the digests that are due (a periodic job); returns how many were written.

    ``ignore_time``: also those whose time has not come yet (the demo's "send it now").
    """
    moment = now or clock.now()
    written = 0
    for facility in await Facility.filter(wellbeing_notes__id__isnull=False).distinct():
        if not (await setup_of(facility.id)).notes_enabled:
            continue
        local = moment.astimezone(ZoneInfo(facility.timezone))
        day = local.date()
        noted: list[Any] = await WellbeingNote.filter(
            facility_id=facility.id, day=day
        ).distinct().values_list("resident_id", flat=True)
        residents = {int(r) for r in noted}
        residents = {r for r in residents if await resident_notes_enabled(r)}
        if not residents:
            continue
        links = await RelativeLink.filter(
            active=True, wellbeing__opted_in=True, wellbeing__home_enabled=True,
            resident__status=ResidentStatus.ACTIVE, resident_id__in=list(residents),
        ).select_related("account", "resident")
        chosen = {row.account_id: row.digest_at.replace(tzinfo=None) for row in
                  await WellbeingReader.filter(account_id__in=[lk.account_id for lk in links])}
        for link in links:
            account = link.account
            due = effective_digest_at(account, chosen.get(account.id, DEFAULT_DIGEST_AT))
            reference = f"{link.resident_id}:{day.isoformat()}"
            if (local.time() < due and not ignore_time) or await Delivery.filter(
                purpose=DIGEST, reference=reference, chat_id=account.telegram_id
            ).exists():
                continue
            locale = locale_of(account, None, facility.default_locale)
            # Late (the job did not run until the relative's quiet hours): the outbox holds it
            # until the morning, so it names its day instead of saying "today".
            late = inside(local.time(), quiet_hours(account))
            message = await _message(translator(locale), link, facility, day, today=not late)
            if message is None:
                continue
            text, buttons = message
            async with in_transaction() as connection:
                written += await enqueue(
                    [Recipient(account.telegram_id, account, facility.timezone)],
                    Outgoing.text(text, buttons=buttons), purpose=DIGEST, reference=reference,
                    using_db=connection,
                )
    return written


@dataclass(frozen=True)
class Latest:
    """What /today shows a relative about one resident."""

    resident_name: str
    opted_in: bool
    text: str | None  # the latest day's notes; None when there are none
    buttons: list[list[dict[str, str]]]
    home_off: bool = False  # the home sends no notes about this resident (to this relative)


async def latest_for(account: Account, tr: Translator) -> list[Latest]:
    """For each of the relative's residents: the notes of the latest day with notes."""
    links = await RelativeLink.filter(
        account_id=account.id, active=True, resident__status=ResidentStatus.ACTIVE
    ).select_related("resident", "resident__facility")
    consents = {row.link_id: row for row in await WellbeingConsent.filter(
        link_id__in=[link.id for link in links])}
    shown = []
    for link in sorted(links, key=lambda lk: lk.resident.display_name):
        consent = consents.get(link.id)
        facility = link.resident.facility
        name = link.resident.display_name
        home_off = bool(consent and not consent.home_enabled) or not (
            await resident_notes_enabled(link.resident_id)
            and (await setup_of(facility.id)).notes_enabled
        )
        if home_off or not (consent and consent.opted_in):
            shown.append(Latest(name, bool(consent and consent.opted_in), None, [], home_off))
            continue
        last = await WellbeingNote.filter(resident_id=link.resident_id).order_by(
            "-day"
        ).first()
        if last is None:
            shown.append(Latest(name, True, None, []))
            continue
        today = clock.now().astimezone(ZoneInfo(facility.timezone)).date()
        message = await _message(tr, link, facility, last.day, today=last.day == today)
        text, buttons = message if message else (None, [])
        shown.append(Latest(name, True, text, buttons))
    return shown


async def day_photos(account: Account, resident_id: int, day_code: str) -> list[Sequence[str]]:
    """The file ids of a day's approved photo updates of a resident, for a relative who may
    see them (an active link with photo greetings on), one list per update."""
    try:
        day = dt.datetime.strptime(day_code, "%Y%m%d").date()
    except ValueError as error:
        raise NotFound(f"day {day_code!r}") from error
    link = await RelativeLink.get_or_none(
        account_id=account.id, resident_id=resident_id, active=True,
        resident__status=ResidentStatus.ACTIVE,
    ).select_related("resident__facility")
    if link is None:
        raise NotFound(f"resident {resident_id}")
    updates = await _photo_updates(link, day, link.resident.facility.timezone)
    if not updates:
        raise NotFound("no photos that day")
    return [[str(f) for f in update.file_ids] for update in updates]


async def purge_old_notes(now: dt.datetime | None = None) -> int:
    """Delete notes older than their home's conversation retention, and the digests in the
    outbox that copied them (a daily job); returns how many notes."""
    moment = now or clock.now()
    deleted = 0
    for facility in await Facility.filter(wellbeing_notes__id__isnull=False).distinct():
        cutoff = moment - dt.timedelta(days=facility.conversation_retention_days)
        residents = {str(r) for r in await Resident.filter(
            facility_id=facility.id).values_list("id", flat=True)}
        old_digests = [
            row_id for row_id, reference in await Delivery.filter(
                purpose=DIGEST, created_at__lt=cutoff
            ).exclude(state=DeliveryState.SENDING).values_list("id", "reference")
            if str(reference).split(":", 1)[0] in residents
        ]
        async with in_transaction() as connection:
            deleted += await WellbeingNote.filter(
                facility_id=facility.id, created_at__lt=cutoff
            ).using_db(connection).delete()
            if old_digests:
                await Delivery.filter(id__in=old_digests).using_db(connection).delete()
    return deleted
