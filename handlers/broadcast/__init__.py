"""/broadcast and /broadcasts: a home's admins send announcements (Rundschreiben) to families.

The steps: text or photo → audience → other languages → urgent? → when → preview → confirm.
The draft lives in the database; buttons carry only its id, and every step goes through
:mod:`bot.services.announcements.announcements`, which checks the admin role again. After
confirming, one
progress message is edited every few seconds until everything went, then shows the report.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.error import BadRequest, TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import clock
from bot.domain.callbacks import BadCallbackData, Prefix, callback, parse, pattern
from bot.domain.errors import DomainError, InvalidInput, NotAllowed, NotFound
from bot.i18n import Translator, available_locales, language_name, translator
from bot.models import Announcement, AnnouncementState, AwaitedInput, Role
from bot.services import announcements as service
from bot.services.accounts import (
    Actor,
    await_input,
    awaited_input,
    facilities_for,
    get_facility,
    locale_of,
    stop_awaiting,
)
from handlers.kit.context import HeimboteApplication, HeimboteContext
from handlers.kit.fallback import unexpected_message
from handlers.kit.screens import send_outgoing
from handlers.kit.text_input import TextAnswer

log = logging.getLogger(__name__)

CAP = Prefix.BROADCAST
PROGRESS_EVERY = 3.0  # seconds between edits of the progress message
STOP_CHECK_EVERY = 0.25  # how quickly the progress task notices that the bot stops
TEXT, TRANSLATION, TIME = "broadcast_text", "broadcast_translation", "broadcast_time"


def _button(label: str, action: str, *args: str | int) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callback(CAP, action, *args))


def _actor(context: HeimboteContext) -> Actor:
    if context.account is None:
        raise NotAllowed("no account")
    return Actor.of(context.account, context.settings.platform_admin_ids)


def refusal(tr: Translator, error: DomainError, length: int = 0) -> str:
    """One short, localized answer for a refused step (nothing was sent)."""
    if isinstance(error, NotAllowed):
        return tr._("Only the admins of a care home can send announcements.")
    if isinstance(error, NotFound):
        return tr._("I cannot find this announcement any more.")
    if isinstance(error, InvalidInput):
        if error.field == "text" and error.reason == "empty":
            return tr._("The announcement is empty. Please send a text.")
        if error.field in ("text", "caption"):
            limit = service.CAPTION_LIMIT if error.field == "caption" else service.TEXT_LIMIT
            return tr._(
                "This is too long: Telegram allows at most {limit} characters here, yours has "
                "{length}. Please shorten it, or split it into two announcements."
            ).format(limit=tr.number(limit), length=tr.number(length))
        if error.field == "time" and error.reason == "in the past":
            return tr._("This time has already passed. Please choose a later one.")
        if error.field == "time":
            return tr._("Please type the time, like this: 18:30 or 2026-12-24 10:00")
        if error.field == "unit" and error.reason == "none":
            return tr._("Your home has no units yet.")
        if error.field == "unit":
            return tr._("I cannot find this unit in your home.")
        if error.field == "state":
            return tr._("This announcement has already been sent.")
    return tr._("That did not work. Please check it and try again.")


async def _reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(text, reply_markup=markup)


async def _edit(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Replace the pressed message (or reply, after typed input)."""
    query = update.callback_query
    if query is not None and isinstance(query.message, Message) and query.message.text:
        try:
            await query.edit_message_text(text, reply_markup=markup)
        except BadRequest as error:  # pressed twice: nothing to change
            if "not modified" not in str(error).lower():
                raise
        return
    await _reply(update, text, markup)


# --- starting: which home, then the text ----------------------------------------------------


async def broadcast(update: Update, context: HeimboteContext) -> None:
    """/broadcast: ask for the text, after asking which home when the admin has several."""
    await _pick_home(update, context, "home")


async def broadcasts(update: Update, context: HeimboteContext) -> None:
    """/broadcasts: the latest announcements with their figures."""
    await _pick_home(update, context, "list")


async def _pick_home(update: Update, context: HeimboteContext, action: str) -> None:
    tr = context.tr
    homes = await facilities_for(_actor(context), Role.ADMIN) if context.account else []
    if not homes:
        await _reply(update, tr._("Only the admins of a care home can send announcements."))
    elif len(homes) == 1:
        try:
            await STEPS[action](update, context, (str(homes[0].id),))
        except DomainError as error:
            await _reply(update, refusal(tr, error))
    else:
        rows = [[_button(home.name, action, home.id)] for home in homes]
        await _reply(update, tr._("Which care home?"), InlineKeyboardMarkup(rows))


async def ask_text(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    facility = await get_facility(_actor(context), _ids(args, 1)[0], Role.ADMIN)
    assert context.account is not None
    await await_input(context.account, TEXT, facility=facility.id)
    await _edit(update, context.tr._(
        "New announcement for {home}. Please send the text, or a photo with a caption. "
        "Bold, italics and links are kept."
    ).format(home=facility.name))


async def text_received(update: Update, context: HeimboteContext, awaited: AwaitedInput) -> None:
    """The announcement's text (formatting kept as entities)."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    entities = [entity.to_dict() for entity in message.entities]
    await _drafted(update, context, awaited, message.text, entities, None)


async def photo_received(update: Update, context: HeimboteContext) -> None:
    """A photo: the announcement's, when /broadcast waits for one; else the usual hint."""
    message = update.effective_message
    awaited = await awaited_input(context.account) if context.account else None
    if message is None or not message.photo or awaited is None or awaited.kind != TEXT:
        await unexpected_message(update, context)
        return
    entities = [entity.to_dict() for entity in message.caption_entities]
    await _drafted(update, context, awaited, message.caption or "", entities,
                   message.photo[-1].file_id)


async def _drafted(
    update: Update, context: HeimboteContext, awaited: AwaitedInput,
    text: str, entities: list[dict[str, Any]], photo: str | None,
) -> None:
    try:
        announcement = await service.draft(
            _actor(context), int(awaited.payload["facility"]), text, entities, photo_file_id=photo
        )
    except DomainError as error:
        await _reply(update, refusal(context.tr, error, len(text)))
        return
    assert context.account is not None
    await stop_awaiting(context.account)
    await _ask_audience(update, context, announcement)


async def _ask_audience(update: Update, context: HeimboteContext, draft: Announcement) -> None:
    tr = context.tr
    rows = [
        [_button(tr._("All relatives"), "aud", draft.id, "rel")],
        [_button(tr._("The relatives of one unit"), "aud", draft.id, "unit")],
        [_button(tr._("Staff only"), "aud", draft.id, "staff")],
    ]
    await _reply(update, tr._("Who should receive it?"), InlineKeyboardMarkup(rows))


# --- the steps behind the buttons -----------------------------------------------------------


def _ids(args: tuple[str, ...], count: int) -> list[int]:
    if len(args) < count:
        raise BadCallbackData(args)
    try:
        return [int(arg) for arg in args[:count]]
    except ValueError as error:
        raise BadCallbackData(args) from error


async def choose_audience(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    (draft_id,), audience = _ids(args, 1), args[1:] or ("",)
    actor, tr = _actor(context), context.tr
    if audience[0] == "unit":
        draft = await service.get_announcement(actor, draft_id)
        units = await service.units_of(actor, draft.facility.id)
        if not units:
            raise InvalidInput("unit", "none")
        rows = [[_button(unit.name, "unit", draft_id, unit.id)] for unit in units]
        await _edit(update, tr._("Which unit?"), InlineKeyboardMarkup(rows))
        return
    chosen = {"rel": service.Audience.RELATIVES, "staff": service.Audience.STAFF}.get(audience[0])
    if chosen is None:
        raise BadCallbackData(args)
    await _ask_language(update, context, await service.set_audience(actor, draft_id, chosen))


async def choose_unit(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    draft_id, unit_id = _ids(args, 2)
    draft = await service.set_audience(_actor(context), draft_id, service.Audience.UNIT, unit_id)
    await _ask_language(update, context, draft)


async def _ask_language(update: Update, context: HeimboteContext, draft: Announcement) -> None:
    tr = context.tr
    others = [locale for locale in available_locales() if locale not in draft.texts]
    if not others:
        await _ask_urgent(update, context, draft)
        return
    rows = [[_button(language_name(locale), "lang", draft.id, locale)] for locale in others]
    rows.append([_button(tr._("No, that's all"), "nolang", draft.id)])
    await _edit(update, tr._(
        "Relatives who use another language get their own version, if you add one. "
        "Add a version in another language?"
    ), InlineKeyboardMarkup(rows))


async def choose_language(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    (draft_id,) = _ids(args, 1)
    locale = args[1] if len(args) > 1 and args[1] in available_locales() else None
    if locale is None:
        raise BadCallbackData(args)
    await service.get_announcement(_actor(context), draft_id)
    assert context.account is not None
    await await_input(context.account, TRANSLATION, announcement=draft_id, locale=locale)
    await _edit(update, context.tr._("Please send the {language} version.").format(
        language=language_name(locale)))


async def translation_received(
    update: Update, context: HeimboteContext, awaited: AwaitedInput
) -> None:
    """Another language's version of the text."""
    message = update.effective_message
    if message is None or message.text is None or context.account is None:
        return
    entities = [entity.to_dict() for entity in message.entities]
    try:
        draft = await service.add_translation(
            _actor(context), int(awaited.payload["announcement"]), str(awaited.payload["locale"]),
            message.text, entities,
        )
    except DomainError as error:
        await _reply(update, refusal(context.tr, error, len(message.text)))
        return
    await stop_awaiting(context.account)
    await _ask_language(update, context, draft)


async def no_more_languages(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> None:
    await _ask_urgent(update, context, await service.get_announcement(
        _actor(context), _ids(args, 1)[0]))


async def _ask_urgent(update: Update, context: HeimboteContext, draft: Announcement) -> None:
    tr = context.tr
    rows = [[_button(tr._("Urgent"), "urgent", draft.id, 1),
             _button(tr._("Not urgent"), "urgent", draft.id, 0)]]
    await _edit(update, tr._(
        "Is it urgent? Urgent announcements arrive at once, also at night. Others wait until "
        "each family's quiet hours are over."
    ), InlineKeyboardMarkup(rows))


async def choose_urgent(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    draft_id, urgent = _ids(args, 2)
    await service.set_urgent(_actor(context), draft_id, bool(urgent))
    tr = context.tr
    rows = [
        [_button(tr._("Now"), "when", draft_id, service.NOW),
         _button(tr._("In 1 hour"), "when", draft_id, service.IN_ONE_HOUR)],
        [_button(tr._("Today 18:00"), "when", draft_id, service.TODAY_EVENING),
         _button(tr._("Tomorrow 09:00"), "when", draft_id, service.TOMORROW_MORNING)],
        [_button(tr._("Type a time"), "when", draft_id, "typed")],
    ]
    await _edit(update, tr._("When should it go out?"), InlineKeyboardMarkup(rows))


async def choose_time(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    (draft_id,) = _ids(args, 1)
    when = args[1] if len(args) > 1 else ""
    actor, tr = _actor(context), context.tr
    if when == "typed":
        await service.get_announcement(actor, draft_id)
        assert context.account is not None
        await await_input(context.account, TIME, announcement=draft_id)
        await _edit(update, tr._("Please type the time, like this: 18:30 or 2026-12-24 10:00"))
        return
    if when not in (service.NOW, service.IN_ONE_HOUR, service.TODAY_EVENING,
                    service.TOMORROW_MORNING):
        raise BadCallbackData(args)
    # today 18:00 may have passed: the refusal becomes an alert
    await _preview(update, context, await service.schedule(actor, draft_id, when))


async def time_received(update: Update, context: HeimboteContext, awaited: AwaitedInput) -> None:
    """A typed time: HH:MM or YYYY-MM-DD HH:MM, in the home's timezone."""
    message = update.effective_message
    if message is None or message.text is None or context.account is None:
        return
    try:
        draft = await service.schedule(
            _actor(context), int(awaited.payload["announcement"]), message.text
        )
    except DomainError as error:
        await _reply(update, refusal(context.tr, error))
        return
    await stop_awaiting(context.account)
    await _preview(update, context, draft)


async def _preview(update: Update, context: HeimboteContext, draft: Announcement) -> None:
    """The message exactly as the recipients will see it, then the summary and Confirm."""
    tr, chat = context.tr, update.effective_chat
    if chat is None:
        return
    await send_as_recipients_see_it(context.bot, chat.id, draft, tr.locale)
    count = len(await service.recipients_of(draft))
    when = (tr._("now") if draft.send_at is None or draft.send_at <= clock.now()
            else tr.datetime(draft.send_at, draft.facility.timezone))
    summary = tr.ngettext(
        "This goes to {count} recipient, {when}.", "This goes to {count} recipients, {when}.",
        count,
    ).format(count=tr.number(count), when=when)
    rows = [[_button(tr._("Send"), "ok", draft.id), _button(tr._("Cancel"), "drop", draft.id)]]
    await context.bot.send_message(chat.id, summary, reply_markup=InlineKeyboardMarkup(rows))


async def send_as_recipients_see_it(
    bot: Bot, chat_id: int, draft: Announcement, locale: str
) -> None:
    """Send one version of the announcement, the same way the outbox will."""
    await send_outgoing(bot, chat_id, service.outgoing_in(draft, locale))


# --- sending, progress and cancelling -------------------------------------------------------


async def confirm(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    (draft_id,) = _ids(args, 1)
    actor = _actor(context)
    sent = await service.confirm(actor, draft_id)
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return
    watched = await service.watch_from(
        actor, sent.id, query.message.chat.id, query.message.message_id
    )
    context.application.create_task(
        follow(context.application, context.tr, watched),
        name=f"announcement-progress-{sent.id}",
    )


async def drop(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    (draft_id,) = _ids(args, 1)
    await service.cancel(_actor(context), draft_id)
    await _edit(update, context.tr._("Cancelled. Nothing was sent."))


async def stop(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    (draft_id,) = _ids(args, 1)
    await service.cancel(_actor(context), draft_id)  # the progress task writes the report


def progress_text(tr: Translator, figures: service.Figures, left: float | None) -> str:
    """"Sent 340 of 1,200 · 3 unreachable · about 2 minutes left"."""
    parts = [tr._("Sent {sent} of {total}").format(
        sent=tr.number(figures.sent), total=tr.number(figures.total))]
    if figures.unreachable:
        parts.append(tr._("{count} unreachable").format(count=tr.number(figures.unreachable)))
    if figures.waiting:
        parts.append(tr.ngettext(
            "{count} waits for the end of quiet hours", "{count} wait for the end of quiet hours",
            figures.waiting).format(count=tr.number(figures.waiting)))
    if left is not None and figures.pending > figures.waiting:
        minutes = max(1, round(left / 60))
        parts.append(tr.ngettext("about {count} minute left", "about {count} minutes left",
                                 minutes).format(count=tr.number(minutes)))
    return " · ".join(parts)


def waiting_text(
    tr: Translator, figures: service.Figures, send_at: dt.datetime, timezone: str
) -> str:
    """Before a scheduled announcement goes out."""
    return tr.ngettext(
        "Goes out {when} to {count} recipient.", "Goes out {when} to {count} recipients.",
        figures.total,
    ).format(when=tr.datetime(send_at, timezone), count=tr.number(figures.total))


def report_text(tr: Translator, figures: service.Figures, cancelled: bool) -> str:
    """The closing report, in place of the progress message."""
    head = tr._("Announcement cancelled.") if cancelled else tr._("Announcement sent.")
    lines = [head, tr._("Delivered: {sent} of {total}").format(
        sent=tr.number(figures.sent), total=tr.number(figures.total))]
    if figures.unreachable:
        lines.append(tr._("Unreachable (blocked the bot): {count}").format(
            count=tr.number(figures.unreachable)))
    if figures.failed:
        lines.append(tr._("Failed: {count}").format(count=tr.number(figures.failed)))
    if figures.cancelled:
        lines.append(tr._("Not sent: {count}").format(count=tr.number(figures.cancelled)))
    return "\n".join(lines)


async def _pause_while_running(application: HeimboteApplication, seconds: float) -> bool:
    """Wait ``seconds``, but stop early (``False``) when the application stops: PTB's stop()
    waits for the tasks made with ``create_task``, and this one must not hold it up."""
    loop = asyncio.get_running_loop()
    until = loop.time() + seconds
    # PTB offers no event for "stopping": look at its flag a few times a second
    while application.running and loop.time() < until:  # noqa: ASYNC110
        await asyncio.sleep(min(STOP_CHECK_EVERY, until - loop.time()))
    return application.running


async def follow(
    application: HeimboteApplication, tr: Translator, announcement: Announcement
) -> None:
    """Edit the progress message every few seconds until the announcement is done or cancelled.

    Ends also when the bot stops; :func:`resume_progress` picks it up after a restart.
    """
    bot = application.bot
    shown, announcement_id, timezone = "", announcement.id, announcement.facility.timezone
    chat_id, message_id = announcement.progress_chat_id, announcement.progress_message_id
    try:
        while True:
            figures = await service.figures(announcement_id)
            state = await service.state_of(announcement_id)
            finished = state in (AnnouncementState.DONE, AnnouncementState.CANCELLED)
            if finished:
                text = report_text(tr, figures, state == AnnouncementState.CANCELLED)
                markup = None
            else:
                started = await service.started_at(announcement_id)
                text = (waiting_text(tr, figures, started, timezone) if started > clock.now() else
                        progress_text(tr, figures, service.seconds_left(figures, started)))
                markup = InlineKeyboardMarkup([[InlineKeyboardButton(
                    tr._("Cancel"), callback_data=callback(CAP, "stop", announcement_id))]])
            if text != shown:
                try:
                    await bot.edit_message_text(text, chat_id, message_id, reply_markup=markup)
                except BadRequest as error:  # after a restart: it already says so
                    if "not modified" not in str(error).lower():
                        raise
                shown = text
            if finished or not await _pause_while_running(application, PROGRESS_EVERY):
                return
    except (TelegramError, DomainError):
        log.warning("stopped showing the progress of announcement %s", announcement_id)


def resume_progress(application: HeimboteApplication) -> None:
    """After a restart: keep editing the progress messages of announcements still going out.

    Call it once the application is running (after ``application.start()``); each author
    reads their own language.
    """

    async def resume() -> None:
        default = application.bot_data.settings.default_locale if (
            application.bot_data.settings) else "de"
        for announcement in await service.being_sent():
            locale = locale_of(announcement.author, None, default)
            application.create_task(
                follow(application, translator(locale), announcement),
                name=f"announcement-progress-{announcement.id}",
            )

    application.create_task(resume(), name="announcement-progress-resume")


async def show_recent(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    tr = context.tr
    listed = await service.recent(_actor(context), _ids(args, 1)[0])
    if not listed:
        await _edit(update, tr._("No announcements yet. /broadcast writes the first one."))
        return
    lines = [tr._("Recent announcements:")]
    for announcement, figures in listed:
        version = announcement.texts.get(announcement.default_locale, {})
        lines.append(tr._("{when}: “{start}” – sent {sent} of {total}").format(
            when=tr.datetime(announcement.confirmed_at or announcement.created_at,
                             announcement.facility.timezone),
            start=_shortened(str(version.get("text", "")) or "📷"),
            sent=tr.number(figures.sent), total=tr.number(figures.total)))
    await _edit(update, "\n".join(lines))


def _shortened(text: str, length: int = 40) -> str:
    first_line = text.strip().splitlines()[0] if text.strip() else ""
    return first_line if len(first_line) <= length else first_line[: length - 1] + "…"


Step = Callable[[Update, HeimboteContext, tuple[str, ...]], Awaitable[None]]
STEPS: dict[str, Step] = {
    "home": ask_text, "list": show_recent, "aud": choose_audience, "unit": choose_unit,
    "lang": choose_language, "nolang": no_more_languages, "urgent": choose_urgent,
    "when": choose_time, "ok": confirm, "drop": drop, "stop": stop,
}


async def press(update: Update, context: HeimboteContext) -> None:
    """Every broadcast button: parse, run the step, turn refusals into an alert."""
    query = update.callback_query
    if query is None:
        return
    try:
        data = parse(query.data)
        step = STEPS.get(data.action)
        if step is None:
            raise BadCallbackData(query.data)
        await step(update, context, data.args)
    except BadCallbackData:
        await query.answer(context.tr._("This button is no longer valid."), show_alert=True)
        return
    except DomainError as error:
        log.info("refused broadcast step: %s", type(error).__name__)
        await query.answer(refusal(context.tr, error), show_alert=True)
        return
    await query.answer()


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """/broadcast, /broadcasts, their buttons, and the photo of an announcement."""
    return [
        CommandHandler("broadcast", broadcast, filters=filters.ChatType.PRIVATE),
        CommandHandler("broadcasts", broadcasts, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(press, pattern=pattern(CAP)),
        MessageHandler(filters.PHOTO & filters.ChatType.PRIVATE, photo_received),
    ]


# What this module answers when the bot waits for typed text (kit.text_input).
TEXT_ANSWERS: dict[str, TextAnswer] = {
    TEXT: text_received,
    TRANSLATION: translation_received,
    TIME: time_received,
}
