"""/pending: the photo updates waiting for approval, oldest first, each with its buttons.

Each update is shown as approvers got it (the photos, then the note with Approve / Edit caption /
Reject); the buttons work like those of the original note (:mod:`handlers.photo.review`).
A few at a time: "Show the next ones" sends the next few.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.domain.enums import Role
from bot.domain.errors import DomainError
from bot.services import photo_updates as service
from bot.services.accounts import facilities_for
from handlers.kit.context import HeimboteContext
from handlers.kit.paging import Page, page_caption
from handlers.kit.screens import send_outgoing
from handlers.photo import Step, actor_of, button, ids, refusal
from handlers.photo.review import buttons_markup

PENDING_PAGE = 5


async def pending(update: Update, context: HeimboteContext) -> None:
    """/pending: the updates waiting for approval, oldest first, each with its buttons."""
    await _show_pending(update, context, 0)


async def pending_page(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> str | None:
    """"More" under /pending: the next few."""
    (offset,) = ids(args, 1)
    query = update.callback_query
    message = query.message if query is not None else None
    if isinstance(message, Message) and message.is_accessible and message.reply_markup:
        try:
            await message.edit_reply_markup(None)
        except BadRequest as error:  # a double tap: the first press has shown them already
            if "not modified" in str(error).lower():
                return None
            raise
    await _show_pending(update, context, offset)
    return None


async def _show_pending(update: Update, context: HeimboteContext, offset: int) -> None:
    chat, tr = update.effective_chat, context.tr
    if chat is None:
        return
    try:
        actor = actor_of(context)
        queue, total = await service.pending_views(actor, offset, PENDING_PAGE)
        approves_somewhere = bool(total) or bool(await facilities_for(actor, Role.APPROVER))
    except DomainError as error:
        await context.bot.send_message(chat.id, refusal(tr, error))
        return
    if not approves_somewhere:
        await context.bot.send_message(chat.id, tr._(
            "This is for the approvers of a care home. /help shows what I can do for you."
        ))
        return
    if not total:
        await context.bot.send_message(chat.id, tr._("Nothing is waiting for approval."))
        return
    page = Page(offset, total, PENDING_PAGE)
    heading = tr.ngettext(
        "{count} photo update is waiting for approval, oldest first.",
        "{count} photo updates are waiting for approval, oldest first.",
        total,
    ).format(count=tr.number(total))
    if caption := page_caption(tr, page):
        heading += "\n" + caption
    await context.bot.send_message(chat.id, heading)
    for waiting in queue:
        view = await service.shown(waiting.id)
        await send_outgoing(context.bot, chat.id, service.review_photos(waiting.file_ids))
        await context.bot.send_message(
            chat.id, service.review_text(view, tr),
            reply_markup=buttons_markup(service.review_buttons(waiting.id, tr)),
        )
    if page.has_next:
        await context.bot.send_message(chat.id, tr._("There are more."), reply_markup=(
            InlineKeyboardMarkup([[button(tr._("Show the next ones"), "pend",
                                          page.next_offset())]])))


STEPS: dict[str, Step] = {"pend": pending_page}


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """/pending."""
    return [CommandHandler("pending", pending, filters=filters.ChatType.PRIVATE)]
