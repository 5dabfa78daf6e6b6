"""Sending, its progress and cancelling: after confirming, one progress message is edited every
few seconds until everything went, then shows the report."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application

from bot import clock
from bot.domain.enums import AnnouncementState
from bot.domain.errors import DomainError
from bot.i18n import Translator, translator
from bot.services import announcements as service
from handlers.broadcast.replies import CAP
from handlers.kit.args import int_args
from handlers.kit.buttons import button
from handlers.kit.context import HeimboteApplication, HeimboteContext, actor_of
from handlers.kit.screens import show

log = logging.getLogger(__name__)

PROGRESS_EVERY = 3.0  # seconds between edits of the progress message
STOP_CHECK_EVERY = 0.25  # how quickly the progress task notices that the bot stops

# The progress task needs only the bot, the running flag and create_task: any application.
AnyApplication = Application[Any, Any, Any, Any, Any, Any]


async def confirm(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """The "ok" button: send it, and show the progress in place of the summary."""
    (draft_id,) = int_args(args, 1)
    actor = actor_of(context)
    await service.confirm(actor, draft_id)
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return
    watched = await service.watch_from(
        actor, draft_id, query.message.chat.id, query.message.message_id
    )
    context.application.create_task(
        follow(context.application, context.tr, watched),
        name=f"announcement-progress-{draft_id}",
    )


async def drop(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """The "drop" button: cancel the draft before it was confirmed."""
    (draft_id,) = int_args(args, 1)
    await service.cancel(actor_of(context), draft_id)
    await show(update, context.tr._("Cancelled. Nothing was sent."))


async def stop(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """The "stop" button: cancel what is not yet sent."""
    (draft_id,) = int_args(args, 1)
    await service.cancel(actor_of(context), draft_id)  # the progress task writes the report


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


async def _pause_while_running(application: AnyApplication, seconds: float) -> bool:
    """Wait ``seconds``, but stop early (``False``) when the application stops: PTB's stop()
    waits for the tasks made with ``create_task``, and this one must not hold it up."""
    loop = asyncio.get_running_loop()
    until = loop.time() + seconds
    # PTB offers no event for "stopping": look at its flag a few times a second
    while application.running and loop.time() < until:  # noqa: ASYNC110
        await asyncio.sleep(min(STOP_CHECK_EVERY, until - loop.time()))
    return application.running


async def follow(
    application: AnyApplication, tr: Translator, announcement: service.AnnouncementView
) -> None:
    """Edit the progress message every few seconds until the announcement is done or cancelled.

    Ends also when the bot stops; :func:`resume_progress` picks it up after a restart.
    """
    bot = application.bot
    shown, announcement_id, timezone = "", announcement.id, announcement.timezone
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
                markup = InlineKeyboardMarkup(
                    [[button(tr._("Cancel"), CAP, "stop", announcement_id)]])
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
        for announcement, locale in await service.being_sent(default):
            application.create_task(
                follow(application, translator(locale), announcement),
                name=f"announcement-progress-{announcement.id}",
            )

    application.create_task(resume(), name="announcement-progress-resume")
