"""Who is in the photo: the resident picker of a photo update draft.

An inline list of the home's residents, a page at a time; a tap ticks (✅) or unticks a
resident. Residents without photo consent are shown with 🚫: a tap on them only explains why.
While the list is open, typed text narrows it down to names or rooms containing it; the search
term is kept with the awaited input, never in callback data (it may be a name).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import Bot, InlineKeyboardMarkup, Update

from bot.domain.callbacks import BadCallbackData, callback
from bot.domain.enums import PhotoConsent
from bot.i18n import Translator
from bot.services import photo_updates as service
from bot.services.accounts import Actor, Awaited, await_input, awaited_input, remember_prompt
from handlers.kit.context import HeimboteContext
from handlers.kit.paging import Page, page_caption, paged_keyboard
from handlers.kit.screens import ask, drop_buttons
from handlers.kit.text_input import TextAnswer, typed_text
from handlers.photo import CAP, Refused, Step, actor_of, button, ids, typed

if TYPE_CHECKING:  # types only: handlers do not touch models
    from bot.models import Account

PICK = "photo_pick"
PAGE_SIZE = 8
SEARCH_MAX = 100


def choice_label(tr: Translator, choice: service.ResidentChoice) -> str:
    """"✅ Frau M. · room 12", "🚫 Herr K." (no consent), or just the name and room."""
    label = (
        tr._("{name} · room {room}").format(name=choice.name, room=choice.room)
        if choice.room else choice.name
    )
    if not choice.selectable:
        return "🚫 " + label
    return "✅ " + label if choice.selected else label


async def picker_view(
    tr: Translator, actor: Actor, update_id: int, search: str = "", offset: int = 0
) -> tuple[str, InlineKeyboardMarkup]:
    """The picker's text and buttons for one page (of the matches of ``search``)."""
    choices, total = await service.resident_choices(
        actor, update_id, search, offset, PAGE_SIZE
    )
    draft = await service.update_view(actor, update_id)
    count = len(draft.file_ids)
    question = tr._("Who is in this photo? Tap everyone who can be seen, then “Done”.")
    if count > 1:
        question = tr.ngettext(
            "Who is in this {count} photo? Tap everyone who can be seen, then “Done”.",
            "Who is in these {count} photos? Tap everyone who can be seen, then “Done”.",
            count,
        ).format(count=tr.number(count))
    lines = [question]
    if any(not choice.selectable for choice in choices):
        lines.append(tr._("🚫 = no photo consent: tap the name to see why."))
    page = Page(offset, total, PAGE_SIZE)
    if search:
        lines.append(tr.ngettext(
            "{count} resident matches “{search}”.", "{count} residents match “{search}”.", total,
        ).format(count=tr.number(total), search=search))
    else:
        lines.append(tr._("Type part of a name or room to search."))
    if caption := page_caption(tr, page):
        lines.append(caption)
    items = [
        (choice_label(tr, choice),
         callback(CAP, "tag" if choice.selectable else "why", update_id, choice.id, offset))
        for choice in choices
    ]
    extra = []
    if search:
        extra.append([button(tr._("Show all"), "all", update_id)])
    extra.append([button(tr._("Done"), "done", update_id),
                  button(tr._("Cancel"), "drop", update_id)])
    markup = paged_keyboard(items, page, lambda to: callback(CAP, "pg", update_id, to), extra)
    return "\n".join(lines), markup


async def send_picker(
    bot: Bot, chat_id: int, tr: Translator, actor: Actor, update_id: int, search: str = ""
) -> None:
    """Send a new picker message (after the photos came in, or after a typed search)."""
    assert actor.account is not None
    text, markup = await picker_view(tr, actor, update_id, search)  # checks the draft is theirs
    await await_input(actor.account, PICK, update=update_id, search=search)
    sent = await bot.send_message(chat_id, text, reply_markup=markup)
    await remember_prompt(actor.account, chat_id, sent.message_id)  # a search replaces it


async def redraw(
    update: Update, context: HeimboteContext, update_id: int, offset: int = 0,
    search: str | None = None,
) -> None:
    """Show the picker in place of the pressed message, keeping the search unless given."""
    assert context.account is not None
    if search is None:
        search = await current_search(context.account, update_id)
    # The view first: it checks that the draft is the presser's, before the bot waits for a search.
    text, markup = await picker_view(context.tr, actor_of(context), update_id, search, offset)
    await await_input(context.account, PICK, update=update_id, search=search)
    await ask(update, context, text, markup)


async def current_search(account: Account, update_id: int) -> str:
    """The search typed while this draft's picker is open ("" when there is none)."""
    awaited = await awaited_input(account)
    if awaited is None or awaited.kind != PICK or awaited.payload.get("update") != update_id:
        return ""
    return str(awaited.payload.get("search", ""))


async def toggle(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> str | None:
    """A resident tapped: tick or untick them (the service checks consent and facility)."""
    update_id, resident_id, offset = ids(args, 3)
    await service.toggle_resident(actor_of(context), update_id, resident_id)
    await redraw(update, context, update_id, offset)
    return None


async def why_not(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> str | None:
    """A 🚫 resident tapped: explain, in an alert, why they cannot be chosen."""
    update_id, resident_id, offset = ids(args, 3)
    assert context.account is not None
    search = await current_search(context.account, update_id)
    choices, _ = await service.resident_choices(
        actor_of(context), update_id, search, offset, PAGE_SIZE
    )
    choice = next((c for c in choices if c.id == resident_id), None)
    tr = context.tr
    if choice is None or choice.selectable:
        raise BadCallbackData(args)  # the list changed since: the message is out of date
    if choice.consent == PhotoConsent.WITHDRAWN:
        raise Refused(tr._(
            "{name}'s photo consent was withdrawn. Photos of {name} cannot be sent."
        ).format(name=choice.name))
    raise Refused(tr._(
        "There is no photo consent for {name} yet, so photos of {name} cannot be sent. "
        "The home's management can record it."
    ).format(name=choice.name))


async def turn_page(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> str | None:
    """◀ ▶: another page of the picker."""
    update_id, offset = ids(args, 2)
    await redraw(update, context, update_id, offset)
    return None


async def show_all(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> str | None:
    """"Show all": forget the search."""
    (update_id,) = ids(args, 1)
    await redraw(update, context, update_id, 0, "")
    return None


@typed
async def search_typed(update: Update, context: HeimboteContext, awaited: Awaited) -> None:
    """Text typed while the picker is open: a new picker of the residents matching it."""
    entered = typed_text(update, context)
    if entered is None:
        return
    message = entered.message
    search = " ".join(entered.text.split())[:SEARCH_MAX]
    await drop_buttons(update, awaited)  # the matches come as a new picker, the old one goes
    await send_picker(
        context.bot, message.chat_id, context.tr, actor_of(context),
        int(awaited.payload["update"]), search,
    )


STEPS: dict[str, Step] = {"tag": toggle, "why": why_not, "pg": turn_page, "all": show_all}


# What this module answers when the bot waits for typed text (kit.text_input).
TEXT_ANSWERS: dict[str, TextAnswer] = {
    PICK: search_typed,
}
