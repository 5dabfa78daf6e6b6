"""/report: a home's admins get the monthly quality report in Telegram.

Steps: which home (when the admin has several) → which month (this month / last month buttons,
or a typed ``YYYY-MM``) → the charts as a photo album, a short summary, and the PDF as a
document. These are direct answers to the admin's own request, so they are sent at once, not
through the outbox. Every step asks :mod:`bot.services.report.report` again, which checks the role.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputMediaPhoto, Message, Update
from telegram.constants import ChatAction
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.domain.callbacks import BadCallbackData, Prefix, callback, parse, pattern
from bot.domain.errors import DomainError, InvalidInput, NotAllowed, NotFound
from bot.i18n import Translator
from bot.models import AwaitedInput, Role
from bot.services import report as service
from bot.services.accounts import await_input, get_facility, stop_awaiting
from bot.services.report import file_name, month_name, pdf_document, png_charts, summary, title
from handlers.kit.context import HeimboteContext, actor_of
from handlers.kit.text_input import TextAnswer

log = logging.getLogger(__name__)

CAP = Prefix.REPORT
MONTH = "report_month"  # the awaited typed month


def refusal(tr: Translator, error: DomainError) -> str:
    """One short, localized answer for a refused step."""
    if isinstance(error, NotAllowed):
        return tr._("Only the admins of a care home can read its quality report.")
    if isinstance(error, NotFound):
        return tr._("I cannot find this care home any more.")
    if isinstance(error, InvalidInput) and error.reason == "future":
        return tr._("This month has not begun yet. Please choose an earlier one.")
    if isinstance(error, InvalidInput):
        return tr._("Please type the month like this: 2026-03")
    return tr._("That did not work. Please check it and try again.")


async def _say(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Replace the pressed message, or answer the command or the typed text."""
    query = update.callback_query
    if query is not None and isinstance(query.message, Message) and query.message.text:
        try:
            await query.edit_message_text(text, reply_markup=markup)
        except BadRequest as error:  # pressed twice: nothing to change
            if "not modified" not in str(error).lower():
                raise
        return
    if update.effective_message is not None:
        await update.effective_message.reply_text(text, reply_markup=markup)


async def report_command(update: Update, context: HeimboteContext) -> None:
    """/report: ask which home (if several), then which month."""
    tr = context.tr
    homes = await service.report_facilities(actor_of(context)) if context.account else []
    if not homes:
        await _say(update, tr._("Only the admins of a care home can read its quality report."))
    elif len(homes) == 1:
        await _ask_month(update, context, homes[0].id)
    else:
        rows = [[InlineKeyboardButton(home.name, callback_data=callback(CAP, "home", home.id))]
                for home in homes]
        await _say(update, tr._("Which care home?"), InlineKeyboardMarkup(rows))


async def _ask_month(update: Update, context: HeimboteContext, facility_id: int) -> None:
    tr = context.tr
    facility = await get_facility(actor_of(context), facility_id, Role.ADMIN)
    current, last = service.recent_months(facility.timezone)
    rows = [[InlineKeyboardButton(
        tr._("This month ({month})").format(month=month_name(tr, current)),
        callback_data=callback(CAP, "month", facility.id, f"{current:%Y-%m}"))],
        [InlineKeyboardButton(
            tr._("Last month ({month})").format(month=month_name(tr, last)),
            callback_data=callback(CAP, "month", facility.id, f"{last:%Y-%m}"))]]
    assert context.account is not None
    await await_input(context.account, MONTH, facility=facility.id)
    await _say(update, tr._(
        "Quality report for {home}: which month? Press a button, or type a month like 2026-01."
    ).format(home=facility.name), InlineKeyboardMarkup(rows))


async def month_typed(update: Update, context: HeimboteContext, awaited: AwaitedInput) -> None:
    """A typed month, ``YYYY-MM``."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    try:
        month = service.parse_month(message.text)
        await _send_report(update, context, int(awaited.payload["facility"]), month)
    except DomainError as error:
        await _say(update, refusal(context.tr, error))


async def _send_report(
    update: Update, context: HeimboteContext, facility_id: int, month: dt.date
) -> None:
    """Compute, render and send: album of charts, summary, PDF."""
    tr, chat = context.tr, update.effective_chat
    report = await service.quality_report(actor_of(context), facility_id, month)
    assert context.account is not None and chat is not None
    await stop_awaiting(context.account)
    await _say(update, tr._("Preparing the quality report for {month}…").format(
        month=month_name(tr, report.month)))
    await context.bot.send_chat_action(chat.id, ChatAction.UPLOAD_PHOTO)
    images = await asyncio.to_thread(png_charts, tr, report)
    document = await asyncio.to_thread(pdf_document, tr, report)
    if len(images) == 1:
        await context.bot.send_photo(chat.id, images[0][1], caption=title(tr, report))
    else:
        album = [InputMediaPhoto(content, caption=title(tr, report) if index == 0 else None,
                                 filename=f"{name}.png")
                 for index, (name, content) in enumerate(images)]
        await context.bot.send_media_group(chat.id, album)
    await context.bot.send_message(chat.id, summary(tr, report))
    await context.bot.send_document(chat.id, document, filename=file_name(report, ".pdf"),
                                    caption=title(tr, report))


def _month_args(args: tuple[str, ...]) -> tuple[int, dt.date]:
    try:
        return int(args[0]), service.parse_month(args[1])
    except (IndexError, ValueError, InvalidInput) as error:
        raise BadCallbackData(args) from error


async def press(update: Update, context: HeimboteContext) -> None:
    """The report's buttons: a home, a month."""
    query = update.callback_query
    if query is None:
        return
    try:
        data = parse(query.data)
        if data.action == "home" and data.args and data.args[0].isdigit():
            await query.answer()
            await _ask_month(update, context, int(data.args[0]))
        elif data.action == "month":
            facility_id, month = _month_args(data.args)
            await query.answer()
            await _send_report(update, context, facility_id, month)
        else:
            raise BadCallbackData(query.data)
    except BadCallbackData:
        await query.answer(context.tr._("This button is no longer valid."), show_alert=True)
    except DomainError as error:
        log.info("refused report step: %s", type(error).__name__)
        await _say(update, refusal(context.tr, error))


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """/report and its buttons (the typed month goes through handlers.kit.text_input)."""
    return [
        CommandHandler("report", report_command, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(press, pattern=pattern(CAP)),
    ]


# What this module answers when the bot waits for typed text (kit.text_input).
TEXT_ANSWERS: dict[str, TextAnswer] = {
    MONTH: month_typed,
}
