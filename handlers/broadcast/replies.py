"""What every step of /broadcast shares: the buttons' prefix, the id and choice a button
carries, and the wording of a refusal."""

from __future__ import annotations

from bot.domain.callbacks import BadCallbackData, Prefix
from bot.domain.errors import DomainError, InvalidInput, NotAllowed, NotFound
from bot.i18n import Translator
from bot.services import announcements as service
from handlers.kit.args import int_args

CAP = Prefix.BROADCAST


def explain(tr: Translator, error: DomainError, length: int = 0) -> str:
    """One short, localized answer for a refused step (nothing was sent).

    ``length`` is the length of a typed text that was too long.
    """
    if isinstance(error, NotAllowed):
        return tr._("Only the admins of a care home can send announcements.")
    if isinstance(error, NotFound):
        return tr._("I cannot find this announcement any more.")
    if isinstance(error, InvalidInput):
        if error.field == "text" and error.reason == "empty":
            return tr._("The announcement is empty. Please send a text.")
        if error.field in ("text", "caption"):
            limit = service.CAPTION_LIMIT if error.field == "caption" else service.TEXT_LIMIT
            return tr._(
                "This is too long: Telegram allows at most {limit} characters here, yours has "
                "{length}. Please shorten it, or split it into two announcements."
            ).format(limit=tr.number(limit), length=tr.number(length))
        if error.field == "time" and error.reason == "in the past":
            return tr._("This time has already passed. Please choose a later one.")
        if error.field == "time":
            return tr._("Please type the time, like this: 18:30 or 2026-12-24 10:00")
        if error.field == "unit" and error.reason == "none":
            return tr._("Your home has no units yet.")
        if error.field == "unit":
            return tr._("I cannot find this unit in your home.")
        if error.field == "state":
            return tr._("This announcement has already been sent.")
    return tr._("That did not work. Please check it and try again.")


def draft_and_choice(args: tuple[str, ...]) -> tuple[int, str]:
    """The draft's id and the choice a button names (``("5", "rel")``), else a bad press."""
    if len(args) != 2:
        raise BadCallbackData(args)
    (draft_id,) = int_args(args[:1], 1)
    return draft_id, args[1]
