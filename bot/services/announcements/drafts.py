"""An announcement drafted step by step: text or photo, audience, other languages, urgency, time.

Every step checks again that the actor is an admin of the facility, and only a draft changes;
each returns the draft as it now stands (:class:`~.views.AnnouncementView`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from bot.domain.errors import InvalidInput, NotFound
from bot.domain.text import clean_formatted
from bot.i18n import available_locales
from bot.models import Announcement, AnnouncementState, Audience, Facility, Role, Unit
from bot.services.accounts.actors import Actor, require_role
from bot.services.announcements.times import send_time
from bot.services.announcements.views import AnnouncementView, view_of

TEXT_LIMIT = 4096  # Telegram's limit for a message
CAPTION_LIMIT = 1024  # Telegram's limit for a photo caption


async def facility_for_admin(actor: Actor, facility_id: int) -> Facility:
    """The facility, if the actor is one of its admins (else NotAllowed/NotFound)."""
    facility = await Facility.get_or_none(id=facility_id)
    if facility is None:
        raise NotFound(f"no facility {facility_id}")
    await require_role(actor, facility.id, Role.ADMIN)
    return facility


async def get_announcement(actor: Actor, announcement_id: int) -> Announcement:
    """The announcement with its facility and unit, if the actor is an admin of its facility
    (else NotAllowed/NotFound). The command line prints it; the bot's screens use
    :func:`get_view`."""
    announcement = await Announcement.get_or_none(id=announcement_id).prefetch_related(
        "facility", "unit"
    )
    if announcement is None:
        raise NotFound(f"no announcement {announcement_id}")
    await require_role(actor, announcement.facility.id, Role.ADMIN)
    return announcement


async def get_view(actor: Actor, announcement_id: int) -> AnnouncementView:
    """The announcement as it stands, if the actor is an admin of its facility."""
    announcement = await get_announcement(actor, announcement_id)
    return view_of(announcement, announcement.facility)


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
) -> AnnouncementView:
    """Start an announcement to all relatives: a text (≤ 4096) or a photo with caption (≤ 1024).

    ``entities`` are Telegram message entities as dicts (formatting is kept); ``locale`` is the
    language of this first version (the facility's default when not given).
    """
    facility = await facility_for_admin(actor, facility_id)
    text, entities = clean_formatted(text, entities)
    _valid_text(text, photo=photo_file_id is not None)
    chosen = _valid_locale(locale or facility.default_locale)
    announcement = await Announcement.create(
        facility=facility,
        author=actor.account,
        audience=Audience.RELATIVES,
        texts={chosen: _version(text, entities)},
        default_locale=chosen,
        photo_file_id=photo_file_id,
    )
    return view_of(announcement, facility)


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
) -> AnnouncementView:
    """All relatives, the relatives of one unit (by name or id), or staff only."""
    announcement = await _draft_of(actor, announcement_id)
    announcement.audience = audience
    announcement.unit = None
    if audience == Audience.UNIT:
        if unit is None:
            raise InvalidInput("unit", "missing")
        announcement.unit = await _unit_of(announcement.facility.id, unit)
    await announcement.save(update_fields=["audience", "unit_id"])
    return view_of(announcement, announcement.facility)


async def units_of(actor: Actor, facility_id: int) -> list[Unit]:
    """The facility's units, by name, for choosing an audience."""
    await facility_for_admin(actor, facility_id)
    return await Unit.filter(facility_id=facility_id).order_by("name", "id")


async def add_translation(
    actor: Actor,
    announcement_id: int,
    locale: str,
    text: str,
    entities: Sequence[dict[str, Any]] | None = None,
) -> AnnouncementView:
    """Add (or replace) the version for relatives who speak ``locale``."""
    announcement = await _draft_of(actor, announcement_id)
    _valid_locale(locale)
    text, entities = clean_formatted(text, entities)
    _valid_text(text, photo=announcement.photo_file_id is not None)
    announcement.texts = {**announcement.texts, locale: _version(text, entities)}
    await announcement.save(update_fields=["texts"])
    return view_of(announcement, announcement.facility)


async def set_urgent(actor: Actor, announcement_id: int, urgent: bool) -> AnnouncementView:
    """Urgent announcements go at once, also during relatives' quiet hours."""
    announcement = await _draft_of(actor, announcement_id)
    announcement.urgent = urgent
    await announcement.save(update_fields=["urgent"])
    return view_of(announcement, announcement.facility)


async def schedule(
    actor: Actor, announcement_id: int, when: str, now: dt.datetime | None = None
) -> AnnouncementView:
    """Choose when it goes: now, in 1 hour, today 18:00, tomorrow 09:00, or a typed time."""
    announcement = await _draft_of(actor, announcement_id)
    announcement.send_at = send_time(when, announcement.facility.timezone, now)
    await announcement.save(update_fields=["send_at"])
    return view_of(announcement, announcement.facility)
