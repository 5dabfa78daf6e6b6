"""/facility → 💬 Messages from relatives: the staff group, inbox duty, reminder times and how
long conversations are kept.

Buttons carry the new value, so a double tap sets rather than counts twice; the service checks
the admin role and the allowed range again.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler

from bot.domain.callbacks import Prefix
from bot.i18n import Translator
from bot.services import accounts
from bot.services import conversations as service
from handlers.admin import PICK
from handlers.kit.args import int_args
from handlers.kit.buttons import button, buttons
from handlers.kit.context import HeimboteContext, actor_of
from handlers.kit.screens import show

CAP = Prefix.CONVERSATION_SETTINGS
FACILITY = Prefix.FACILITY  # the settings screen this one is opened from (handlers.admin.facility)
ESCALATION_STEP = 6
# The retention's steps, in days (the service allows 30-1095; the CLI sets any day between).
KEPT_DAYS = (30, 90, 180, 365, 730, 1095)


def _kept_steps(days: int) -> tuple[int | None, int | None]:
    """The next shorter and the next longer step from ``days`` (``None`` past the ends)."""
    return (max((step for step in KEPT_DAYS if step < days), default=None),
            min((step for step in KEPT_DAYS if step > days), default=None))


def overview_text(tr: Translator, overview: service.Overview) -> str:
    """The facility's setup in a few lines."""
    setup = overview.setup
    lines = [tr._("Messages from relatives – {home}").format(home=overview.facility.name)]
    if setup.group_chat_id is not None:
        lines.append(tr._("Staff group: “{group}”.").format(group=setup.group_title))
        if setup.group_is_forum:
            lines.append(tr._("Each conversation has its own topic there."))
    else:
        names = ", ".join(overview.inbox) or tr._("nobody yet")
        lines.append(tr._(
            "No staff group: messages go in private chat to the admins and to the staff with "
            "the inbox duty ({names}). Set the duty under /staff, or send /linkgroup in your "
            "team's Telegram group.").format(names=names))
    lines.append(tr.ngettext(
        "Reminder to the team after {hours} hour without an answer, counted in the daytime "
        "({start}–{end}).",
        "Reminder to the team after {hours} hours without an answer, counted in the daytime "
        "({start}–{end}).",
        setup.reminder_hours).format(hours=setup.reminder_hours,
                                     start=tr.time(service.DAY_STARTS),
                                     end=tr.time(service.DAY_ENDS)))
    lines.append(tr.ngettext(
        "The admins are told after {hours} hour without an answer.",
        "The admins are told after {hours} hours without an answer.",
        setup.escalation_hours).format(hours=setup.escalation_hours))
    days = overview.facility.conversation_retention_days
    lines.append(tr.ngettext(
        "Conversations are deleted with their messages {days} day after the last message.",
        "Conversations are deleted with their messages {days} days after the last message.",
        days).format(days=days))
    return "\n\n".join(lines)


def overview_keyboard(tr: Translator, overview: service.Overview) -> InlineKeyboardMarkup:
    """− / + for both times and for how long conversations are kept, and back to the home's
    settings."""
    fid, setup = overview.facility.id, overview.setup
    remind, escalate = setup.reminder_hours, setup.escalation_hours
    shorter, longer = _kept_steps(overview.facility.conversation_retention_days)
    kept = []  # at either end of the steps, only the button that still changes something
    if shorter is not None:
        kept.append(button(tr._("− kept"), CAP, "keep", fid, shorter))
    if longer is not None:
        kept.append(button(tr._("+ kept"), CAP, "keep", fid, longer))
    return InlineKeyboardMarkup([
        [button(tr._("− reminder"), CAP, "remind", fid, remind - 1),
         button(tr._("+ reminder"), CAP, "remind", fid, remind + 1)],
        [button(tr._("− admins"), CAP, "escalate", fid, escalate - ESCALATION_STEP),
         button(tr._("+ admins"), CAP, "escalate", fid, escalate + ESCALATION_STEP)],
        kept,
        [button(tr._("◀ Back"), PICK, "pick", FACILITY, fid)],
    ])


async def show_overview(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """The screen for one facility."""
    (facility_id,) = int_args(args, 1)
    overview = await service.overview(actor_of(context), facility_id)
    await show(update, overview_text(context.tr, overview),
               overview_keyboard(context.tr, overview))


async def set_reminder(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """Remind after the number of daytime hours the button names."""
    facility_id, hours = int_args(args, 2)
    await service.update_settings(actor_of(context), facility_id, reminder_hours=hours)
    await show_overview(update, context, (str(facility_id),))
    return context.tr._("Saved.")


async def set_escalation(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """Tell the admins after the number of hours the button names."""
    facility_id, hours = int_args(args, 2)
    await service.update_settings(actor_of(context), facility_id, escalation_hours=hours)
    await show_overview(update, context, (str(facility_id),))
    return context.tr._("Saved.")


async def set_retention(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """Keep conversations for the number of days the button names."""
    facility_id, days = int_args(args, 2)
    await accounts.update_facility(
        actor_of(context), facility_id, conversation_retention_days=days
    )
    await show_overview(update, context, (str(facility_id),))
    return context.tr._("Saved.")


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """The screen's buttons (it is opened from /facility)."""
    return [buttons(CAP, {"show": show_overview, "remind": set_reminder,
                          "escalate": set_escalation, "keep": set_retention})]
