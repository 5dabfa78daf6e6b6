"""A resident's card: name, room, unit, status and photo consent, with what an admin can do.

Shown by :mod:`handlers.admin.residents` (the list, adding, editing) and
:mod:`handlers.admin.stay` (consent, the end of a stay), always read fresh from the service.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.domain.callbacks import Prefix
from bot.domain.enums import PhotoConsent, ResidentStatus
from bot.i18n import Translator
from bot.services import wellbeing
from bot.services.accounts import ResidentCard, resident_card
from handlers.emergency_calls.contacts import contact_rows
from handlers.kit.buttons import button
from handlers.kit.context import HeimboteContext, actor_of
from handlers.kit.screens import show

RES = Prefix.RESIDENTS
INVITE = Prefix.INVITES  # the invite screen's capability (handlers.admin.invites)


def card_text(tr: Translator, resident: ResidentCard) -> str:
    """The resident's card: name, room, unit, status and photo consent (who, when)."""
    lines = [resident.display_name]
    if resident.room:
        lines.append(tr._("Room: {room}").format(room=resident.room))
    if resident.unit is not None:
        lines.append(tr._("Unit: {unit}").format(unit=resident.unit))
    lines.append(
        {
            ResidentStatus.ACTIVE: tr._("Status: lives here"),
            ResidentStatus.MOVED_OUT: tr._("Status: moved out"),
            ResidentStatus.DECEASED: tr._("Status: passed away"),
        }[resident.status]
    )
    lines.append(consent_line(tr, resident))
    return "\n".join(lines)


def consent_line(tr: Translator, resident: ResidentCard) -> str:
    """The photo consent in one line: not recorded, given by whom and when, or withdrawn."""
    when = resident.consent_changed_at
    if resident.photo_consent == PhotoConsent.NONE or when is None:
        return tr._("Photo consent: not recorded")
    date = tr.datetime(when, resident.timezone)
    if resident.photo_consent == PhotoConsent.WITHDRAWN:
        return tr._("Photo consent: withdrawn on {date}").format(date=date)
    given_by = {
        "resident": tr._("Photo consent: given by the resident on {date}"),
        "representative": tr._("Photo consent: given by the legal representative on {date}"),
        "proxy": tr._("Photo consent: given by the authorised proxy on {date}"),
    }
    return given_by.get(str(resident.consent_given_by), given_by["resident"]).format(date=date)


def card_keyboard(
    tr: Translator, resident: ResidentCard,
    contacts: list[list[InlineKeyboardButton]] | None = None,
) -> InlineKeyboardMarkup:
    """What an admin can do with a resident; only "back" once the stay has ended.

    ``contacts``: a button per linked relative, who is an emergency contact
    (:mod:`handlers.emergency_calls.contacts`)."""
    back = [button(tr._("◀ All residents"), RES, "list", resident.facility_id, 0)]
    if resident.status != ResidentStatus.ACTIVE:
        return InlineKeyboardMarkup([back])
    consent = [button(tr._("Record photo consent"), RES, "consent", resident.id)]
    if resident.photo_consent == PhotoConsent.GRANTED:
        consent.append(button(tr._("Withdraw consent"), RES, "withdraw", resident.id))
    return InlineKeyboardMarkup(
        [
            [
                button(tr._("Edit name"), RES, "edit", resident.id, "name"),
                button(tr._("Edit room"), RES, "edit", resident.id, "room"),
                button(tr._("Edit unit"), RES, "edit", resident.id, "unit"),
            ],
            consent,
            [button(tr._("Invite a relative"), INVITE, "mkrel", resident.id)],
            *(contacts or []),
            [
                button(tr._("Moved out"), RES, "end", resident.id, ResidentStatus.MOVED_OUT),
                button(tr._("Passed away"), RES, "end", resident.id, ResidentStatus.DECEASED),
            ],
            back,
        ]
    )


async def show_card(update: Update, context: HeimboteContext, resident_id: int) -> None:
    """Show a resident's card, read fresh (the service checks the admin role)."""
    tr = context.tr
    resident = await resident_card(actor_of(context), resident_id)
    contacts = (await contact_rows(tr, actor_of(context), resident_id)
                if resident.status == ResidentStatus.ACTIVE else [])
    markup = card_keyboard(tr, resident, contacts)
    if resident.status == ResidentStatus.ACTIVE:  # daily notes on or off (handlers.wellbeing)
        notes = await wellbeing.notes_about(actor_of(context), resident.id)
        label = tr._("Daily notes: on") if notes else tr._("Daily notes: off")
        rows = list(markup.inline_keyboard)
        rows.insert(-1, (button(label, Prefix.WELLBEING, "rnotes", resident.id, int(not notes)),))
        markup = InlineKeyboardMarkup(rows)
    await show(update, card_text(tr, resident), markup)
