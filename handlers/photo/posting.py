"""Posting a photo update: the photos come in, then which home, then who is in them.

Only the care team posts (staff, approvers, admins): :func:`takes_media` is one of the takers
of the private-media router (:mod:`handlers.kit.media`); everyone else's media is left to the
next one (a /broadcast waiting for its photo is asked before, a relative's message after).

Album parts arrive as separate updates sharing a ``media_group_id``: the first starts a draft,
later ones are added to it, and :data:`ALBUM_WAIT` seconds after a part the bot asks who is in
the photos — unless another part came meanwhile. Whether a part was the last is read from the
draft's photo count in the database. An album refused for having too many photos is marked in
the sender's awaited input (:data:`REFUSED_ALBUM`, also in the database), so that its later
parts are ignored, not started afresh, by whichever process receives them.
The resident picker is :mod:`handlers.photo.picker`; caption, preview and submit follow in
:mod:`handlers.photo.draft`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from telegram import Bot, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.domain.enums import PhotoUpdateState
from bot.domain.errors import DomainError, InvalidInput
from bot.i18n import Translator
from bot.services import photo_updates as service
from bot.services.accounts import Actor, await_input, awaited_input, stop_awaiting
from handlers.kit.context import HeimboteContext
from handlers.photo import Step, actor_of, button, ids
from handlers.photo.draft import my_posts
from handlers.photo.picker import send_picker

if TYPE_CHECKING:  # types only: handlers do not touch models
    from bot.models import Account

log = logging.getLogger(__name__)

ALBUM_WAIT = 1.5  # seconds after an album part before asking who is in it
IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})
MAX_IMAGE_BYTES = 10 * 1024 * 1024  # what sendPhoto accepts
REFUSED_ALBUM = "photo_refused_album"  # awaited "input": the later parts of this album

MEDIA = (  # what a member of the care team may try to post
    filters.PHOTO | filters.Document.ALL | filters.VIDEO | filters.VIDEO_NOTE
    | filters.ANIMATION | filters.Sticker.ALL | filters.VOICE | filters.AUDIO
)


# --- photos in -------------------------------------------------------------------------------


async def takes_media(update: Update, context: HeimboteContext) -> bool:
    """A photo, file, video, sticker… from the care team: a photo update (kit.media's taker).

    Anyone else's media is not taken here (a relative's photo is a message to the home).
    """
    message = update.effective_message
    if message is None or context.account is None or not MEDIA.check_update(update):
        return False
    actor = actor_of(context)
    homes = await service.posting_facilities(actor)
    if not homes:
        return False
    file_id = await _photo_of(message, context)
    if file_id is not None:
        await _collect(update, context, actor, homes[0].id, file_id)
    return True


async def _photo_of(message: Message, context: HeimboteContext) -> str | None:
    """The file_id to post, or None after telling the sender why this cannot be posted."""
    tr = context.tr
    if message.photo:
        return message.photo[-1].file_id
    if message.document is not None:
        return await _photo_from_file(message, context)
    if message.video or message.video_note or message.animation:
        await message.reply_text(tr._(
            "Sorry, videos are not supported yet. Please send photos: one, or an album of up "
            "to 10."
        ))
    else:
        await message.reply_text(tr._(
            "To post a photo update, send a photo, or an album of up to 10 photos."
        ))
    return None


async def _photo_from_file(message: Message, context: HeimboteContext) -> str | None:
    """A JPEG or PNG sent as a file, turned into a photo once (a file cannot go out as a photo).

    It is sent back as a photo to the sender's own chat, whose file_id is then used for the
    relay, and that message is deleted again: the relay itself uploads nothing.
    """
    document, tr = message.document, context.tr
    assert document is not None
    if document.mime_type not in IMAGE_TYPES:
        await message.reply_text(tr._(
            "I can only post photos: JPEG or PNG images. This file is not one of them."
        ))
        return None
    if (document.file_size or 0) > MAX_IMAGE_BYTES:
        await message.reply_text(tr._("This image is too large: at most 10 MB, please."))
        return None
    image = await (await context.bot.get_file(document.file_id)).download_as_bytearray()
    try:
        converted = await context.bot.send_photo(message.chat_id, bytes(image))
    except TelegramError:
        await message.reply_text(tr._("I could not open this image. Please send it as a photo."))
        return None
    try:
        await converted.delete()
    except TelegramError:
        log.info("could not delete a converted image message")
    return converted.photo[-1].file_id


async def _collect(
    update: Update, context: HeimboteContext, actor: Actor, facility_id: int, file_id: str
) -> None:
    """Start a draft with this photo, or add it to its album's draft; then ask who is in it."""
    message = update.effective_message
    assert message is not None and context.account is not None
    group = message.media_group_id
    if group is not None and await _refused(context.account, group):
        return
    draft = await service.draft_for_album(actor, group) if group else None
    try:
        if draft is None:
            draft = await service.start_draft(actor, facility_id, file_id, group)
        else:
            draft = await service.add_photo(actor, draft.id, file_id)
    except InvalidInput as error:
        if error.field != "photos" or draft is None:
            raise
        await _refuse_album(message, context, actor, draft.id, group)
        return
    await stop_awaiting(context.account)  # the questions of an earlier draft are over
    if message.caption and not draft.caption:
        try:
            draft = await service.set_caption(actor, draft.id, message.caption)
        except InvalidInput:
            pass  # too long: the caption step asks for one
    if group is None:
        await ask_who(context.bot, message.chat_id, context.tr, actor, draft.id,
                      len(draft.file_ids))
        return
    context.application.create_task(
        _when_complete(context.bot, message.chat_id, context.tr, actor, draft.id,
                       len(draft.file_ids)),
        update=update, name=f"photo-album-{draft.id}",
    )


async def _refuse_album(
    message: Message, context: HeimboteContext, actor: Actor, draft_id: int,
    group: str | None,
) -> None:
    """More than 10 photos: the whole album is dropped, and the sender is told."""
    await service.discard_draft(actor, draft_id)
    assert context.account is not None
    if group is not None:
        await await_input(context.account, REFUSED_ALBUM, album=group)
        context.application.create_task(
            _forget_refused(context.account, group), name=f"photo-album-refused-{draft_id}"
        )
    await message.reply_text(context.tr._(
        "A photo update can have at most 10 photos. I have not kept this album: "
        "please send at most 10 photos at once."
    ))


async def _refused(account: Account, group: str) -> bool:
    """Whether the album ``group`` was refused (its later parts are ignored)."""
    awaited = await awaited_input(account)
    return (awaited is not None and awaited.kind == REFUSED_ALBUM
            and awaited.payload.get("album") == group)


async def _forget_refused(account: Account, group: str) -> None:
    """Once the album's parts are in, typed text answers nothing in particular again."""
    await asyncio.sleep(ALBUM_WAIT)
    if await _refused(account, group):
        await stop_awaiting(account)


async def _when_complete(
    bot: Bot, chat_id: int, tr: Translator, actor: Actor, update_id: int, count: int
) -> None:
    """Ask who is in the album, unless another part came in while waiting."""
    await asyncio.sleep(ALBUM_WAIT)
    try:
        draft = await service.update_view(actor, update_id)
    except DomainError:
        return  # replaced, discarded or refused meanwhile
    if draft.state == PhotoUpdateState.DRAFT and len(draft.file_ids) == count:
        await ask_who(bot, chat_id, tr, actor, draft.id, count)


async def ask_who(
    bot: Bot, chat_id: int, tr: Translator, actor: Actor, draft_id: int, photos: int
) -> None:
    """The photos are in: which home (when the sender works in several), then who is in them."""
    homes = await service.posting_facilities(actor)
    if len(homes) > 1:
        rows = [[button(home.name, "fac", draft_id, home.id)] for home in homes]
        await bot.send_message(chat_id, tr.ngettext(
            "Which care home is this photo for?", "Which care home are these photos for?", photos,
        ), reply_markup=InlineKeyboardMarkup(rows))
        return
    await send_picker(bot, chat_id, tr, actor, draft_id)


async def choose_home(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> str | None:
    """A home was picked: the draft moves there (a new draft with the same photos)."""
    update_id, facility_id = ids(args, 2)
    actor = actor_of(context)
    draft = await service.update_view(actor, update_id)
    if draft.state != PhotoUpdateState.DRAFT:
        raise InvalidInput("state", str(draft.state))
    draft_id = draft.id
    if draft.facility_id != facility_id:
        first, *rest = draft.file_ids
        moved = await service.start_draft(actor, facility_id, first, draft.media_group_id)
        for file_id in rest:
            moved = await service.add_photo(actor, moved.id, file_id)
        if draft.caption:
            moved = await service.set_caption(actor, moved.id, draft.caption)
        draft_id = moved.id
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        await query.message.delete()
        await send_picker(context.bot, query.message.chat.id, context.tr, actor, draft_id)
    return None


STEPS: dict[str, Step] = {"fac": choose_home}


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """/myposts (the photos themselves come through kit.media: :func:`takes_media`)."""
    return [CommandHandler("myposts", my_posts, filters=filters.ChatType.PRIVATE)]
