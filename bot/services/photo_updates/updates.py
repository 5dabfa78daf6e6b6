"""Photo updates (Fotogrüße): staff post, an approver decides, relatives receive and thank.

The flow: a staff member drafts an update (:mod:`bot.services.photo_updates.drafts`) and submits it;
approvers get it for review; the first decision wins (a conditional UPDATE on the state), and
approving relays it to the tagged residents' relatives through the outbox in the same
transaction. Photo consent is checked at submission and again at approval. Housekeeping
(consent withdrawn, a stay ended, retention) is in :mod:`bot.services.photo_updates.housekeeping`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from bot import clock
from bot.delivery.outbox import Outgoing, Recipient, enqueue
from bot.domain.errors import DomainError, InvalidInput, NotAllowed, NotFound
from bot.i18n import translator
from bot.models import (
    Delivery,
    DeliveryState,
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
from bot.services.accounts.facilities import facilities_for
from bot.services.photo_updates import relay as photo_relay
from bot.services.photo_updates.drafts import (
    MAX_CAPTION,
    MAX_PHOTOS,
    ResidentChoice,
    add_photo,
    author_of,
    current_draft,
    discard_draft,
    draft_for_album,
    posting_facilities,
    resident_choices,
    set_caption,
    start_draft,
    toggle_resident,
    valid_caption,
)
from bot.services.photo_updates.feedback import reply_about, thank, thanks_count
from bot.services.photo_updates.housekeeping import (
    on_consent_withdrawn,
    on_stay_ended,
    purge_expired,
)
from bot.services.photo_updates.notes import (
    SentNote,
    decision_messages,
    enqueue_deletions,
    enqueue_note_edits,
    sent_notes,
)
from bot.services.photo_updates.relay import CAPABILITY
from bot.services.photo_updates.texts import RECALL, recall_report

__all__ = [
    "CAPABILITY",
    "MAX_CAPTION",
    "MAX_PHOTOS",
    "AlreadyDecided",
    "Decision",
    "OwnPost",
    "Recall",
    "ResidentChoice",
    "SentNote",
    "add_photo",
    "approve",
    "current_draft",
    "decision_messages",
    "discard_draft",
    "draft_for_album",
    "edit_caption",
    "get_update",
    "my_posts",
    "on_consent_withdrawn",
    "on_stay_ended",
    "pending",
    "posting_facilities",
    "purge_expired",
    "recall",
    "reject",
    "reply_about",
    "resident_choices",
    "sent_notes",
    "set_caption",
    "start_draft",
    "submit",
    "thank",
    "thanks_count",
    "toggle_resident",
]

MAX_NOTE = 500  # a typed reason for rejecting
DELETABLE_FOR = dt.timedelta(hours=48)  # Telegram lets a bot delete its messages this long
RECALLED = "recalled"  # last_error of deliveries cancelled by a recall


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


@dataclass(frozen=True)
class Recall:
    """An update recalled: the messages to delete and what never went out.

    ``messages``: (chat_id, message_ids) sent less than 48 hours ago; ``skipped``: chats whose
    delivery was still waiting (cancelled); ``too_old``: chats whose messages are older than
    Telegram lets a bot delete; ``total``: the messages sent for the update in all.
    """

    update: PhotoUpdate
    messages: list[tuple[int, list[int]]]
    skipped: int
    too_old: int = 0
    total: int = 0  # every message that went out for it, deletable or not


def _subject(update_id: int) -> str:
    return f"photo_update:{update_id}"


def _name_of(actor: Actor) -> str:
    return actor.account.first_name if actor.account else ""


async def _update_in(actor: Actor, update_id: int, minimum: Role) -> PhotoUpdate:
    update = await PhotoUpdate.get_or_none(id=update_id)
    if update is None:
        raise NotFound(f"no photo update {update_id}")
    await require_role(actor, update.facility_id, minimum)  # type: ignore[attr-defined]
    if update.state == PhotoUpdateState.DRAFT and (
        actor.account is None or update.author_id != actor.account.id  # type: ignore[attr-defined]
    ):
        raise NotFound(f"no photo update {update_id}")  # someone else's draft is private
    return update


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
    if update is None or update.author_id != account.id:  # type: ignore[attr-defined]
        raise NotFound(f"no draft {update_id}")
    await require_role(actor, update.facility_id, Role.STAFF)  # type: ignore[attr-defined]
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
            actor, "photo.submit", facility=view.facility, subject=_subject(update.id),
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
    update = await _update_in(actor, update_id, Role.APPROVER)
    facility = await Facility.get(id=update.facility_id)  # type: ignore[attr-defined]
    own = actor.account is not None and update.author_id == actor.account.id  # type: ignore[attr-defined]
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
            actor, "photo.approve", facility=facility, subject=_subject(update.id),
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
    role = await role_in(actor, update.facility_id)  # type: ignore[attr-defined]
    own = actor.account is not None and update.author_id == actor.account.id  # type: ignore[attr-defined]
    if not (ranks_at_least(role, Role.APPROVER) or (own and ranks_at_least(role, Role.STAFF))):
        raise NotAllowed("needs the approver role")
    try:
        reason = RejectReason(reason)
    except ValueError:
        raise InvalidInput("reason", "unknown") from None
    note = note.strip()
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
            actor, "photo.reject", facility=view.facility, subject=_subject(update.id),
            reason=reason, by_author=own,
        )
    return Decision(view.update, _name_of(actor), 0)


async def edit_caption(actor: Actor, update_id: int, caption: str) -> PhotoUpdate:
    """An approver corrects the caption of a pending update (≤ 1024, empty for none). Audited."""
    await _update_in(actor, update_id, Role.APPROVER)
    caption = valid_caption(caption)
    async with in_transaction() as connection:
        changed = await PhotoUpdate.filter(
            id=update_id, state=PhotoUpdateState.PENDING
        ).using_db(connection).update(caption=caption)
        if not changed:
            raise await _already_decided(update_id)
        update = await PhotoUpdate.get(id=update_id).using_db(connection)
        facility = await Facility.get(id=update.facility_id).using_db(connection)  # type: ignore[attr-defined]
        await enqueue_note_edits(update_id, connection)
        await audit.record(
            actor, "photo.edit", facility=facility, subject=_subject(update_id),
            length=len(caption),
        )
    return update


_RELATED = ("tags__resident", "facility", "author", "decided_by")


async def get_update(actor: Actor, update_id: int) -> PhotoUpdate:
    """An update of a facility where the actor is staff, with tags (residents), facility,
    author and decider loaded. Someone else's draft is NotFound."""
    update = await _update_in(actor, update_id, Role.STAFF)
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


async def recall(actor: Actor, update_id: int, locale: str | None = None) -> Recall:
    """An admin takes an approved update back from the families. Audited.

    Deliveries not yet sent are cancelled; the messages sent less than 48 hours ago are
    deleted (older ones Telegram keeps) and returned. The author is told, and the admin gets
    a report in ``locale`` (else their own or the facility's language) after the deletions.
    """
    await _update_in(actor, update_id, Role.ADMIN)
    now = clock.now()
    async with in_transaction() as connection:
        recalled = await PhotoUpdate.filter(
            id=update_id, state=PhotoUpdateState.APPROVED
        ).using_db(connection).update(state=PhotoUpdateState.RECALLED, recalled_at=now)
        if not recalled:
            current = await PhotoUpdate.get(id=update_id).using_db(connection)
            raise InvalidInput("state", str(current.state))
        skipped = await photo_relay.skip_pending([update_id], RECALLED, connection)
        sent = await Delivery.filter(
            purpose=photo_relay.RELAY, state=DeliveryState.SENT,
            reference__in=[photo_relay.photos_reference(update_id),
                           photo_relay.note_reference(update_id)],
        ).using_db(connection).order_by("id")
        messages: dict[int, list[int]] = {}
        too_old: set[int] = set()
        for row in sent:
            if row.sent_at is not None and now - row.sent_at < DELETABLE_FOR:
                messages.setdefault(row.chat_id, []).extend(row.sent_message_ids)
            else:
                too_old.add(row.chat_id)
        deleting = await enqueue_deletions(update_id, list(messages.items()), connection)
        view = await photo_relay.shown(update_id, connection)
        await enqueue_note_edits(update_id, connection)
        await photo_relay.enqueue_author_text(
            view, connection, reference=f"{update_id}:recall"
        )
        if actor.account is not None:  # the recalling admin, in their language
            tr = translator(locale or photo_relay.reader_locale(actor.account, view.facility))
            report = recall_report(deleting, len(too_old - set(messages)), skipped, tr)
            await enqueue(
                [Recipient(actor.account.telegram_id)], Outgoing.text(report),
                purpose=RECALL, reference=f"{update_id}:report", urgent=True,
                using_db=connection,
            )
        await audit.record(
            actor, "photo.recall", facility=view.facility, subject=_subject(update_id),
            deleted_in=len(messages), too_old=len(too_old), cancelled=skipped,
        )
    total = sum(len(row.sent_message_ids) for row in sent)
    return Recall(
        view.update, list(messages.items()), skipped, len(too_old - set(messages)), total
    )
