"""What the bot writes about "please call us" alerts, in each recipient's language.

The alert names the home, the resident and what the home asks (a reason category, never free
text, nothing medical); its buttons follow ``bot/domain/callbacks.py``:
``"call:1:ack:<call id>:<call|come>"``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot.domain.callbacks import Prefix, button
from bot.i18n import N_, clock, translator
from bot.models import CallAnswer, CallReason

CAPABILITY = Prefix.CALL_US  # handlers.emergency_calls

REASONS = {
    CallReason.CALL: N_("Please call the home."),
    CallReason.COME: N_("Please come to the home."),
}


def reason_text(locale: str, reason: CallReason) -> str:
    """What the home asks, as one short sentence."""
    return translator(locale)._(REASONS[reason])


def clock_time(moment: dt.datetime, timezone: str, locale: str) -> str:
    """"14:05" / "2:05 PM" on the home's wall clock."""
    return clock(moment, locale, timezone)


def alert_text(
    locale: str, *, home: str, resident: str, reason: CallReason, contact: str, number: int,
    total: int,
) -> str:
    """The urgent alert to an emergency contact; a repeat says which one it is (of ``total``)."""
    tr = translator(locale)
    lines = [tr._("🚨 Urgent from {home}, about {resident}:").format(home=home, resident=resident),
             reason_text(locale, reason)]
    if contact:
        lines.append(tr._("How to reach the home: {contact}").format(contact=contact))
    lines.append(tr._("Please tap below so that the home knows you have seen this."))
    if number > 1:
        lines.append(tr._("(Reminder {number} of {total})").format(number=number, total=total))
    return "\n".join(lines)


def alert_buttons(locale: str, call_id: int) -> list[list[dict[str, str]]]:
    """I will call / I am coming."""
    tr = translator(locale)
    return [[button(tr._("📞 I will call"), CAPABILITY, "ack", call_id, CallAnswer.CALL),
             button(tr._("🚶 I am coming"), CAPABILITY, "ack", call_id, CallAnswer.COME)]]


def acknowledged_text(
    locale: str, *, relative: str, resident: str, answer: CallAnswer, at: dt.datetime,
    timezone: str,
) -> str:
    """To the sender and the staff group: who answered, what they will do, and when."""
    tr = translator(locale)
    wording = {
        CallAnswer.CALL: tr._("✅ {relative} will call about {resident} (answered at {time})."),
        CallAnswer.COME: tr._(
            "✅ {relative} is coming to the home about {resident} (answered at {time})."),
    }[answer]
    return wording.format(relative=relative, resident=resident,
                          time=clock_time(at, timezone, locale))


def answered_by_text(locale: str, *, relative: str, answer: CallAnswer) -> str:
    """To the other emergency contacts once one of them answered."""
    tr = translator(locale)
    if answer == CallAnswer.CALL:
        return tr._("✅ {relative} has answered the alert and will call the home.").format(
            relative=relative)
    return tr._("✅ {relative} has answered the alert and is coming to the home.").format(
        relative=relative)


def overdue_text(locale: str, *, resident: str, names: Sequence[str]) -> str:
    """To the sender after an hour without an answer: phone them (the family, when the
    resident has no emergency contact any more)."""
    tr = translator(locale)
    if not names:
        return tr._(
            "⚠️ Nobody has answered the alert about {resident} within an hour. Please phone the "
            "family."
        ).format(resident=resident)
    return tr._(
        "⚠️ Nobody has answered the alert about {resident} within an hour. Please phone the "
        "emergency contacts: {names}."
    ).format(resident=resident, names=", ".join(names))
