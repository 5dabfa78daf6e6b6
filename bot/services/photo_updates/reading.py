"""Reading photo updates: the right to see one, the approvers' queue, the author's list.

Every read checks the actor's role in the update's facility again; someone else's draft is
private. Handlers get :class:`PostView`: plain values, read once, so that nothing they show
depends on which relations a query happened to load.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.domain.errors import NotFound
from bot.models import PhotoTag, PhotoUpdate, PhotoUpdateState, Role
from bot.services.accounts.actors import Actor, require_role
from bot.services.accounts.facilities import facilities_for
from bot.services.photo_updates.drafts import author_of


def audit_subject(update_id: int) -> str:
    """How the audit log names an update."""
    return f"photo_update:{update_id}"


async def update_in(actor: Actor, update_id: int, minimum: Role) -> PhotoUpdate:
    """The update if the actor holds ``minimum`` in its facility (someone else's draft: not
    found)."""
    update = await PhotoUpdate.get_or_none(id=update_id)
    if update is None:
        raise NotFound(f"no photo update {update_id}")
    await require_role(actor, update.facility_id, minimum)
    if update.state == PhotoUpdateState.DRAFT and (
        actor.account is None or update.author_id != actor.account.id
    ):
        raise NotFound(f"no photo update {update_id}")  # someone else's draft is private
    return update


_RELATED = ("tags__resident", "facility", "author", "decided_by")


async def get_update(actor: Actor, update_id: int) -> PhotoUpdate:
    """An update of a facility where the actor is staff, with tags (residents), facility,
    author and decider loaded. Someone else's draft is NotFound."""
    update = await update_in(actor, update_id, Role.STAFF)
    await update.fetch_related(*_RELATED)
    return update


async def pending(
    actor: Actor, offset: int = 0, limit: int = 10
) -> tuple[list[PhotoUpdate], int]:
    """Updates waiting for approval, oldest first, wherever the actor is approver or admin."""
    facilities = [f.id for f in await facilities_for(actor, Role.APPROVER)]
    query = PhotoUpdate.filter(state=PhotoUpdateState.PENDING, facility_id__in=facilities)
    total = await query.count() if facilities else 0
    if not total:
        return [], 0
    page = await query.order_by("submitted_at", "id").offset(max(offset, 0)).limit(
        max(limit, 1)
    ).prefetch_related(*_RELATED)
    return list(page), total


async def my_posts(
    actor: Actor, offset: int = 0, limit: int = 10
) -> tuple[list[PhotoUpdate], int]:
    """The actor's submitted updates, newest first (tags, facility and decider loaded)."""
    account = author_of(actor)
    query = PhotoUpdate.filter(author_id=account.id).exclude(state=PhotoUpdateState.DRAFT)
    total = await query.count()
    page = await query.order_by("-id").offset(max(offset, 0)).limit(max(limit, 1)).prefetch_related(
        *_RELATED
    )
    return list(page), total


@dataclass(frozen=True)
class PostView:
    """A photo update as the handlers show it."""

    id: int
    facility_id: int
    timezone: str  # the facility's
    state: PhotoUpdateState
    file_ids: tuple[str, ...]
    caption: str
    media_group_id: str | None
    residents: tuple[str, ...]  # the names of the tagged residents, sorted
    decided_by_name: str  # "" while undecided, or when the bot decided (consent withdrawn)
    created_at: dt.datetime
    submitted_at: dt.datetime | None

    @classmethod
    def of(cls, update: PhotoUpdate, residents: list[str]) -> PostView:
        """The view of an update loaded with its facility and decider."""
        return cls(
            id=update.id,
            facility_id=update.facility.id,
            timezone=update.facility.timezone,
            state=update.state,
            file_ids=tuple(update.file_ids),
            caption=update.caption,
            media_group_id=update.media_group_id,
            residents=tuple(sorted(residents)),
            decided_by_name=update.decided_by.first_name if update.decided_by else "",
            created_at=update.created_at,
            submitted_at=update.submitted_at,
        )


async def _views(updates: list[PhotoUpdate]) -> list[PostView]:
    tagged: dict[int, list[str]] = {update.id: [] for update in updates}
    for update_id, name in await PhotoTag.filter(
        update_id__in=list(tagged)
    ).values_list("update_id", "resident__display_name"):
        tagged[update_id].append(name)
    return [PostView.of(update, tagged[update.id]) for update in updates]


async def update_view(actor: Actor, update_id: int) -> PostView:
    """:func:`get_update`, as a view."""
    (view,) = await _views([await get_update(actor, update_id)])
    return view


async def pending_views(
    actor: Actor, offset: int = 0, limit: int = 10
) -> tuple[list[PostView], int]:
    """:func:`pending`, as views."""
    page, total = await pending(actor, offset, limit)
    return await _views(page), total


async def my_post_views(
    actor: Actor, offset: int = 0, limit: int = 10
) -> tuple[list[PostView], int]:
    """:func:`my_posts`, as views."""
    page, total = await my_posts(actor, offset, limit)
    return await _views(page), total
