"""Deciding on photo updates: submitted by the author, approved or rejected by an approver.

The first decision wins: a conditional UPDATE on the state makes "exactly once" a fact of the
database. Approving relays the update to the tagged residents' relatives through the outbox in
the same transaction, after checking photo consent again (a withdrawn consent rolls it back).
Every decision also edits the notes about the update (:mod:`bot.services.photo_updates.notes`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from bot import clock
from bot.domain.errors import DomainError, InvalidInput, NotAllowed, NotFound
from bot.domain.text import clean
from bot.models import (
    Facility,
    PhotoConsent,
    PhotoUpdate,
    PhotoUpdateState,
    RejectReason,
    Resident,
    ResidentStatus,
    Role,
)
from bot.services.accounts import audit
from bot.services.accounts.actors import Actor, ranks_at_least, require_role, role_in
from bot.services.photo_updates import relay as photo_relay
from bot.services.photo_updates.drafts import author_of, valid_caption
from bot.services.photo_updates.notes import enqueue_note_edits
from bot.services.photo_updates.reading import audit_subject, update_in

MAX_NOTE = 500  # a typed reason for rejecting


class AlreadyDecided(DomainError):
    """Someone decided first (or the update was closed): ``decided_by_name`` says who."""

    def __init__(self, state: PhotoUpdateState, decided_by_name: str) -> None:
        super().__init__(f"already {state}")
        self.state = state
        self.decided_by_name = decided_by_name  # empty when the bot closed it


class OwnPost(NotAllowed):
    """Four eyes: the author may not approve their own update."""


@dataclass(frozen=True)
class Decision:
    """An update just approved or rejected, who did it, and how many relatives it goes to."""

    update: PhotoUpdate
    decided_by_name: str
    relatives: int


def _name_of(actor: Actor) -> str:
    return actor.account.first_name if actor.account else ""


async def _already_decided(update_id: int) -> AlreadyDecided:
    update = await PhotoUpdate.get(id=update_id).prefetch_related("decided_by")
    name = update.decided_by.first_name if update.decided_by else ""
    return AlreadyDecided(update.state, name)


def _without_consent(residents: list[Resident]) -> list[str]:
    return [
        resident.display_name
        for resident in residents
        if resident.status != ResidentStatus.ACTIVE
        or resident.photo_consent != PhotoConsent.GRANTED
    ]


async def submit(actor: Actor, update_id: int) -> PhotoUpdate:
    """Send the draft for approval: it goes to every approver and admin of the facility.

    Needs at least one tagged resident (InvalidInput("residents", "none")), each with photo
    consent (InvalidInput("consent", their names)). Submitting twice submits once. Audited.
    """
    account = author_of(actor)
    update = await PhotoUpdate.get_or_none(id=update_id)
    if update is None or update.author_id != account.id:
        raise NotFound(f"no draft {update_id}")
    await require_role(actor, update.facility_id, Role.STAFF)
    if update.state == PhotoUpdateState.PENDING:
        return update
    if update.state != PhotoUpdateState.DRAFT:
        raise InvalidInput("state", str(update.state))
    async with in_transaction() as connection:
        view = await photo_relay.shown(update.id, connection)
        if not view.residents:
            raise InvalidInput("residents", "none")
        blocked = _without_consent(view.residents)
        if blocked:
            raise InvalidInput("consent", ", ".join(blocked))
        submitted = await PhotoUpdate.filter(
            id=update.id, state=PhotoUpdateState.DRAFT
        ).using_db(connection).update(state=PhotoUpdateState.PENDING, submitted_at=clock.now())
        if not submitted:  # submitted by a second tap a moment ago
            return await PhotoUpdate.get(id=update.id)
        view = await photo_relay.shown(update.id, connection)
        reviewers = await photo_relay.enqueue_review(view, connection)
        await audit.record(
            actor, "photo.submit", facility=view.facility, subject=audit_subject(update.id),
            photos=len(view.update.file_ids), residents=[r.id for r in view.residents],
            reviewers=reviewers,
        )
    return view.update


async def approve(actor: Actor, update_id: int) -> Decision:
    """Approve and relay: one delivery per relative of the tagged residents. Exactly once.

    Needs the approver role; with four eyes not the author (:class:`OwnPost`). Someone else
    deciding first gives :class:`AlreadyDecided`. Consent is checked again (InvalidInput
    ("consent", names)). The author is told. Audited.
    """
    update = await update_in(actor, update_id, Role.APPROVER)
    facility = await Facility.get(id=update.facility_id)
    own = actor.account is not None and update.author_id == actor.account.id
    if facility.four_eyes and own:
        raise OwnPost("four eyes: someone else approves this update")
    async with in_transaction() as connection:
        decided = await PhotoUpdate.filter(
            id=update.id, state=PhotoUpdateState.PENDING
        ).using_db(connection).update(
            state=PhotoUpdateState.APPROVED, decided_at=clock.now(),
            decided_by_id=actor.account.id if actor.account else None,
        )
        if not decided:
            raise await _already_decided(update.id)
        view = await photo_relay.shown(update.id, connection)
        blocked = _without_consent(view.residents)
        if blocked:  # rolls the approval back
            raise InvalidInput("consent", ", ".join(blocked))
        relatives = await photo_relay.enqueue_family(view, connection)
        view = dataclasses.replace(view, relatives=relatives)
        await photo_relay.enqueue_author_text(view, connection)
        await enqueue_note_edits(update.id, connection)
        await audit.record(
            actor, "photo.approve", facility=facility, subject=audit_subject(update.id),
            residents=[r.id for r in view.residents], relatives=relatives,
        )
    return Decision(view.update, _name_of(actor), relatives)


async def reject(
    actor: Actor, update_id: int, reason: RejectReason, note: str = ""
) -> Decision:
    """Do not relay the update; the author is told why, in their language. Exactly once.

    Needs the approver role; the author may also withdraw their own pending update this way.
    ``note`` (≤ 500) is the approver's own words. Audited.
    """
    update = await PhotoUpdate.get_or_none(id=update_id)
    if update is None:
        raise NotFound(f"no photo update {update_id}")
    role = await role_in(actor, update.facility_id)
    own = actor.account is not None and update.author_id == actor.account.id
    if not (ranks_at_least(role, Role.APPROVER) or (own and ranks_at_least(role, Role.STAFF))):
        raise NotAllowed("needs the approver role")
    try:
        reason = RejectReason(reason)
    except ValueError:
        raise InvalidInput("reason", "unknown") from None
    note = clean(note).strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput("note", "too_long")
    async with in_transaction() as connection:
        decided = await PhotoUpdate.filter(
            id=update.id, state=PhotoUpdateState.PENDING
        ).using_db(connection).update(
            state=PhotoUpdateState.REJECTED, decided_at=clock.now(), reject_reason=reason,
            reject_note=note, decided_by_id=actor.account.id if actor.account else None,
        )
        if not decided:
            raise await _already_decided(update.id)
        view = await photo_relay.shown(update.id, connection)
        if not own:
            await photo_relay.enqueue_author_text(view, connection)
        await enqueue_note_edits(update.id, connection)
        await audit.record(
            actor, "photo.reject", facility=view.facility, subject=audit_subject(update.id),
            reason=reason, by_author=own,
        )
    return Decision(view.update, _name_of(actor), 0)


async def edit_caption(actor: Actor, update_id: int, caption: str) -> PhotoUpdate:
    """An approver corrects the caption of a pending update (≤ 1024, empty for none). Audited."""
    await update_in(actor, update_id, Role.APPROVER)
    caption = valid_caption(caption)
    async with in_transaction() as connection:
        changed = await PhotoUpdate.filter(
            id=update_id, state=PhotoUpdateState.PENDING
        ).using_db(connection).update(caption=caption)
        if not changed:
            raise await _already_decided(update_id)
        update = await PhotoUpdate.get(id=update_id, using_db=connection)
        facility = await Facility.get(id=update.facility_id, using_db=connection)
        await enqueue_note_edits(update_id, connection)
        await audit.record(
            actor, "photo.edit", facility=facility, subject=audit_subject(update_id),
            length=len(caption),
        )
    return update
