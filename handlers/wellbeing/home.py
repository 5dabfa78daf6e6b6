"""/facility → 📝 Daily notes: the home switches wellbeing notes on or off, and reads what they
are (never medical details) and who is left out."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.domain.callbacks import BadCallbackData, Prefix
from bot.domain.enums import Role
from bot.i18n import Translator
from bot.services import wellbeing as service
from handlers.kit.args import int_args
from handlers.kit.buttons import ButtonAction, button
from handlers.kit.context import HeimboteContext, actor_of
from handlers.kit.screens import show

CAP = Prefix.WELLBEING
PICK = Prefix.ADMIN_PICK  # back to the home's settings (handlers.admin.facility)


def home_text(tr: Translator, shown: service.HomeSettings) -> str:
    """What daily notes are, whether the home writes them, its activities, who is left out."""
    lines = [
        tr._("📝 Daily notes: on") if shown.notes_enabled else tr._("📝 Daily notes: off"),
        tr._(
            "The care team notes a resident's day with /today: mood, appetite, an activity "
            "and perhaps one short line. Notes never contain medical details: a line with a "
            "diagnosis or a medication goes back to its author. Families receive the notes "
            "only if they opted in (in /settings), once a day in the evening."
        ),
        tr._("Activities: {activities}").format(activities=", ".join(
            service.activity_name(tr, a) for a in shown.activities)),
    ]
    if shown.residents_off:
        lines.append(tr._("Switched off for: {residents}").format(
            residents=", ".join(shown.residents_off)))
    lines.append(tr._(
        "Switch notes off for one resident on their card (/residents). Activities and single "
        "relatives: heimbote wellbeing on the command line."))
    return "\n\n".join(lines)


async def show_home(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> str | None:
    """The home's screen for daily notes (admins)."""
    (facility_id,) = int_args(args, 1, minimum=1)
    await _show(update, context, facility_id)
    return None


async def _show(update: Update, context: HeimboteContext, facility_id: int) -> None:
    tr = context.tr
    shown = await service.home_settings(actor_of(context), facility_id, Role.ADMIN)
    switch = (button(tr._("Switch daily notes off"), CAP, "homeset", facility_id, 0)
              if shown.notes_enabled
              else button(tr._("Switch daily notes on"), CAP, "homeset", facility_id, 1))
    await show(update, home_text(tr, shown), InlineKeyboardMarkup([
        [switch], [button(tr._("◀ Back"), PICK, "pick", Prefix.FACILITY, facility_id)],
    ]))


async def set_home(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str | None:
    """Daily notes for the whole home on (1) or off (0)."""
    facility_id, enabled = int_args(args, 2, minimum=0)
    if enabled not in (0, 1):
        raise BadCallbackData(args)
    await service.update_settings(actor_of(context), facility_id, notes=enabled == 1)
    await _show(update, context, facility_id)
    return None


STEPS: dict[str, ButtonAction] = {"home": show_home, "homeset": set_home}
