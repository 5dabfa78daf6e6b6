"""Photo updates in Telegram: what posting, reviewing and thanking share.

Every ``photo:`` button goes through the one handler here: it parses the data, runs the step
the action names (each module's ``STEPS``: :mod:`handlers.photo.posting`,
:mod:`handlers.photo.picker`, :mod:`handlers.photo.review`, :mod:`handlers.photo.family`),
and turns a refusal into a short localized alert. Buttons carry only ids; every step asks
:mod:`bot.services.photo_updates`, which checks the pressing account's rights again.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping

from telegram import InlineKeyboardButton, Update
from telegram.ext import BaseHandler

from bot.domain.callbacks import BadCallbackData, callback
from bot.domain.enums import PhotoUpdateState
from bot.domain.errors import DomainError, InvalidInput, NotAllowed, NotFound
from bot.i18n import Translator
from bot.services import photo_updates as service
from handlers.kit.args import int_args
from handlers.kit.buttons import buttons as capability_buttons
from handlers.kit.buttons import typed as kit_typed
from handlers.kit.context import HeimboteContext
from handlers.kit.context import actor_of as actor_of  # re-exported for its siblings
from handlers.kit.text_input import TextAnswer

log = logging.getLogger(__name__)

CAP = service.CAPABILITY

Step = Callable[[Update, HeimboteContext, tuple[str, ...]], Awaitable[str | None]]
"""Does what a press asks; returns a short notice for the answer, or None."""


def button(label: str, action: str, *args: str | int) -> InlineKeyboardButton:
    """An inline button of this capability (callback data names only ids)."""
    return InlineKeyboardButton(label, callback_data=callback(CAP, action, *args))


def ids(args: tuple[str, ...], count: int) -> list[int]:
    """Exactly ``count`` ids or offsets (none negative) from callback data (kit.args), else
    :class:`BadCallbackData`."""
    numbers = int_args(args, count)
    if any(number < 0 for number in numbers):
        raise BadCallbackData(args)
    return numbers


def names(tr: Translator, update: service.PostView) -> str:
    """The tagged residents of an update: "Frau M. and Herr K."."""
    return service.name_list(update.residents, tr)


class Refused(DomainError):
    """A step that cannot go on, with the answer already written in the user's language."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def decided_text(tr: Translator, state: PhotoUpdateState, name: str) -> str:
    """Why the buttons of a post no longer work: "Carla already approved this."."""
    if state == PhotoUpdateState.APPROVED:
        return (tr._("{name} already approved this.").format(name=name) if name
                else tr._("This photo update was already approved."))
    if state == PhotoUpdateState.REJECTED:  # nobody's name: the bot, on a withdrawn consent
        return (tr._("{name} already rejected this.").format(name=name) if name
                else tr._("This photo update was not sent: the photo consent was withdrawn."))
    if state == PhotoUpdateState.RECALLED:
        return tr._("This photo update was recalled.")
    if state == PhotoUpdateState.CLOSED:
        return tr._("This photo update was closed: someone in it no longer lives here.")
    return tr._("This photo update was not submitted.")


def caption_too_long(tr: Translator, length: int) -> str:
    """Asked to shorten a typed caption (nothing was changed; it may be typed again)."""
    return tr._("Please shorten it: {length} characters, at most {limit}.").format(
        length=tr.number(length), limit=tr.number(service.MAX_CAPTION)
    )


def refusal(tr: Translator, error: DomainError) -> str:
    """One short, localized answer for a refused step (nothing was changed)."""
    if isinstance(error, Refused):
        return error.text
    if isinstance(error, service.AlreadyDecided):
        return decided_text(tr, error.state, error.decided_by_name)
    if isinstance(error, service.OwnPost):
        return tr._("You cannot approve your own post.")
    if isinstance(error, NotAllowed):
        return tr._("Sorry, you may not do this here. Nothing was changed.")
    if isinstance(error, NotFound):
        return tr._("I cannot find this photo update any more.")
    if isinstance(error, InvalidInput):
        if error.field == "photos":
            return tr._("A photo update can have at most 10 photos.")
        if error.field == "residents":
            return tr._("Please tap at least one resident who is in the photo.")
        if error.field == "consent":
            return tr._("Without photo consent, this resident cannot be chosen.")
        if error.field == "text" and error.reason == "empty":
            return tr._("Please type a few words.")
        if error.field == "text":
            return tr._("This is too long. Please keep it under 4,000 characters.")
        if error.field == "note":
            return tr._("This is too long. Please keep it under 500 characters.")
        if error.field == "state" and error.reason == PhotoUpdateState.RECALLED:
            return tr._("This photo update was recalled.")
        if error.field == "state":
            return tr._("This photo update cannot be changed any more.")
    return tr._("That did not work. Please check it and try again.")


def typed(answer: TextAnswer) -> TextAnswer:
    """The kit's typed answer in photo's words; only a bad value may be typed again."""
    return kit_typed(answer, explain=refusal, keep_asking=_may_type_again)


def _may_type_again(error: DomainError) -> bool:
    return isinstance(error, InvalidInput)


def buttons(steps: Mapping[str, Step]) -> BaseHandler[Update, HeimboteContext, None]:
    """The one handler for ``photo:`` buttons: parse, run the step, refusals become alerts."""
    return capability_buttons(CAP, steps, explain=refusal)


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """Photo updates: /myposts, /pending, and every ``photo:`` button.

    The photos themselves come through the private-media router (:mod:`handlers.kit.media`,
    :func:`handlers.photo.posting.takes_media`).
    """
    # Imported here: each module imports the shared helpers above.
    from handlers.photo import draft, family, picker, posting, queue, review

    steps: dict[str, Step] = {}
    modules = (posting, picker, draft, review, queue, family)
    for module in modules:
        if set(steps) & set(module.STEPS):
            raise ValueError(f"two photo steps named {set(steps) & set(module.STEPS)}")
        steps.update(module.STEPS)
    return [*posting.handlers(), *queue.handlers(), buttons(steps)]
