"""A photo update's draft after the photos: the caption, the preview, submit; /myposts.

"Done" under the resident picker leads here: an optional caption (typed, at most 1,024
characters; a longer one is refused with its length and nothing changes), then the photos as
they will go out with a summary, then Submit ("Waiting for approval") or Cancel.
"""

from __future__ import annotations

from telegram import Bot, InlineKeyboardMarkup, Message, Update

from bot.domain.enums import PhotoUpdateState
from bot.domain.errors import DomainError, InvalidInput
from bot.i18n import Translator
from bot.services import photo_updates as service
from bot.services.accounts import Actor, Awaited, await_input, stop_awaiting
from handlers.kit.context import HeimboteContext
from handlers.kit.paging import Page, page_caption
from handlers.kit.screens import ask, drop_buttons, send_outgoing, show
from handlers.kit.text_input import TextAnswer, typed_text
from handlers.photo import (
    Step,
    actor_of,
    button,
    caption_too_long,
    ids,
    names,
    refusal,
    typed,
)

CAPTION = "photo_caption"


async def done_picking(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> str | None:
    """"Done" under the picker: at least one resident, then the caption."""
    (update_id,) = ids(args, 1)
    actor, tr = actor_of(context), context.tr
    draft = await service.update_view(actor, update_id)
    if draft.state != PhotoUpdateState.DRAFT:
        raise InvalidInput("state", str(draft.state))
    if not draft.residents:
        raise InvalidInput("residents", "none")
    assert context.account is not None
    await await_input(context.account, CAPTION, update=update_id)
    if draft.caption:
        text = tr._(
            "Your caption: “{caption}”\nType a new one to replace it, or keep it."
        ).format(caption=draft.caption)
        rows = [[button(tr._("Keep it"), "skip", update_id),
                 button(tr._("No caption"), "nocap", update_id)]]
    else:
        text = tr._(
            "Would you like to add a caption? Type it now (up to 1,024 characters), or tap Skip."
        )
        rows = [[button(tr._("Skip"), "skip", update_id)]]
    await ask(update, context, text, InlineKeyboardMarkup(rows))
    return None


@typed
async def caption_typed(update: Update, context: HeimboteContext, awaited: Awaited) -> None:
    """The caption: too long → asked to shorten it (nothing changes); else the preview."""
    entered = typed_text(update, context)
    if entered is None:
        return
    message = entered.message
    update_id, tr = int(awaited.payload["update"]), context.tr
    try:
        draft = await service.set_caption(actor_of(context), update_id, entered.text)
    except InvalidInput as error:
        if error.field != "caption":
            raise
        await message.reply_text(caption_too_long(tr, len(entered.text.strip())))
        return
    await stop_awaiting(entered.account)
    await drop_buttons(update, awaited)
    await preview(context.bot, message.chat_id, tr, actor_of(context), draft.id)


async def skip_caption(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> str | None:
    """"Skip" / "Keep it": on to the preview with the caption as it is."""
    (update_id,) = ids(args, 1)
    await _to_preview(update, context, update_id)
    return None


async def no_caption(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> str | None:
    """"No caption": drop the caption that came with the photo, then the preview."""
    (update_id,) = ids(args, 1)
    await service.set_caption(actor_of(context), update_id, "")
    await _to_preview(update, context, update_id)
    return None


async def _to_preview(update: Update, context: HeimboteContext, update_id: int) -> None:
    actor = actor_of(context)
    draft = await service.update_view(actor, update_id)
    if draft.state != PhotoUpdateState.DRAFT:
        raise InvalidInput("state", str(draft.state))
    assert context.account is not None
    await stop_awaiting(context.account)
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        await query.edit_message_reply_markup(None)
        await preview(context.bot, query.message.chat.id, context.tr, actor, update_id)


async def preview(bot: Bot, chat_id: int, tr: Translator, actor: Actor, update_id: int) -> None:
    """The photos as they will go out, then a summary with Submit and Cancel."""
    draft = await service.update_view(actor, update_id)  # the author's own draft, checked
    view = await service.shown(update_id)
    residents = [resident.display_name for resident in view.residents]
    for _, outgoing in service.family_messages(view, residents, tr):
        await send_outgoing(bot, chat_id, outgoing)  # without the relatives' buttons
    count = len(draft.file_ids)
    summary = tr.ngettext(
        "Preview: {count} photo of {residents}", "Preview: {count} photos of {residents}",
        count,
    ).format(count=tr.number(count), residents=names(tr, draft))
    summary += "\n" + tr._(
        "After an approver has checked it, their relatives receive it. Submit it now?"
    )
    rows = [[button(tr._("Submit"), "send", update_id), button(tr._("Cancel"), "drop", update_id)]]
    await bot.send_message(chat_id, summary, reply_markup=InlineKeyboardMarkup(rows))


async def submit(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str | None:
    """"Submit": the post waits for an approver."""
    (update_id,) = ids(args, 1)
    await service.submit(actor_of(context), update_id)
    await show(update, context.tr._(
        "Waiting for approval. I will let you know as soon as it has been checked."
    ))
    return None


async def cancel(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str | None:
    """"Cancel" (picker or preview): the draft is deleted."""
    (update_id,) = ids(args, 1)
    await service.discard_draft(actor_of(context), update_id)
    assert context.account is not None
    await stop_awaiting(context.account)
    await show(update, context.tr._("Cancelled. Nothing was sent."))
    return None


# --- /myposts ----------------------------------------------------------------------------------

MY_POSTS_PAGE = 10


def state_text(tr: Translator, post: service.PostView) -> str:
    """A post's state in a few words."""
    if post.state == PhotoUpdateState.APPROVED:
        return tr._("✅ approved")
    if post.state == PhotoUpdateState.REJECTED:
        return tr._("❌ not approved")
    if post.state == PhotoUpdateState.RECALLED:
        return tr._("↩️ recalled")
    if post.state == PhotoUpdateState.CLOSED:
        return tr._("closed: someone in it no longer lives here")
    return tr._("⏳ waiting for approval")


async def my_posts(update: Update, context: HeimboteContext) -> None:
    """/myposts: the sender's recent photo updates, newest first."""
    await _show_my_posts(update, context, 0)


async def my_posts_page(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> str | None:
    """◀ ▶ under /myposts."""
    (offset,) = ids(args, 1)
    await _show_my_posts(update, context, offset)
    return None


async def _show_my_posts(update: Update, context: HeimboteContext, offset: int) -> None:
    tr = context.tr
    try:
        actor = actor_of(context)
        posts, total = await service.my_post_views(actor, offset, MY_POSTS_PAGE)
    except DomainError as error:
        await show(update, refusal(tr, error))
        return
    if not total:
        await show(update, tr._(
            "You have not posted any photo updates yet. Send me a photo to start one."
        ))
        return
    lines = [tr._("Your photo updates:")]
    for post in posts:
        thanks = await service.thanks_count(post.id)
        when = post.submitted_at or post.created_at
        line = tr._("{when} · {state}\n{residents}").format(
            when=tr.datetime(when, post.timezone), state=state_text(tr, post),
            residents=names(tr, post),
        )
        if thanks:
            line += " · " + tr.ngettext(
                "❤️ {count} relative said thank you", "❤️ {count} relatives said thank you",
                thanks,
            ).format(count=tr.number(thanks))
        lines.append(line)
    page = Page(offset, total, MY_POSTS_PAGE)
    if caption := page_caption(tr, page):
        lines.append(caption)
    turns = []
    if page.has_previous:
        turns.append(button("◀", "mine", page.previous_offset()))
    if page.has_next:
        turns.append(button("▶", "mine", page.next_offset()))
    await show(update, "\n\n".join(lines), InlineKeyboardMarkup([turns]) if turns else None)


STEPS: dict[str, Step] = {
    "done": done_picking, "skip": skip_caption, "nocap": no_caption,
    "send": submit, "drop": cancel, "mine": my_posts_page,
}


# What this module answers when the bot waits for typed text (kit.text_input).
TEXT_ANSWERS: dict[str, TextAnswer] = {
    CAPTION: caption_typed,
}
