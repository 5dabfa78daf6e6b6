"""A resident's card, continued: photo consent, and the end of a stay (moved out, passed away).

Ending a stay asks first, and lets the admin choose whether the relatives get a short,
respectful message; the service ends their links and writes the notices into the outbox, in
one transaction.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.domain.callbacks import BadCallbackData
from bot.domain.enums import ConsentGiver, ResidentStatus
from bot.services.accounts import end_stay, record_consent, resident_card, withdraw_consent
from handlers.admin.card import RES, show_card
from handlers.kit.args import enum_arg, int_args
from handlers.kit.buttons import ButtonAction, button
from handlers.kit.context import HeimboteContext, actor_of
from handlers.kit.screens import show

ENDINGS = (ResidentStatus.MOVED_OUT, ResidentStatus.DECEASED)


async def ask_consent_giver(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> None:
    """"Record photo consent": who gave it?"""
    (resident_id,) = int_args(args, 1)
    resident = await resident_card(actor_of(context), resident_id)
    tr = context.tr
    givers = [
        (ConsentGiver.RESIDENT, tr._("The resident")),
        (ConsentGiver.REPRESENTATIVE, tr._("Legal representative")),
        (ConsentGiver.PROXY, tr._("Authorised proxy")),
    ]
    rows = [[button(label, RES, "cgive", resident.id, giver)] for giver, label in givers]
    rows.append([button(tr._("Cancel"), RES, "card", resident.id)])
    await show(
        update,
        tr._("Who gave the photo consent for {name}?").format(name=resident.display_name),
        InlineKeyboardMarkup(rows),
    )


async def give_consent(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """Record the consent as given by the person the button names."""
    if len(args) != 2:
        raise BadCallbackData(args)
    (resident_id,) = int_args(args[:1], 1)
    await record_consent(actor_of(context), resident_id, enum_arg(ConsentGiver, args[1]))
    await show_card(update, context, resident_id)
    return context.tr._("Photo consent recorded.")


async def withdraw(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """Withdraw the photo consent (the safe direction: no confirmation needed)."""
    (resident_id,) = int_args(args, 1)
    await withdraw_consent(actor_of(context), resident_id)
    await show_card(update, context, resident_id)
    return context.tr._("Photo consent withdrawn.")


def _ending(raw: str) -> ResidentStatus:
    status = enum_arg(ResidentStatus, raw)
    if status not in ENDINGS:
        raise BadCallbackData(raw)
    return status


async def confirm_end(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """"Moved out" / "Passed away": ask first, and whether to write to the relatives."""
    if len(args) != 2:
        raise BadCallbackData(args)
    (resident_id,) = int_args(args[:1], 1)
    status = _ending(args[1])
    resident = await resident_card(actor_of(context), resident_id)
    tr = context.tr
    if status == ResidentStatus.MOVED_OUT:
        question = tr._(
            "Has {name} moved out? The relatives will no longer be connected to {name} "
            "here. Shall I send them a short, respectful message?"
        )
    else:
        question = tr._(
            "Has {name} passed away? The relatives will no longer be connected to {name} "
            "here. Shall I send them a short, respectful message?"
        )
    rows = [
        [button(tr._("Yes, and notify the relatives"), RES, "endok", resident.id, status, 1)],
        [button(tr._("Yes, without a message"), RES, "endok", resident.id, status, 0)],
        [button(tr._("Cancel"), RES, "card", resident.id)],
    ]
    await show(update, question.format(name=resident.display_name), InlineKeyboardMarkup(rows))


async def end(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """Confirmed: end the stay, write to the relatives if chosen, show the card again."""
    if len(args) != 3 or args[2] not in ("0", "1"):
        raise BadCallbackData(args)
    (resident_id,) = int_args(args[:1], 1)
    status = _ending(args[1])
    notify = args[2] == "1"
    links = await end_stay(actor_of(context), resident_id, status, notify_relatives=notify)
    await show_card(update, context, resident_id)
    tr = context.tr
    if not notify:
        return tr._("Done. The relatives were not notified.")
    return tr.ngettext(
        "Done. {count} relative will be notified.",
        "Done. {count} relatives will be notified.",
        len(links),
    ).format(count=tr.number(len(links)))


def actions() -> dict[str, ButtonAction]:
    """The card's consent and end-of-stay buttons, for the residents' button handler."""
    return {
        "consent": ask_consent_giver,
        "cgive": give_consent,
        "withdraw": withdraw,
        "end": confirm_end,
        "endok": end,
    }
