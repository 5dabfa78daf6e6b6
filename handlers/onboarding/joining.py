"""Joining with an invite: code → language → privacy notice → linked (or the role granted).

The code arrives as a deep link (``/start <code>``) or typed by hand. What is being joined is
kept on the account in the database, so a restart between the steps changes nothing.
"""

from __future__ import annotations

import datetime as dt
import math

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler, CommandHandler

from bot import clock
from bot.domain.callbacks import Prefix
from bot.domain.enums import InviteKind, Role
from bot.domain.errors import NotAllowed, NotFound
from bot.i18n import N_, Translator, translator
from bot.services import onboarding as joining
from bot.services.accounts import choose_locale
from bot.services.onboarding import looks_like_code
from handlers.kit.args import int_args, text_args
from handlers.kit.buttons import button, buttons, stale_refusal
from handlers.kit.context import HeimboteContext, account_of
from handlers.kit.menu import refresh_for
from handlers.kit.screens import show, take_buttons
from handlers.kit.text_input import UnawaitedText
from handlers.onboarding.start import language_keyboard

JOIN = Prefix.JOIN

ROLE_NAMES = {
    Role.STAFF: N_("care staff"),
    Role.APPROVER: N_("approver"),
    Role.ADMIN: N_("facility admin"),
}


def role_name(tr: Translator, role: Role | None) -> str:
    """A role as the user reads it."""
    return tr._(ROLE_NAMES[role or Role.STAFF])


def unusable_text(tr: Translator) -> str:
    """The one answer for every code that cannot be used: it reveals nothing."""
    return tr._(
        "Sorry, this code does not work. Please check it, or ask the care home for a new "
        "invitation."
    )


def locked_text(tr: Translator, retry_at: dt.datetime) -> str:
    """Too many wrong codes: when to try again, without naming any time zone."""
    minutes = max(1, math.ceil((retry_at - clock.now()).total_seconds() / 60))
    return tr.ngettext(
        "That was too many wrong codes. For your safety, please try again in {minutes} minute.",
        "That was too many wrong codes. For your safety, please try again in {minutes} minutes.",
        minutes,
    ).format(minutes=minutes)


def already_text(tr: Translator, invitation: joining.Invitation) -> str:
    """Kindly: there is nothing more to join."""
    if invitation.kind == InviteKind.RELATIVE:
        return tr._(
            "You are already connected with {resident} at {facility} – nothing more to do. "
            "/settings shows your choices."
        ).format(resident=invitation.resident_name, facility=invitation.facility_name)
    return tr._("You are already on the team of {facility} as {role}.").format(
        facility=invitation.facility_name, role=role_name(tr, invitation.role)
    )


def privacy_notice(tr: Translator, facility: str) -> str:
    """What is stored, who sees it, for how long, how to delete it — in plain words."""
    return tr._(
        "Before we start, in plain words:\n"
        "• I store your name from Telegram, your language and your connection to the home.\n"
        "• The staff of {facility} can see this.\n"
        "• It is kept while you are connected. /deleteme deletes everything, at any time.\n\n"
        "Do you agree?"
    ).format(facility=facility)


def welcome_text(tr: Translator, joined: joining.Joined) -> str:
    """The confirmation: who, where, and what happens next."""
    if joined.kind == InviteKind.RELATIVE:
        return tr._(
            "Welcome! You are now connected with {resident} at {facility}.\n\n"
            "What happens next: once the home has approved them, photo greetings of "
            "{resident} arrive here. /settings lets you choose what you receive, /help shows "
            "everything I can do."
        ).format(resident=joined.resident_name, facility=joined.facility_name)
    return tr._(
        "Welcome to the team of {facility}! Your role: {role}.\n\n"
        "Here you post photo greetings of residents; families receive them only after "
        "approval. /help shows everything I can do."
    ).format(facility=joined.facility_name, role=role_name(tr, joined.role))


async def offer_invitation(message: Message, context: HeimboteContext, code: str) -> None:
    """Check a code and, if it works, ask for the language (the first step of joining)."""
    assert context.account is not None
    tr = context.tr
    try:
        invitation = await joining.begin_join(context.account, code)
    except joining.TooManyAttempts as locked:
        await message.reply_text(locked_text(tr, locked.retry_at))
        return
    except joining.InviteUnusable:
        await message.reply_text(unusable_text(tr))
        return
    except joining.AlreadyJoined as already:
        await message.reply_text(already_text(tr, already.invitation))
        return
    await message.reply_text(
        tr._(
            "Hello {name}! {facility} has invited you to Heimbote. "
            "Which language would you like me to use?"
        ).format(name=context.account.first_name, facility=invitation.facility_name),
        reply_markup=language_keyboard(tr.locale, capability=JOIN),
    )


async def join_by_link(update: Update, context: HeimboteContext) -> None:
    """``/start <code>``: the invite link was opened."""
    if update.effective_message is not None and context.args:
        await offer_invitation(update.effective_message, context, "".join(context.args))


async def join_by_typed_code(update: Update, context: HeimboteContext) -> bool:
    """A code typed by hand (any case, spaces and dashes allowed); other text is not ours."""
    message = update.effective_message
    if message is None or not message.text or not looks_like_code(message.text):
        return False
    await offer_invitation(message, context, message.text)
    return True


# --- the buttons: language, agree, decline, and a resident for a family invite --------------
# A refusal (an old button, an unknown language) reads as an out-of-date button.


async def picked_language(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """Save the language, then show the privacy notice in it."""
    (locale,) = text_args(args, 1)
    account = account_of(context)
    await choose_locale(account, locale)
    tr = context.tr = translator(locale)
    try:
        invitation = await joining.pending_invitation(account)
    except joining.InviteUnusable:
        await show(update, unusable_text(tr))
        return
    agree = button(tr._("Yes, I agree"), JOIN, "yes")
    decline = button(tr._("No, thank you"), JOIN, "no")
    await show(
        update,
        privacy_notice(tr, invitation.facility_name),
        InlineKeyboardMarkup([[agree, decline]]),
    )


async def agreed(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """Use the invite up and welcome the new relative or team member."""
    text_args(args, 0)
    tr = context.tr
    try:
        joined = await joining.accept_join(account_of(context))
    except joining.InviteUnusable:
        await show(update, unusable_text(tr))
        return
    except joining.AlreadyJoined as already:
        await show(update, already_text(tr, already.invitation))
        return
    query = update.callback_query
    assert query is not None
    await query.edit_message_reply_markup(None)  # the notice stays readable, the buttons go
    if query.message is not None:
        await context.bot.send_message(query.message.chat.id, welcome_text(tr, joined))
    await refresh_for(context, account_of(context))  # a new role: the menu that goes with it


async def declined(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """Forget the invite: nothing is linked."""
    text_args(args, 0)
    await joining.decline_join(account_of(context))
    await show(
        update,
        context.tr._(
            "All right, I have not connected you with anyone. If you change your mind, "
            "simply open the invitation again."
        ),
    )


async def family_picked(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """The resident chosen for a family invite."""
    (resident_id,) = int_args(args, 1)
    query = update.callback_query
    assert query is not None
    invitable = await joining.invitable_residents(account_of(context))
    if resident_id not in {resident.resident_id for resident in invitable}:
        raise NotFound(f"resident {resident_id}")  # a refusal leaves the screen as it is
    await take_buttons(update)  # the used picker makes no second invite
    await send_family_invite(query.message, context, resident_id)


async def invite_family(update: Update, context: HeimboteContext) -> None:
    """``/invitefamily``: a relative invites another family member for the same resident."""
    message = update.effective_message
    if message is None or context.account is None:
        return
    tr = context.tr
    residents = await joining.invitable_residents(context.account)
    if not residents:
        await message.reply_text(not_allowed_text(tr))
    elif len(residents) == 1:
        await send_family_invite(message, context, residents[0].resident_id)
    else:
        rows = [
            [button(f"{r.resident_name} ({r.facility_name})", JOIN, "family", r.resident_id)]
            for r in residents
        ]
        await message.reply_text(
            tr._("For whom would you like to invite a family member?"),
            reply_markup=InlineKeyboardMarkup(rows),
        )


def not_allowed_text(tr: Translator) -> str:
    """Family invites are off (or the account has no resident to invite for)."""
    return tr._(
        "Inviting family members is possible only when the care home has switched it on. "
        "Please ask the home."
    )


async def send_family_invite(
    message: object, context: HeimboteContext, resident_id: int
) -> None:
    """Make the invite and send its link (re-checked in the service: the button is untrusted)."""
    if not isinstance(message, Message) or context.account is None:
        return
    tr = context.tr
    try:
        invite = await joining.create_family_invite(context.account, resident_id)
    except (NotAllowed, NotFound):
        await message.reply_text(not_allowed_text(tr))
        return
    except joining.ResidentFull:
        await message.reply_text(
            tr._("Unfortunately, no more family members can be invited at the moment.")
        )
        return
    days = joining.FAMILY_INVITE_DAYS
    await message.reply_text(
        tr.ngettext(
            "Here is an invitation for {resident}. Forward it to your family member; it "
            "works once, for {days} day:\n{link}",
            "Here is an invitation for {resident}. Forward it to your family member; it "
            "works once, for {days} days:\n{link}",
            days,
        ).format(
            resident=invite.resident_name,
            days=days,
            link=f"https://t.me/{context.bot.username}?start={invite.code}",
        )
    )


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """``/start <code>``, ``/invitefamily`` and the joining buttons (typed codes: text_input)."""
    return [
        CommandHandler("start", join_by_link, has_args=True),
        CommandHandler("invitefamily", invite_family),
        buttons(
            JOIN,
            {"set": picked_language, "yes": agreed, "no": declined, "family": family_picked},
            explain=stale_refusal,
        ),
    ]


# Offered text that nothing waits for (kit.text_input).
UNAWAITED_TEXT: list[UnawaitedText] = [join_by_typed_code]
