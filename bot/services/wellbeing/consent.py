"""A relative's own choices about wellbeing notes: consent per resident, the digest's time.

Consent is separate from photo consent and recorded like it: who gave or withdrew it, when, and
for whom (the link names the resident); each change is audited. Every function finds the link
*through* the acting account, so a forged link id changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tortoise.transactions import in_transaction

from bot import clock
from bot.delivery.outbox import quiet_hours
from bot.domain.errors import InvalidInput, NotFound
from bot.models import (
    Account,
    RelativeLink,
    WellbeingConsent,
    WellbeingNote,
    WellbeingReader,
    WellbeingWriter,
)
from bot.services.accounts import audit
from bot.services.accounts.actors import Actor

DEFAULT_DIGEST_AT = dt.time(18, 0)
DIGEST_PRESETS = (dt.time(17, 0), dt.time(18, 0), dt.time(19, 0), dt.time(20, 0))


@dataclass(frozen=True)
class NotesChoice:
    """One of the relative's residents and whether notes about them come."""

    link_id: int
    resident_name: str
    opted_in: bool
    home_enabled: bool


async def choices_of(account: Account) -> list[NotesChoice]:
    """The relative's residents with their wellbeing consent, by name."""
    links = await RelativeLink.filter(account_id=account.id, active=True).select_related(
        "resident"
    )
    rows = {row.link_id: row for row in await WellbeingConsent.filter(
        link_id__in=[link.id for link in links]
    )}
    return sorted((
        NotesChoice(link.id, link.resident.display_name,
                    bool(rows[link.id].opted_in) if link.id in rows else False,
                    bool(rows[link.id].home_enabled) if link.id in rows else True)
        for link in links
    ), key=lambda choice: choice.resident_name)


async def set_consent(account: Account, link_id: int, opted_in: bool) -> NotesChoice:
    """Opt in to (or out of) wellbeing notes about the link's resident. Audited."""
    link = await RelativeLink.get_or_none(
        id=link_id, account_id=account.id, active=True
    ).select_related("resident__facility")
    if link is None:
        raise NotFound(f"link {link_id}")
    async with in_transaction():
        row, _ = await WellbeingConsent.get_or_create(link_id=link.id)
        row.opted_in = opted_in
        row.changed_at = clock.now()
        row.given_by_id = account.id
        await row.save()
        await audit.record(
            Actor(account=account), "wellbeing.consent" if opted_in else "wellbeing.withdraw",
            facility=link.resident.facility, subject=f"resident:{link.resident_id}",
            link=link.id,
        )
    return NotesChoice(link.id, link.resident.display_name, opted_in, row.home_enabled)


async def digest_at(account: Account) -> dt.time:
    """When the relative's evening digest comes (the home's time): 18:00 unless chosen."""
    row = await WellbeingReader.get_or_none(account_id=account.id)
    return row.digest_at.replace(tzinfo=None) if row else DEFAULT_DIGEST_AT


def inside(moment: dt.time, hours: tuple[dt.time, dt.time] | None) -> bool:
    """Whether a clock time falls in quiet hours (which may run over midnight)."""
    if hours is None:
        return False
    start, end = hours
    return (start <= moment or moment < end) if start > end else start <= moment < end


def digest_presets(account: Account) -> list[dt.time]:
    """The times offered for the digest: those outside the relative's quiet hours."""
    return [t for t in DIGEST_PRESETS if not inside(t, quiet_hours(account))]


def effective_digest_at(account: Account, chosen: dt.time) -> dt.time:
    """The chosen time, or, when quiet hours now cover it, the hour before they start."""
    hours = quiet_hours(account)
    if not inside(chosen, hours):
        return chosen
    assert hours is not None
    start = dt.datetime.combine(dt.date(2000, 1, 1), hours[0]) - dt.timedelta(hours=1)
    return start.time()


async def set_digest_at(account: Account, hour: int) -> dt.time:
    """Choose one of the offered digest times (:class:`InvalidInput` for any other)."""
    chosen = dt.time(hour, 0) if 0 <= hour < 24 else None
    if chosen is None or chosen not in digest_presets(account):
        raise InvalidInput("digest_at", "not offered")
    await WellbeingReader.update_or_create(
        defaults={"digest_at": chosen.replace(tzinfo=dt.UTC)}, account_id=account.id
    )
    return chosen


def _iso(moment: dt.datetime | dt.date | None) -> str | None:
    return moment.isoformat() if moment is not None else None


async def export_of(account: Account) -> dict[str, Any]:
    """For /mydata: the relative's consents and digest time; the notes the account wrote and
    the unit they chose as their own (staff)."""
    consents = await WellbeingConsent.filter(link__account_id=account.id).select_related(
        "link__resident"
    )
    written = await WellbeingNote.filter(author_id=account.id).order_by(
        "created_at"
    ).select_related("resident")
    reader = await WellbeingReader.get_or_none(account_id=account.id)
    writer = await WellbeingWriter.get_or_none(account_id=account.id).select_related("unit")
    return {
        "consents": [
            {"resident": row.link.resident.display_name, "opted_in": row.opted_in,
             "changed_at": _iso(row.changed_at), "home_enabled": row.home_enabled}
            for row in consents
        ],
        "digest_at": reader.digest_at.replace(tzinfo=None).isoformat() if reader else None,
        "own_unit": writer.unit.name if writer and writer.unit else None,
        "notes_written": [
            {"resident": note.resident.display_name, "day": _iso(note.day),
             "mood": note.mood, "appetite": note.appetite, "activity": note.activity,
             "text": note.text, "at": _iso(note.created_at)}
            for note in written
        ],
    }
