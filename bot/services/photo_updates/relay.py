"""Photo updates to the outbox: who gets what, written in the transaction that causes it.

Every message is rendered (:mod:`bot.services.photo_updates.texts`) in its reader's language: the
relative's for the relayed photos, the approver's for the review, the author's for decisions.
The texts and names are re-exported here for the callers that only know this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from tortoise.backends.base.client import BaseDBAsyncClient

from bot.delivery.outbox import Outgoing, Recipient, enqueue
from bot.i18n import Translator, translator
from bot.models import (
    Account,
    Delivery,
    DeliveryState,
    Facility,
    PhotoUpdate,
    RelativeLink,
    ResidentStatus,
    Role,
    StaffRole,
)
from bot.services.photo_updates.texts import (
    CAPABILITY,
    CAPTION_LIMIT,
    DECISION,
    NOTE_EDIT,
    PURPOSES,
    REASONS,
    RECALL,
    RELAY,
    REVIEW,
    Shown,
    author_name,
    author_text,
    button_data,
    family_buttons,
    name_list,
    note_reference,
    photos_reference,
    reader_locale,
    reason_text,
    residents_line,
    review_buttons,
    review_text,
    shown,
)

__all__ = [
    "CAPABILITY", "DECISION", "NOTE_EDIT", "PURPOSES", "REASONS", "RECALL", "RELAY", "REVIEW",
    "Shown",
    "author_name", "author_text", "button_data", "enqueue_author_text", "enqueue_family",
    "enqueue_review", "family_buttons", "family_messages", "name_list",
    "note_reference", "photos_reference", "reader_locale", "reason_text", "relatives_to_notify",
    "residents_line", "review_buttons", "review_photos", "review_text", "reviewers", "shown",
    "skip_pending",
]


def _recipient(account: Account, facility: Facility) -> Recipient:
    return Recipient(account.telegram_id, account, facility.timezone)


def _with_locale(outgoing: Outgoing, locale: str) -> Outgoing:
    # Kept with the row so that the message can be edited later in the reader's language.
    outgoing.content["locale"] = locale
    return outgoing


def _photos(file_ids: Sequence[str], caption: str) -> Outgoing:
    if len(file_ids) == 1:
        return Outgoing.photo(file_ids[0], caption)
    return Outgoing.album(file_ids, caption)


def review_photos(file_ids: Sequence[str]) -> Outgoing:
    """The photos as approvers get them for review (without a caption: the note has it)."""
    return _photos(file_ids, "")


async def reviewers(
    update: PhotoUpdate, facility: Facility, using_db: BaseDBAsyncClient | None = None
) -> list[Account]:
    """The facility's approvers and admins who get the review (not the author, with four eyes)."""
    roles = await StaffRole.filter(
        facility_id=facility.id, role__in=(Role.APPROVER, Role.ADMIN), account__unreachable=False
    ).using_db(using_db).select_related("account").order_by("account_id")
    return [
        role.account
        for role in roles
        if not (facility.four_eyes and role.account.id == update.author_id)
    ]


async def enqueue_review(view: Shown, using_db: BaseDBAsyncClient) -> int:
    """Send the update to every reviewer: the photos, then the note with the buttons.

    Urgent: approvers are staff at work, the update waits for them. Returns how many.
    """
    accounts = await reviewers(view.update, view.facility, using_db)
    for account in accounts:
        locale = reader_locale(account, view.facility)
        tr = translator(locale)
        recipient = [_recipient(account, view.facility)]
        await enqueue(recipient, review_photos(view.update.file_ids), purpose=REVIEW,
                      reference=photos_reference(view.update.id), urgent=True, using_db=using_db)
        note = Outgoing.text(review_text(view, tr), buttons=review_buttons(view.update.id, tr))
        await enqueue(recipient, _with_locale(note, locale), purpose=REVIEW,
                      reference=str(view.update.id), urgent=True, using_db=using_db)
    return len(accounts)


async def relatives_to_notify(
    resident_ids: Iterable[int], using_db: BaseDBAsyncClient | None = None
) -> dict[int, tuple[Account, list[str]]]:
    """Each relative once, with the names of the residents (of these) they are linked to.

    Only active links of relatives who want photo updates, to residents who live in the home,
    of accounts that did not block the bot.
    """
    links = await RelativeLink.filter(
        resident_id__in=list(resident_ids),
        active=True,
        photo_updates=True,
        resident__status=ResidentStatus.ACTIVE,
        account__unreachable=False,
    ).using_db(using_db).select_related("account", "resident").order_by(
        "resident__display_name", "id"
    )
    found: dict[int, tuple[Account, list[str]]] = {}
    for link in links:
        found.setdefault(link.account.id, (link.account, []))[1].append(
            link.resident.display_name
        )
    return found


def family_messages(
    view: Shown, names: Sequence[str], tr: Translator
) -> list[tuple[str, Outgoing]]:
    """What one relative receives, with references: the photos, and the note with buttons.

    A single photo is one message (caption, residents line, buttons) unless that is longer
    than a caption may be; an album cannot carry buttons, so the note follows it.
    """
    update = view.update
    line = residents_line(names, view.facility.name, tr)
    buttons = family_buttons(update.id, tr)
    combined = f"{update.caption}\n\n{line}" if update.caption else line
    if len(update.file_ids) == 1 and len(combined) <= CAPTION_LIMIT:
        return [(photos_reference(update.id),
                 Outgoing.photo(update.file_ids[0], combined, buttons=buttons))]
    return [
        (photos_reference(update.id), _photos(update.file_ids, update.caption)),
        (note_reference(update.id), Outgoing.text(line, buttons=buttons)),
    ]


async def enqueue_family(view: Shown, using_db: BaseDBAsyncClient) -> int:
    """Relay an approved update to the tagged residents' relatives; returns how many.

    Not urgent: it waits for the end of each relative's quiet hours.
    """
    relatives = await relatives_to_notify([r.id for r in view.residents], using_db)
    for account, names in relatives.values():
        locale = reader_locale(account, view.facility)
        for reference, outgoing in family_messages(view, names, translator(locale)):
            await enqueue([_recipient(account, view.facility)], _with_locale(outgoing, locale),
                          purpose=RELAY, reference=reference, using_db=using_db)
    return len(relatives)


async def enqueue_author_text(
    view: Shown,
    using_db: BaseDBAsyncClient | None,
    render: Callable[[Translator], str] | None = None,
    *,
    reference: str | None = None,
) -> None:
    """Tell the author, in their language: ``render(tr)``, else :func:`author_text`.

    Urgent: it answers the author's own work. Nothing when the author erased their account.
    """
    if view.author is None:
        return
    locale = reader_locale(view.author, view.facility)
    tr = translator(locale)
    text = render(tr) if render else author_text(view, tr)
    await enqueue([_recipient(view.author, view.facility)],
                  _with_locale(Outgoing.text(text), locale), purpose=DECISION,
                  reference=reference or str(view.update.id), urgent=True, using_db=using_db)


async def skip_pending(
    update_ids: Iterable[int], reason: str, using_db: BaseDBAsyncClient | None = None,
    *, accounts: Iterable[int] | None = None,
) -> int:
    """Cancel relay deliveries of these updates not yet sent; how many chats lost one."""
    references = [ref for i in update_ids for ref in (photos_reference(i), note_reference(i))]
    if not references:
        return 0
    query = Delivery.filter(
        purpose=RELAY, state=DeliveryState.PENDING, reference__in=references
    ).using_db(using_db)
    if accounts is not None:
        query = query.filter(account_id__in=list(accounts))
    chats = set(await query.values_list("chat_id", flat=True))
    if chats:
        await query.update(state=DeliveryState.SKIPPED, last_error=reason)
    return len(chats)
