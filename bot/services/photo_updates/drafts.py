"""Drafting a photo update: the photos, who is in them, the caption. Submitting is elsewhere.

A draft belongs to its author alone: every step checks that the actor wrote it, still holds
a staff role in its facility, and that it was not submitted yet. Only the file ids Telegram
gave the photos are kept; the bot never downloads a photo.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.text import clean
from bot.models import (
    Account,
    Facility,
    PhotoConsent,
    PhotoTag,
    PhotoUpdate,
    PhotoUpdateState,
    Resident,
    ResidentStatus,
    Role,
)
from bot.services.accounts.actors import Actor, require_role
from bot.services.accounts.facilities import facilities_for

MAX_PHOTOS = 10  # Telegram's limit for an album
MAX_CAPTION = 1024  # Telegram's limit for a photo caption
FILE_ID_MAX = 256


def author_of(actor: Actor) -> Account:
    """The actor's account: photo updates are posted from Telegram, not the command line."""
    if actor.account is None:
        raise NotAllowed("photo updates are posted by an account")
    return actor.account


def _valid_file_id(file_id: str) -> str:
    if not file_id or len(file_id) > FILE_ID_MAX:
        raise InvalidInput("photos", "bad_file_id")
    return file_id


async def posting_facilities(actor: Actor) -> list[Facility]:
    """The facilities where the actor may post photo updates (staff or more), by name."""
    return await facilities_for(actor, Role.STAFF)


async def own_draft(actor: Actor, update_id: int) -> PhotoUpdate:
    """The actor's draft; NotFound for someone else's, InvalidInput once it was submitted."""
    account = author_of(actor)
    update = await PhotoUpdate.get_or_none(id=update_id)
    if update is None or update.author_id != account.id:
        raise NotFound(f"no draft {update_id}")
    await require_role(actor, update.facility_id, Role.STAFF)
    if update.state != PhotoUpdateState.DRAFT:
        raise InvalidInput("state", str(update.state))
    return update


async def start_draft(
    actor: Actor, facility_id: int, file_id: str, media_group_id: str | None = None
) -> PhotoUpdate:
    """A new draft with its first photo; the author's earlier unsubmitted drafts are dropped.

    For a part of an album whose draft exists already, the photo is added to that draft
    instead: the parts of an album arrive as separate updates, possibly at the same moment.
    """
    account = author_of(actor)
    await require_role(actor, facility_id, Role.STAFF)
    _valid_file_id(file_id)
    async with in_transaction() as connection:
        # One author's drafts change one at a time (PostgreSQL: a row lock; SQLite: one writer).
        await Account.filter(id=account.id).select_for_update().using_db(connection).first()
        drafts = PhotoUpdate.filter(author_id=account.id, state=PhotoUpdateState.DRAFT)
        if media_group_id:
            same_album = await drafts.filter(media_group_id=media_group_id).using_db(
                connection
            ).order_by("-id").first()
            if same_album is not None:
                return await _append(same_album.id, file_id, connection)
        await drafts.using_db(connection).delete()
        return await PhotoUpdate.create(
            facility_id=facility_id,
            author=account,
            file_ids=[file_id],
            media_group_id=media_group_id,
            using_db=connection,
        )


async def _append(update_id: int, file_id: str, connection: BaseDBAsyncClient) -> PhotoUpdate:
    update = await PhotoUpdate.filter(id=update_id).select_for_update().using_db(connection).get()
    if file_id in update.file_ids:
        return update
    if len(update.file_ids) >= MAX_PHOTOS:
        raise InvalidInput("photos", "too_many")
    update.file_ids = [*update.file_ids, file_id]
    await update.save(update_fields=["file_ids"], using_db=connection)
    return update


async def add_photo(actor: Actor, update_id: int, file_id: str) -> PhotoUpdate:
    """Add a photo to the actor's draft (the same photo twice counts once).

    InvalidInput("photos", "too_many") beyond :data:`MAX_PHOTOS`.
    """
    await own_draft(actor, update_id)
    _valid_file_id(file_id)
    async with in_transaction() as connection:
        # Locked: the parts of an album are added at the same moment.
        return await _append(update_id, file_id, connection)


async def draft_for_album(actor: Actor, media_group_id: str) -> PhotoUpdate | None:
    """The actor's draft started by another part of the album ``media_group_id``, if any."""
    account = author_of(actor)
    return (
        await PhotoUpdate.filter(
            author_id=account.id, state=PhotoUpdateState.DRAFT, media_group_id=media_group_id
        )
        .order_by("-id")
        .first()
    )


async def current_draft(actor: Actor) -> PhotoUpdate | None:
    """The actor's newest unsubmitted draft, if any."""
    account = author_of(actor)
    return (
        await PhotoUpdate.filter(author_id=account.id, state=PhotoUpdateState.DRAFT)
        .order_by("-id")
        .first()
    )


async def discard_draft(actor: Actor, update_id: int) -> None:
    """Throw the actor's draft away."""
    update = await own_draft(actor, update_id)
    await PhotoUpdate.filter(id=update.id, state=PhotoUpdateState.DRAFT).delete()


@dataclass(frozen=True)
class ResidentChoice:
    """A resident as the picker shows them; not selectable without granted photo consent."""

    id: int
    name: str
    room: str
    selectable: bool
    selected: bool
    consent: PhotoConsent


async def resident_choices(
    actor: Actor, update_id: int, query: str = "", offset: int = 0, limit: int = 8
) -> tuple[list[ResidentChoice], int]:
    """One page of the draft's facility's residents by name, and how many match in all.

    ``query`` matches part of the name or the room, ignoring case.
    """
    update = await own_draft(actor, update_id)
    residents = Resident.filter(
        facility_id=update.facility_id, status=ResidentStatus.ACTIVE
    )
    query = query.strip()
    if query:
        residents = residents.filter(Q(display_name__icontains=query) | Q(room__icontains=query))
    total = await residents.count()
    page = await residents.order_by("display_name", "id").offset(max(offset, 0)).limit(
        max(limit, 1)
    )
    selected = set(await tagged_ids(update.id))
    return [
        ResidentChoice(
            id=resident.id,
            name=resident.display_name,
            room=resident.room,
            selectable=resident.photo_consent == PhotoConsent.GRANTED,
            selected=resident.id in selected,
            consent=resident.photo_consent,
        )
        for resident in page
    ], total


async def tagged_ids(update_id: int) -> list[int]:
    """The ids of the residents tagged in an update, ascending."""
    ids: list[Any] = await PhotoTag.filter(update_id=update_id).values_list(
        "resident_id", flat=True
    )
    return sorted(int(resident_id) for resident_id in ids)


async def toggle_resident(actor: Actor, update_id: int, resident_id: int) -> list[int]:
    """Select or deselect a resident in the draft; returns the selected ids.

    NotFound for a resident of another facility (or who left); InvalidInput("consent", the
    PhotoConsent value) when selecting someone without granted photo consent.
    """
    update = await own_draft(actor, update_id)
    resident = await Resident.get_or_none(id=resident_id, facility_id=update.facility_id)
    if resident is None:
        raise NotFound(f"no resident {resident_id} here")
    deleted = await PhotoTag.filter(update_id=update.id, resident_id=resident.id).delete()
    if not deleted:
        if resident.status != ResidentStatus.ACTIVE:
            raise NotFound(f"resident {resident_id} no longer lives here")
        if resident.photo_consent != PhotoConsent.GRANTED:
            raise InvalidInput("consent", str(resident.photo_consent))
        try:
            await PhotoTag.create(update_id=update.id, resident_id=resident.id)
        except IntegrityError:  # a double tap: it is selected, which is what was asked
            pass
    return await tagged_ids(update.id)


async def set_caption(actor: Actor, update_id: int, caption: str) -> PhotoUpdate:
    """The draft's caption (empty for none); InvalidInput("caption", "too_long") past 1024."""
    update = await own_draft(actor, update_id)
    update.caption = valid_caption(caption)
    await update.save(update_fields=["caption"])
    return update


def valid_caption(caption: str) -> str:
    """The caption cleaned, without surrounding blanks, if it fits under a photo."""
    caption = clean(caption).strip()
    if len(caption) > MAX_CAPTION:
        raise InvalidInput("caption", "too_long")
    return caption
