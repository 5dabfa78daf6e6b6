"""What the bot writes about conversations on its own initiative, in each recipient's language.

Relays to staff, answers to relatives, reminders and notices are enqueued by the services, so
their wording lives here (plain text and button rows, no Telegram types). Button callback data
follows ``bot/domain/callbacks.py``: ``"<capability>:1:<action>:<thread id>"``.
"""

from __future__ import annotations

from bot.domain.callbacks import Prefix, button
from bot.i18n import N_, translator
from bot.models import Role

STAFF_CAPABILITY = Prefix.CONVERSATION_STAFF  # handlers.conversations.staff
RELATIVE_CAPABILITY = Prefix.CONVERSATION_RELATIVE  # handlers.conversations.relatives

# How a relative reads who answered: the care team, or the home's management.
SIGNATURE_ROLES = {
    Role.STAFF: N_("Care team"),
    Role.APPROVER: N_("Management"),
    Role.ADMIN: N_("Management"),
}


def _button(label: str, capability: Prefix, action: str, thread_id: int) -> dict[str, str]:
    return button(label, capability, action, thread_id)


def topic_name(number: int, relative: str, resident: str) -> str:
    """The forum topic of a thread: "#12 Frau M. – Anna" (names, no words to translate)."""
    return f"#{number} {resident} – {relative}"


def relay_text(locale: str, *, number: int, relative: str, resident: str, body: str) -> str:
    """A relative's message as staff read it: headed with who, about whom, which thread.

    Also in a forum topic: should the topic not be made (no admin rights), the message lands in
    General and must still say what it is about.
    """
    head = translator(locale)._("✉️ {relative} writes about {resident} (#{number}):").format(
        relative=relative, resident=resident, number=number
    )
    return f"{head}\n{body}" if body else head


def staff_buttons(locale: str, thread_id: int) -> list[list[dict[str, str]]]:
    """Under a relayed message: answer, or close the conversation."""
    tr = translator(locale)
    return [[
        _button(tr._("↩️ Reply"), STAFF_CAPABILITY, "reply", thread_id),
        _button(tr._("✅ Close"), STAFF_CAPABILITY, "close", thread_id),
    ]]


def signature_role(locale: str, role: Role) -> str:
    """The answering staff member's role, as the relative reads it ("Pflege", "Leitung")."""
    return translator(locale)._(SIGNATURE_ROLES[role])


def answer_text(locale: str, *, author: str, role: Role, body: str) -> str:
    """A staff member's answer as the relative reads it: "Ben (Pflege): …"."""
    return translator(locale)._("{name} ({role}): {text}").format(
        name=author, role=signature_role(locale, role), text=body
    )


def relative_buttons(locale: str, thread_id: int) -> list[list[dict[str, str]]]:
    """Under an answer: write back, or close the conversation."""
    tr = translator(locale)
    return [[
        _button(tr._("↩️ Reply"), RELATIVE_CAPABILITY, "reply", thread_id),
        _button(tr._("✅ Close"), RELATIVE_CAPABILITY, "close", thread_id),
    ]]


def answered_elsewhere_text(locale: str, *, author: str, number: int, relative: str) -> str:
    """Told to the other inbox staff, so that nobody answers twice."""
    return translator(locale)._("✓ {author} answered {relative} (#{number}).").format(
        author=author, relative=relative, number=number
    )


def reminder_text(locale: str, *, number: int, relative: str, resident: str, hours: int) -> str:
    """The thread has waited ``hours`` daytime hours."""
    return translator(locale).ngettext(
        "⏰ {relative}'s message about {resident} (#{number}) has been waiting for an answer "
        "for {hours} hour (daytime). Please reply to it.",
        "⏰ {relative}'s message about {resident} (#{number}) has been waiting for an answer "
        "for {hours} hours (daytime). Please reply to it.",
        hours,
    ).format(relative=relative, resident=resident, number=number, hours=hours)


def escalation_text(
    locale: str, *, facility: str, number: int, relative: str, resident: str, hours: int
) -> str:
    """Told to the facility's admins: nobody answered for ``hours`` hours."""
    return translator(locale).ngettext(
        "⚠️ {facility}: {relative} wrote about {resident} (#{number}) and has had no answer "
        "for {hours} hour. Please make sure someone replies.",
        "⚠️ {facility}: {relative} wrote about {resident} (#{number}) and has had no answer "
        "for {hours} hours. Please make sure someone replies.",
        hours,
    ).format(facility=facility, relative=relative, resident=resident, number=number, hours=hours)


def closed_by_relative_text(locale: str, *, relative: str, number: int) -> str:
    """Told to staff when the relative closes the conversation."""
    return translator(locale)._("{relative} closed conversation #{number}.").format(
        relative=relative, number=number
    )


def closed_by_staff_text(locale: str, *, author: str, role: Role) -> str:
    """Told to the relative when staff close the conversation."""
    return translator(locale)._(
        "{name} ({role}) closed this conversation. You can write again at any time: "
        "/message"
    ).format(name=author, role=signature_role(locale, role))


def group_removed_text(locale: str, *, facility: str, group: str) -> str:
    """Told to the admins when the bot was removed from the staff group."""
    return translator(locale)._(
        "I was removed from the group “{group}”, so it is no longer linked with {facility}. "
        "Relatives' messages now go to the admins and the staff with the inbox duty in "
        "private chat. To link a group again, add me to it and send /linkgroup there."
    ).format(group=group, facility=facility)
