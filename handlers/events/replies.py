"""How /events words a refusal: one short sentence per reason, nothing was changed."""

from __future__ import annotations

import functools

from bot.domain.errors import DomainError, InvalidInput, NotFound
from bot.i18n import N_, Translator
from handlers.kit import buttons

_INPUT: dict[str, str] = {
    "title": N_("Please type a title of up to 200 characters."),
    "description": N_("Please type a description of up to 2000 characters, or - for none."),
    "place": N_("Please type a place of up to 200 characters, or - for none."),
    "capacity": N_("Please type the number of places, from 1 to 1000."),
    "signup_until": N_("Please type a sign-up deadline between now and the start, like "
                       "2026-07-10 18:00, or - for until the start."),
    "people": N_("Please choose between 1 and 6 people."),
    "audience": N_("This event is for the residents only: there is no sign-up."),
    "signup": N_("Sign-up for this event has closed."),
    "places": N_("Sorry, there are not enough places left."),
    "event": N_("This event is cancelled. Nothing was changed."),
    "started": N_("This event has begun: you can no longer withdraw."),
}
_WHEN: dict[str, str] = {
    "past": N_("This time has passed. Please type a time in the future."),
    "format": N_("Please type the date and time like this: 2026-07-12 15:00, or with the end: "
                 "2026-07-12 15:00-17:00."),
}


def refusal(tr: Translator, error: DomainError) -> str:
    """The short, localized answer to a refused step."""
    if isinstance(error, NotFound):
        return tr._("I cannot find this event any more.")
    if isinstance(error, InvalidInput) and error.field == "when":
        return tr._(_WHEN.get(error.reason, _WHEN["format"]))
    if isinstance(error, InvalidInput) and error.field in _INPUT:
        return tr._(_INPUT[error.field])
    return buttons.error_message(tr, error)


typed = functools.partial(buttons.typed, explain=refusal)
