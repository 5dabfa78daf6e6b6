"""/report: a home's admins get the monthly quality report in Telegram.

Steps: which home (when the admin has several) → which month (this month / last month buttons,
or a typed ``YYYY-MM``) → the charts as a photo album, a short summary, and the PDF as a
document. These are direct answers to the admin's own request, so they are sent at once, not
through the outbox. Every step asks :mod:`bot.services.report.report` again, which checks the role.
"""

from __future__ import annotations

import asyncio
import datetime as dt

from telegram import InlineKeyboardMarkup, InputMediaPhoto, Update
from telegram.constants import ChatAction
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.domain.callbacks import BadCallbackData, Prefix
from bot.domain.enums import Role
from bot.domain.errors import DomainError, InvalidInput, NotAllowed, NotFound
from bot.i18n import Translator
from bot.services import report as service
from bot.services.accounts import Awaited, await_input, get_facility, stop_awaiting
from bot.services.report import (
    QualityReport,
    file_name,
    month_name,
    pdf_document,
    png_charts,
    summary,
    title,
)
from handlers.kit.args import int_args
from handlers.kit.buttons import button, buttons
from handlers.kit.context import HeimboteContext, actor_of
from handlers.kit.screens import ask, drop_buttons, refusal_shown, show
from handlers.kit.text_input import TextAnswer

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


async def report_command(update: Update, context: HeimboteContext) -> None:
    """/report: ask which home (if several), then which month."""
    tr = context.tr
    homes = await service.report_facilities(actor_of(context)) if context.account else []
    if not homes:
        await show(update, tr._("Only the admins of a care home can read its quality report."))
    elif len(homes) == 1:
        await _ask_month(update, context, homes[0].id)
    else:
        rows = [[button(home.name, CAP, "home", home.id)] for home in homes]
        await show(update, tr._("Which care home?"), InlineKeyboardMarkup(rows))


async def _ask_month(update: Update, context: HeimboteContext, facility_id: int) -> None:
    tr = context.tr
    facility = await get_facility(actor_of(context), facility_id, Role.ADMIN)
    current, last = service.recent_months(facility.timezone)
    rows = [[button(tr._("This month ({month})").format(month=month_name(tr, current)),
                    CAP, "month", facility.id, f"{current:%Y-%m}")],
            [button(tr._("Last month ({month})").format(month=month_name(tr, last)),
                    CAP, "month", facility.id, f"{last:%Y-%m}")]]
    assert context.account is not None
    await await_input(context.account, MONTH, facility=facility.id)
    await ask(update, context, tr._(
        "Quality report for {home}: which month? Press a button, or type a month like 2026-01."
    ).format(home=facility.name), InlineKeyboardMarkup(rows))


async def month_typed(update: Update, context: HeimboteContext, awaited: Awaited) -> None:
    """A typed month, ``YYYY-MM``."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    try:
        month = service.parse_month(message.text)
        report = await _prepare(update, context, int(awaited.payload["facility"]), month)
    except DomainError as error:
        await show(update, refusal(context.tr, error))
        return
    await drop_buttons(update, awaited)  # typed instead of pressed: the month buttons go
    await _deliver(context, report, message.chat_id)


async def _prepare(
    update: Update, context: HeimboteContext, facility_id: int, month: dt.date
) -> QualityReport:
    """Compute the month's report (the role checked again) and say that it is on its way."""
    tr = context.tr
    report = await service.quality_report(actor_of(context), facility_id, month)
    assert context.account is not None
    await stop_awaiting(context.account)
    await show(update, tr._("Preparing the quality report for {month}…").format(
        month=month_name(tr, report.month)))
    return report


async def _deliver(context: HeimboteContext, report: QualityReport, chat_id: int) -> None:
    """Render and send: album of charts, summary, PDF."""
    tr = context.tr
    await context.bot.send_chat_action(chat_id, ChatAction.UPLOAD_PHOTO)
    images = await asyncio.to_thread(png_charts, tr, report)
    document = await asyncio.to_thread(pdf_document, tr, report)
    if not images:  # no chart has data: the summary and the PDF say so in words
        pass
    elif len(images) == 1:
        await context.bot.send_photo(chat_id, images[0][1], caption=title(tr, report))
    else:
        album = [InputMediaPhoto(content, caption=title(tr, report) if index == 0 else None,
                                 filename=f"{name}.png")
                 for index, (name, content) in enumerate(images)]
        await context.bot.send_media_group(chat_id, album)
    await context.bot.send_message(chat_id, summary(tr, report))
    await context.bot.send_document(chat_id, document, filename=file_name(report, ".pdf"),
                                    caption=title(tr, report))


async def _home(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    (facility_id,) = int_args(args, 1)
    await _ask_month(update, context, facility_id)


async def _month(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    if len(args) != 2:
        raise BadCallbackData(args)
    (facility_id,) = int_args(args[:1], 1)
    try:
        month = service.parse_month(args[1])
    except InvalidInput as error:
        raise BadCallbackData(args) from error
    report = await _prepare(update, context, facility_id, month)
    chat = update.effective_chat
    assert chat is not None
    # Rendering takes seconds: the press is answered now, the charts and the PDF follow.
    context.application.create_task(_deliver(context, report, chat.id), update=update)


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """/report and its buttons (the typed month goes through handlers.kit.text_input)."""
    return [
        CommandHandler("report", report_command, filters=filters.ChatType.PRIVATE),
        # A refusal is the next thing the admin reads: it replaces the screen, not an alert.
        buttons(CAP, {"home": refusal_shown(_home, refusal),
                      "month": refusal_shown(_month, refusal)}, refusal),
    ]


# What this module answers when the bot waits for typed text (kit.text_input).
TEXT_ANSWERS: dict[str, TextAnswer] = {
    MONTH: month_typed,
}
