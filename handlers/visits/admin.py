"""/facility → 🗓 Visits: the home's weekly slots, its closures and when the staff group gets
the day's list.

A slot is added by typing one line ("Mon 14:00-17:00 30 2", optionally lead hours, days ahead
and a unit); days are closed by typing "2026-12-24 2026-12-26 Christmas". Removing a slot keeps
the visits already booked. The service checks the admin role on every press and typed line.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import TYPE_CHECKING

from telegram import InlineKeyboardMarkup, Update

from bot.domain.callbacks import BadCallbackData, Prefix
from bot.domain.errors import DomainError, InvalidInput
from bot.i18n import Translator
from bot.services import visits as service
from bot.services.accounts import Awaited, await_input, stop_awaiting
from handlers.admin import PICK
from handlers.kit.args import int_args
from handlers.kit.buttons import button, error_message, typed
from handlers.kit.context import HeimboteContext, account_of, actor_of
from handlers.kit.screens import show
from handlers.kit.text_input import typed_text

if TYPE_CHECKING:  # types only: handlers do not touch models
    from bot.models import VisitSlot

CAP = Prefix.VISITS
FACILITY = Prefix.FACILITY  # the settings screen this one is opened from (handlers.admin.facility)
SLOT = "visit_slot"
CLOSURE = "visit_closure"


def refusal(tr: Translator, error: DomainError) -> str:
    """A typed slot or closure that does not read, or a value out of range."""
    if isinstance(error, InvalidInput):
        if error.field in ("slot", "weekday", "starts", "ends", "time", "minutes", "parties",
                           "lead_hours", "days_ahead"):
            return tr._(
                "Please type the slot as: weekday start-end minutes parties, for example "
                "“Mon 14:00-17:00 30 2” (visits of 10–240 minutes, 1–50 parties at once; "
                "optionally booking closes 0–168 hours before, 1–90 days ahead, and a unit).")
        if error.field in ("closure", "until"):
            return tr._("Please type the first day, the last day and the reason, for example "
                        "“2026-12-24 2026-12-26 Christmas”.")
        if error.field == "reason":
            return tr._("Please give a reason of up to 200 characters.")
    return error_message(tr, error)


refused_typed = partial(typed, explain=refusal)  # a typed line that does not read is answered


def _wall(tr: Translator, stored: str) -> str:
    """A stored wall-clock time ("14:00") as the reader's locale writes it."""
    return tr.time(dt.time.fromisoformat(stored))


def slot_line(tr: Translator, slot: VisitSlot, unit: str) -> str:
    """"Mon 14:00–17:00, 30 min, 2 at once, book 24 h before, 14 days ahead (Garden)"."""
    line = tr._("{weekday} {starts}–{ends}, {minutes} min, {parties} at once, book up to "
                "{hours} h before, {days} days ahead").format(
        weekday=service.weekday_text(tr.locale, slot.weekday), starts=_wall(tr, slot.starts),
        ends=_wall(tr, slot.ends), minutes=slot.minutes, parties=slot.parties,
        hours=slot.lead_hours, days=slot.days_ahead)
    return f"{line} ({unit})" if unit else line


def overview_text(tr: Translator, overview: service.Overview) -> str:
    lines = [tr._("Visits – {home}").format(home=overview.facility.name), ""]
    lines.append(tr._("Visiting slots:"))
    lines.extend(f"• {slot_line(tr, slot, unit)}" for slot, unit in overview.slots)
    if not overview.slots:
        lines.append(tr._("none yet – relatives cannot book visits."))
    lines.append("")
    lines.append(tr._("Closed:"))
    for closure, unit in overview.closures:
        days = f"{closure.first_day:%Y-%m-%d} – {closure.last_day:%Y-%m-%d}"
        lines.append(f"• {days}{f' ({unit})' if unit else ''}: {closure.reason}")
    if not overview.closures:
        lines.append(tr._("no days ahead."))
    lines.append("")
    lines.append(tr._("The staff group gets the day's list at {time}.").format(
        time=_wall(tr, overview.day_list_at)))
    return "\n".join(lines)


def overview_keyboard(tr: Translator, overview: service.Overview) -> InlineKeyboardMarkup:
    fid, at = overview.facility.id, overview.day_list_at
    rows = [[button(f"✖ {service.weekday_text(tr.locale, slot.weekday)} {_wall(tr, slot.starts)}"
                    + (f" ({unit})" if unit else ""), CAP, "rm", fid, slot.id)]
            for slot, unit in overview.slots]
    earlier = service.shifted(at, -service.DAY_LIST_STEP).replace(":", "")
    later = service.shifted(at, service.DAY_LIST_STEP).replace(":", "")
    return InlineKeyboardMarkup([
        [button(tr._("➕ Add a slot"), CAP, "add", fid),
         button(tr._("🚫 Close days"), CAP, "close", fid)],
        *rows,
        [button(tr._("− list earlier"), CAP, "list", fid, earlier),
         button(tr._("+ list later"), CAP, "list", fid, later)],
        [button(tr._("◀ Back"), PICK, "pick", FACILITY, fid)],
    ])


async def show_overview(update: Update, context: HeimboteContext, facility_id: int) -> None:
    overview = await service.overview(actor_of(context), facility_id)
    await show(update, overview_text(context.tr, overview),
               overview_keyboard(context.tr, overview))


async def open_screen(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """The screen for one home (from /facility)."""
    (facility_id,) = int_args(args, 1)
    await show_overview(update, context, facility_id)


async def remove(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """✖ a slot: no more bookings of it (booked visits stay)."""
    facility_id, slot_id = int_args(args, 2)
    await service.remove_slot(actor_of(context), facility_id, slot_id)
    await show_overview(update, context, facility_id)
    return context.tr._("Removed. Visits already booked stay.")


async def set_list_time(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """The day's list at the time the button names ("0700")."""
    if len(args) != 2 or len(args[1]) != 4 or not args[1].isdigit():
        raise BadCallbackData(args)
    (facility_id,) = int_args(args[:1], 1)
    await service.set_day_list_at(actor_of(context), facility_id, f"{args[1][:2]}:{args[1][2:]}")
    await show_overview(update, context, facility_id)
    return context.tr._("Saved.")


async def ask_slot(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    (facility_id,) = int_args(args, 1)
    await service.overview(actor_of(context), facility_id)  # checks the admin role
    await await_input(account_of(context), SLOT, facility_id=facility_id)
    await show(update, context.tr._(
        "Please type the new slot as: weekday start-end minutes parties, for example "
        "“Mon 14:00-17:00 30 2” for Mondays 14:00 to 17:00, visits of 30 minutes, two "
        "visiting parties at once. Optionally add how many hours before booking closes "
        "(24), how many days ahead it may be booked (14) and the unit: "
        "“Mon 14:00-17:00 30 2 24 14 Garden”."))


async def ask_closure(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """🚫 Close days: in a home with units first for which (0: the whole home), then the days."""
    if len(args) not in (1, 2):
        raise BadCallbackData(args)
    facility_id, *chosen = int_args(args, len(args), minimum=0)
    overview = await service.overview(actor_of(context), facility_id)  # checks the admin role
    tr = context.tr
    if overview.units and not chosen:
        await show(update, tr._("Close visits for the whole home or for one unit?"),
                   InlineKeyboardMarkup(
                       [[button(tr._("🏠 Whole home"), CAP, "close", facility_id, 0)]]
                       + [[button(name, CAP, "close", facility_id, unit_id)]
                          for unit_id, name in overview.units]
                       + [[button(tr._("◀ Back"), CAP, "adm", facility_id)]]))
        return
    unit_id = chosen[0] if chosen else 0
    if unit_id and unit_id not in dict(overview.units):
        raise BadCallbackData(args)
    await await_input(account_of(context), CLOSURE, facility_id=facility_id, unit_id=unit_id)
    await show(update, tr._(
        "Please type the first day, the last day and the reason families will read, for "
        "example “2026-12-24 2026-12-26 Christmas”. Visits booked on these days are "
        "cancelled and the families told."))


@refused_typed
async def slot_typed(update: Update, context: HeimboteContext, awaited: Awaited) -> None:
    entered = typed_text(update, context)
    if entered is None:
        return
    facility_id = int(awaited.payload["facility_id"])
    await service.add_typed_slot(actor_of(context), facility_id, entered.text, context.tr.locale)
    await stop_awaiting(entered.account)
    await show_overview(update, context, facility_id)


@refused_typed
async def closure_typed(update: Update, context: HeimboteContext, awaited: Awaited) -> None:
    entered = typed_text(update, context)
    if entered is None:
        return
    facility_id = int(awaited.payload["facility_id"])
    first, last, reason = service.parse_closure(entered.text)
    unit_id = int(awaited.payload.get("unit_id") or 0) or None
    _, cancelled = await service.close(actor_of(context), facility_id, first=first, last=last,
                                       reason=reason, unit_id=unit_id)
    await stop_awaiting(entered.account)
    await entered.message.reply_text(context.tr.ngettext(
        "Closed. {count} booked visit was cancelled and its family told.",
        "Closed. {count} booked visits were cancelled and their families told.",
        cancelled).format(count=cancelled))
    await show_overview(update, context, facility_id)


ACTIONS = {"adm": open_screen, "rm": remove, "list": set_list_time, "add": ask_slot,
           "close": ask_closure}
