"""/today for the care team: pick a resident, tap mood, appetite and activity, maybe a line.

The picker lists the residents the staff member may write about (by unit, then name); typed
text while it is open searches names and rooms (the search is kept with the awaited input,
never in callback data). The note's taps are kept by the service; text typed while a note is
open becomes its line, screened first. After saving, the picker for the next resident comes
back in the same message.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.domain.callbacks import BadCallbackData, Prefix, callback
from bot.domain.errors import DomainError, InvalidInput, NotFound
from bot.i18n import N_, Translator
from bot.services import wellbeing as service
from bot.services.accounts import Actor, Awaited, awaited_input, stop_awaiting
from handlers.admin.card import show_card
from handlers.kit.args import int_args, text_args
from handlers.kit.buttons import ButtonAction, button, error_message, stale_refusal, typed
from handlers.kit.context import HeimboteContext, account_of, actor_of
from handlers.kit.paging import Page, page_caption, paged_keyboard
from handlers.kit.screens import ask, drop_buttons, show
from handlers.kit.text_input import TextAnswer, typed_text

CAP = Prefix.WELLBEING
PAGE_SIZE = 8
SEARCH_MAX = 100

HELD_REASONS = {
    "phone": N_("a phone number"),
    "email": N_("an e-mail address"),
    "url": N_("a link"),
    "name": N_("the name of another resident"),
    "profanity": N_("a rude word"),
    service.MEDICAL: N_("a medical word (a diagnosis or a medication)"),
}


def refusal(tr: Translator, error: DomainError) -> str:
    """The care team's wording of a refused step."""
    if isinstance(error, service.NoteHeld):
        if service.TOO_LONG in error.reasons:
            return tr._("Please keep the line to {limit} characters. Nothing was kept.").format(
                limit=service.TEXT_LIMIT)
        found = ", ".join(tr._(HELD_REASONS[r]) for r in error.reasons if r in HELD_REASONS)
        return tr._(
            "Please reword the line: it contains {found}. Notes never hold medical details "
            "or other residents' names. Type the line again."
        ).format(found=found)
    if isinstance(error, NotFound):  # an old button, or someone else's
        return stale_refusal(tr, error)
    if isinstance(error, InvalidInput) and error.field == "text":
        return tr._("Please type a line with some words in it.")
    if isinstance(error, InvalidInput) and error.field == "note":
        return tr._("Tap at least one row (or type a line) before saving.")
    if isinstance(error, InvalidInput) and error.field == "notes":
        return tr._("Notes about this resident are switched off.")
    return error_message(tr, error)


def choice_label(tr: Translator, choice: service.ResidentChoice) -> str:
    """"Frau M. · room 12 · Wohnbereich 1"."""
    label = (tr._("{name} · room {room}").format(name=choice.name, room=choice.room)
             if choice.room else choice.name)
    return f"{label} · {choice.unit}" if choice.unit else label


async def picker_view(
    tr: Translator, actor: Actor, search: str = "", offset: int = 0, saved: str = ""
) -> tuple[str, InlineKeyboardMarkup]:
    """The resident picker: one page of the matches of ``search``."""
    choices, total = await service.resident_choices(actor, search, offset, PAGE_SIZE)
    lines = []
    if saved:
        lines.append(tr._("✓ Saved: today's note about {resident}.").format(resident=saved))
    lines.append(tr._("Whose day would you like to note? Tap a resident."))
    if search:
        lines.append(tr.ngettext(
            "{count} resident matches “{search}”.", "{count} residents match “{search}”.", total,
        ).format(count=tr.number(total), search=search))
    else:
        lines.append(tr._("Type part of a name or room to search."))
    page = Page(offset, total, PAGE_SIZE)
    if caption := page_caption(tr, page):
        lines.append(caption)
    items = [(choice_label(tr, c), callback(CAP, "pick", c.id)) for c in choices]
    extra = [[button(tr._("Show all"), CAP, "all")]] if search else []
    units = await service.unit_choices(actor)
    if units:  # the own unit's residents come first
        mine = next((unit.name for unit in units if unit.mine), None)
        extra.append([button(tr._("🏠 My unit: {unit}").format(unit=mine) if mine
                             else tr._("🏠 Choose my unit"), CAP, "units")])
    extra.append([button(tr._("Close"), CAP, "close")])
    return "\n".join(lines), paged_keyboard(items, page, lambda to: callback(CAP, "pg", to), extra)


def _ticked(label: str, chosen: bool) -> str:
    return f"✓ {label}" if chosen else label


def note_view(tr: Translator, draft: service.NoteDraft) -> tuple[str, InlineKeyboardMarkup]:
    """The note being written: three rows of taps, the typed line, Save."""
    rid = draft.resident_id
    lines = [
        tr._("Today's note about {resident}: tap what fits, then “Save”.").format(
            resident=draft.resident_name),
        tr._("You may also type one short line. No medical details, please."),
    ]
    if draft.text:
        lines.append(tr._("Your line: “{text}”").format(text=draft.text))
    moods = [button(_ticked(service.mood_label(tr, m).split()[0], draft.mood == m),
                    CAP, "m", rid, m) for m in service.MOODS]
    appetite = [button(_ticked(service.appetite_label(tr, a), draft.appetite == a),
                       CAP, "a", rid, a) for a in service.APPETITES]
    activities = [button(_ticked(service.activity_name(tr, name), draft.activity == name),
                         CAP, "act", rid, index) for index, name in enumerate(draft.activities)]
    rows: list[list[InlineKeyboardButton]] = [moods, appetite]
    rows += [activities[i:i + 2] for i in range(0, len(activities), 2)]
    rows.append([button(tr._("💾 Save"), CAP, "save", rid), button(tr._("Back"), CAP, "back")])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def show_picker(
    update: Update, context: HeimboteContext, search: str = "", offset: int = 0, saved: str = ""
) -> None:
    """The picker, in place of the pressed message (or as a reply); typed text then searches."""
    actor = actor_of(context)
    text, markup = await picker_view(context.tr, actor, search, offset, saved)
    await service.search_picker(actor, search)
    await ask(update, context, text, markup)  # typed text searches: then these buttons go


async def start(update: Update, context: HeimboteContext) -> None:
    """``/today`` from someone of a care team."""
    await show_picker(update, context)


async def current_search(context: HeimboteContext) -> str:
    awaited = await awaited_input(account_of(context))
    if awaited is None or awaited.kind != service.PICK:
        return ""
    return str(awaited.payload.get("search", ""))


async def pick(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str | None:
    """A resident tapped: the note screen."""
    (resident_id,) = int_args(args, 1, minimum=1)
    draft = await service.start_note(actor_of(context), resident_id)
    await ask(update, context, *note_view(context.tr, draft))
    return None


async def turn_page(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str | None:
    """◀ ▶ in the picker, keeping the search."""
    (offset,) = int_args(args, 1, minimum=0)
    await show_picker(update, context, await current_search(context), offset)
    return None


async def show_all(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str | None:
    """"Show all": forget the search."""
    text_args(args, 0)
    await show_picker(update, context)
    return None


async def back(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str | None:
    """"Back": the unsaved note is dropped, the picker comes back."""
    text_args(args, 0)
    await show_picker(update, context)
    return None


async def close(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str | None:
    """"Close": done for now."""
    text_args(args, 0)
    await stop_awaiting(account_of(context))
    await show(update, context.tr._("Thank you! /today opens the notes again."))
    return None


def _tap(field: str) -> ButtonAction:
    async def tap(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str | None:
        resident, value = text_args(args, 2)
        (resident_id,) = int_args((resident,), 1, minimum=1)
        if field == "activity":
            draft = await service.open_note(actor_of(context), resident_id)
            (index,) = int_args((value,), 1, minimum=0)
            if index >= len(draft.activities):
                raise BadCallbackData(args)
            value = draft.activities[index]
        draft = await service.choose(actor_of(context), resident_id, field, value)
        await ask(update, context, *note_view(context.tr, draft))
        return None

    tap.__doc__ = f"A tap in the {field} row (again: untapped)."
    return tap


async def save(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str | None:
    """"Save": the note is kept; the picker for the next resident comes back."""
    (resident_id,) = int_args(args, 1, minimum=1)
    name = await service.save_note(actor_of(context), resident_id)
    await show_picker(update, context, saved=name)
    return context.tr._("Saved ✓")


@typed
async def search_typed(update: Update, context: HeimboteContext, awaited: Awaited) -> None:
    """Text typed while the picker is open: the residents matching it."""
    entered = typed_text(update, context)
    if entered is None:
        return
    await drop_buttons(update, awaited)  # the matches come as a new picker
    await show_picker(update, context, " ".join(entered.text.split())[:SEARCH_MAX])


@typed
async def line_typed(update: Update, context: HeimboteContext, awaited: Awaited) -> None:
    """Text typed while a note is open: its line, screened."""
    entered = typed_text(update, context)
    if entered is None:
        return
    try:
        draft = await service.set_text(actor_of(context), entered.text)
    except DomainError as error:
        await entered.message.reply_text(refusal(context.tr, error))
        return
    await drop_buttons(update, awaited)  # the note comes again, with the line, below
    await ask(update, context, *note_view(context.tr, draft))


async def resident_notes(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> str | None:
    """On a resident's card (/residents): daily notes about them on (1) or off (0). Admin."""
    resident_id, enabled = int_args(args, 2, minimum=0)
    if enabled not in (0, 1):
        raise BadCallbackData(args)
    await service.set_resident_notes(actor_of(context), resident_id, enabled == 1)
    await show_card(update, context, resident_id)
    return None


STEPS: dict[str, ButtonAction] = {
    "pick": pick, "pg": turn_page, "all": show_all, "back": back, "close": close,
    "m": _tap("mood"), "a": _tap("appetite"), "act": _tap("activity"), "save": save,
    "rnotes": resident_notes,
}

TEXT_ANSWERS: dict[str, TextAnswer] = {
    service.PICK: search_typed,
    service.NOTE: line_typed,
}
