"""Approvers decide on photo updates: Approve, Edit caption, Reject (with a reason), Recall.

The review note each approver got (from the outbox) carries the buttons. After every change the
service edits the notes of all approvers and the author's decision message, through the outbox,
to show the state as it is now ("Approved by Carla", thanks so far), so stale buttons disappear;
a button pressed on a note that is out of date says who decided. Admins keep a "Recall" button
on approved updates: the service deletes what was relayed where Telegram still allows it (48
hours).
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.domain.callbacks import BadCallbackData
from bot.domain.enums import PhotoUpdateState, RejectReason
from bot.domain.errors import InvalidInput
from bot.i18n import Translator
from bot.services import photo_updates as service
from bot.services.accounts import Awaited, await_input, stop_awaiting
from handlers.kit.args import enum_arg
from handlers.kit.context import HeimboteContext
from handlers.kit.screens import show
from handlers.kit.text_input import TextAnswer, typed_text
from handlers.photo import (
    Refused,
    Step,
    actor_of,
    button,
    caption_too_long,
    decided_text,
    ids,
    names,
    typed,
)

EDIT_CAPTION = "photo_edit_caption"
REJECT_NOTE = "photo_reject_note"


def buttons_markup(rows: list[list[dict[str, str]]]) -> InlineKeyboardMarkup:
    """Buttons the service wrote as Bot API JSON (text and callback data), as PTB markup."""
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(entry["text"], callback_data=entry["callback_data"]) for entry in row]
        for row in rows
    ])


def note_markup(
    tr: Translator, update_id: int, state: PhotoUpdateState, admin: bool
) -> InlineKeyboardMarkup | None:
    """The buttons under a review note: the decision while pending, Recall for admins after."""
    rows = service.note_buttons(update_id, state, admin, tr)
    return buttons_markup(rows) if rows else None


async def _pending_update(context: HeimboteContext, update_id: int) -> service.PostView:
    """The update if it still waits for a decision, else a refusal saying who decided."""
    update = await service.update_view(actor_of(context), update_id)
    if update.state != PhotoUpdateState.PENDING:
        raise Refused(decided_text(context.tr, update.state, update.decided_by_name))
    return update


# --- approve ---------------------------------------------------------------------------------


async def approve(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str | None:
    """"Approve": relayed to the relatives, once, however many approvers press at once."""
    (update_id,) = ids(args, 1)
    tr = context.tr
    try:
        decision = await service.approve(actor_of(context), update_id)
    except InvalidInput as error:
        if error.field != "consent":
            raise
        raise Refused(tr._(
            "There is no photo consent for {names} any more, so this cannot be approved. "
            "Please reject it."
        ).format(names=error.reason)) from error
    return tr.ngettext(
        "Approved. It goes to {count} relative.", "Approved. It goes to {count} relatives.",
        decision.relatives,
    ).format(count=tr.number(decision.relatives))


# --- edit the caption ------------------------------------------------------------------------


async def ask_caption(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> str | None:
    """"Edit caption": ask for the new one."""
    (update_id,) = ids(args, 1)
    pending = await _pending_update(context, update_id)
    assert context.account is not None
    await await_input(context.account, EDIT_CAPTION, update=update_id)
    tr = context.tr
    text = tr._(
        "Please type the new caption for the photo update of {residents} (up to 1,024 "
        "characters), or “-” for none."
    ).format(residents=names(tr, pending))
    if update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, text)
    return None


@typed
async def caption_typed(update: Update, context: HeimboteContext, awaited: Awaited) -> None:
    """The corrected caption: saved if it fits, then every note shows it."""
    entered = typed_text(update, context)
    if entered is None:
        return
    message = entered.message
    update_id, tr = int(awaited.payload["update"]), context.tr
    caption = "" if entered.text.strip() == "-" else entered.text
    try:
        await service.edit_caption(actor_of(context), update_id, caption)
    except InvalidInput as error:
        if error.field != "caption":
            raise
        await message.reply_text(caption_too_long(tr, len(caption)))
        return
    await stop_awaiting(entered.account)
    await message.reply_text(tr._("The caption is changed."))


# --- reject ----------------------------------------------------------------------------------


def reason_label(tr: Translator, reason: RejectReason) -> str:
    """A reason as a short button label."""
    return {
        RejectReason.CONSENT: tr._("No consent"),
        RejectReason.DIGNITY: tr._("Dignity"),
        RejectReason.QUALITY: tr._("Photo quality"),
        RejectReason.OTHER: tr._("Other reason"),
    }[reason]


async def ask_reason(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str | None:
    """"Reject": the reasons to pick from, or a typed one."""
    (update_id,) = ids(args, 1)
    await _pending_update(context, update_id)
    tr = context.tr
    reasons = [button(reason_label(tr, reason), "rsn", update_id, reason)
               for reason in RejectReason]
    rows = [reasons[:2], reasons[2:],
            [button(tr._("✏️ Write a reason"), "note", update_id)],
            [button(tr._("◀ Back"), "back", update_id)]]
    view = await service.shown(update_id)
    text = service.review_text(view, tr) + "\n\n" + tr._("Why is it not approved?")
    await show(update, text, InlineKeyboardMarkup(rows))
    return None


async def reject(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str | None:
    """A reason picked: rejected, and the author is told why."""
    if len(args) != 2:
        raise BadCallbackData(args)
    (update_id,) = ids(args[:1], 1)
    reason = enum_arg(RejectReason, args[1])
    await service.reject(actor_of(context), update_id, reason)
    return context.tr._("Not approved. The author is told why.")


async def ask_note(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str | None:
    """"Write a reason": ask for it."""
    (update_id,) = ids(args, 1)
    await _pending_update(context, update_id)
    assert context.account is not None
    await await_input(context.account, REJECT_NOTE, update=update_id)
    if update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, context.tr._(
            "Please type the reason in a few words (up to 500 characters). "
            "The author will read it."
        ))
    return None


@typed
async def note_typed(update: Update, context: HeimboteContext, awaited: Awaited) -> None:
    """The typed reason: rejected with it."""
    entered = typed_text(update, context)
    if entered is None:
        return
    message = entered.message
    update_id = int(awaited.payload["update"])
    await service.reject(actor_of(context), update_id, RejectReason.OTHER, entered.text)
    await stop_awaiting(entered.account)
    await message.reply_text(context.tr._("Not approved. The author is told why."))


async def back(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str | None:
    """"◀ Back" / "No": the note as it is now, with its buttons."""
    (update_id,) = ids(args, 1)
    tr = context.tr
    await service.update_view(actor_of(context), update_id)  # a staff role here, checked
    view = await service.shown(update_id)
    # Back from the recall question: only an admin had the button (recalling checks it again).
    admin = view.update.state == PhotoUpdateState.APPROVED
    await show(update, service.review_text(view, tr),
               note_markup(tr, update_id, view.update.state, admin))
    return None


# --- recall ----------------------------------------------------------------------------------


async def ask_recall(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str | None:
    """"Recall": ask first, it cannot be undone."""
    (update_id,) = ids(args, 1)
    approved = await service.update_view(actor_of(context), update_id)
    tr = context.tr
    if approved.state != PhotoUpdateState.APPROVED:
        raise InvalidInput("state", str(approved.state))
    view = await service.shown(update_id)
    text = service.review_text(view, tr) + "\n\n" + tr._(
        "Recall it from the families? I delete it from their chats where Telegram still allows "
        "it (48 hours after sending)."
    )
    rows = [[button(tr._("Yes, recall it"), "rcl", update_id),
             button(tr._("No"), "back", update_id)]]
    await show(update, text, InlineKeyboardMarkup(rows))
    return None


async def recall(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str | None:
    """Recall confirmed: the service deletes what it can and reports it, after the deletions."""
    (update_id,) = ids(args, 1)
    await service.recall(actor_of(context), update_id, context.tr.locale)
    return None


STEPS: dict[str, Step] = {
    "ok": approve, "edit": ask_caption, "no": ask_reason, "rsn": reject, "note": ask_note,
    "back": back, "recall": ask_recall, "rcl": recall,
}


# What this module answers when the bot waits for typed text (kit.text_input).
TEXT_ANSWERS: dict[str, TextAnswer] = {
    EDIT_CAPTION: caption_typed,
    REJECT_NOTE: note_typed,
}
