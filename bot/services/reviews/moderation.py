"""Moderation of ratings' comments: what holds a comment, and the platform moderators' decision.

A public comment is held when it contains a phone number, an e-mail address, a link, the name
of a resident or staff member of that home known to the system, or a word from the profanity
list (``bot/data/profanity.txt``). Held ratings go to the platform moderators
(``HEIMBOTE_ADMIN_IDS``), never to the home: they publish, publish without the comment, or
reject with a reason, and the author is told the outcome.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from enum import StrEnum
from functools import cache
from importlib import resources

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from bot import clock
from bot.delivery.outbox import Outgoing, Recipient, enqueue
from bot.domain.callbacks import button
from bot.domain.errors import DomainError, InvalidInput, NotAllowed, NotFound
from bot.i18n import N_, Translator, translator
from bot.models import Account, Resident, Review, ReviewState
from bot.services.accounts import audit
from bot.services.accounts.actors import Actor
from bot.services.reviews.publishing import (
    MODERATION,
    MODERATION_BUTTONS,
    OUTCOME,
    facility_of,
    reference_of,
    release,
    tell_author,
)
from bot.services.reviews.text import categories_of, rating_lines

log = logging.getLogger(__name__)


class Flag(StrEnum):
    """Why a comment is held."""

    PHONE = "phone"
    EMAIL = "email"
    URL = "url"
    NAME = "name"
    PROFANITY = "profanity"


FLAG_NAMES: dict[Flag, str] = {
    Flag.PHONE: N_("a phone number"),
    Flag.EMAIL: N_("an e-mail address"),
    Flag.URL: N_("a link"),
    Flag.NAME: N_("a name known to the home"),
    Flag.PROFANITY: N_("a rude word"),
}


class Decision(StrEnum):
    PUBLISH = "publish"
    WITHOUT_COMMENT = "without_comment"
    REJECT = "reject"


REJECT_REASONS: dict[str, str] = {
    "personal": N_("It contains personal data."),
    "insult": N_("It insults someone or uses rude words."),
    "off_topic": N_("It is not about this care home."),
    "spam": N_("It is advertising or spam."),
}


class AlreadyDecided(DomainError):
    """Another moderator decided about this rating first."""

    def __init__(self, state: ReviewState) -> None:
        super().__init__(f"already {state}")
        self.state = state


# --- what holds a comment ------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:de|com|net|org|eu|info|at|ch|io|me|biz|co|uk"
    r"|nl|be|fr|it|es|pl|tr|ru|app|online|shop|site|xyz)\b(?:/\S*)?",
    re.IGNORECASE,
)
# Digits with the separators people type in phone numbers; dots are left out (dates).
_PHONE = re.compile(r"\+?\(?\d[\d \-/()]{4,}\d")
_DATE = re.compile(r"\d{1,2}[/-]\d{1,2}[/-]\d{2,4}")
PHONE_DIGITS = 7
NAME_MIN = 3  # shorter name parts ("M.", "Bo") would hold half of all comments
# Titles and words that are part of how names are written, not names.
_NOT_NAMES = frozenset({"frau", "herr", "herrn", "dr", "prof", "mr", "mrs", "ms", "miss",
                        "familie", "schwester", "bruder", "pfleger", "von", "van", "der", "den"})


def words(text: str) -> list[str]:
    """The words of a text, case-folded (letters only: digits and punctuation split words)."""
    return _WORD.findall(text.casefold())


def name_parts(names: Iterable[str]) -> set[str]:
    """The matchable parts of people's names: case-folded, no titles, no very short parts."""
    return {
        part for name in names for part in words(name)
        if len(part) >= NAME_MIN and part not in _NOT_NAMES
    }


@cache
def profanity() -> tuple[frozenset[str], tuple[str, ...]]:
    """The profanity list: whole words, and prefixes (entries ending in ``*``)."""
    text = resources.files("bot").joinpath("data/profanity.txt").read_text(encoding="utf-8")
    entries = [line.strip().casefold() for line in text.splitlines()]
    entries = [entry for entry in entries if entry and not entry.startswith("#")]
    whole = frozenset(entry for entry in entries if not entry.endswith("*"))
    prefixes = tuple(entry[:-1] for entry in entries if entry.endswith("*"))
    return whole, prefixes


def _has_phone(text: str) -> bool:
    for match in _PHONE.finditer(text):
        candidate = match.group().strip()
        if _DATE.fullmatch(candidate):
            continue
        if sum(char.isdigit() for char in candidate) >= PHONE_DIGITS:
            return True
    return False


def screen(text: str, names: Iterable[str] = ()) -> list[Flag]:
    """Why ``text`` must be held (empty: it may be published). ``names``: the home's people."""
    flags: list[Flag] = []
    if _has_phone(text):
        flags.append(Flag.PHONE)
    if _EMAIL.search(text):
        flags.append(Flag.EMAIL)
    if _URL.search(_EMAIL.sub(" ", text)):
        flags.append(Flag.URL)
    said = words(text)
    if name_parts(names) & set(said):
        flags.append(Flag.NAME)
    whole, prefixes = profanity()
    if any(word in whole or word.startswith(prefixes) for word in said):
        flags.append(Flag.PROFANITY)
    return flags


async def known_names(facility_id: int) -> list[str]:
    """Residents' display names and staff members' first names of one home."""
    residents = await Resident.filter(facility_id=facility_id).values_list(
        "display_name", flat=True
    )
    staff = await Account.filter(staff_roles__facility_id=facility_id).values_list(
        "first_name", flat=True
    )
    return [str(name) for name in [*residents, *staff]]


async def screen_comment(facility_id: int, comment: str) -> list[Flag]:
    """Why a comment about this home must be held (empty: it may be published)."""
    if not comment.strip():
        return []
    return screen(comment, await known_names(facility_id))


# --- holding and deciding ------------------------------------------------------------------


def flags_text(tr: Translator, flags: Iterable[str]) -> str:
    """"a phone number, a link" in the reader's language."""
    known = {flag.value for flag in Flag}
    return ", ".join(tr._(FLAG_NAMES[Flag(flag)]) for flag in flags if flag in known)


async def hold(
    review: Review, flags: list[Flag], moderators: Iterable[int], connection: BaseDBAsyncClient
) -> int:
    """Send a held rating to the platform moderators with Publish / without comment / Reject."""
    facility = await facility_of(review, connection)
    chosen = sorted(set(moderators))
    if not chosen:
        log.warning("rating %s is held, but HEIMBOTE_ADMIN_IDS names no moderator", review.id)
    accounts = {
        account.telegram_id: account
        for account in await Account.filter(telegram_id__in=chosen).using_db(connection)
    }
    for telegram_id in chosen:
        account = accounts.get(telegram_id)
        tr = translator(
            account.locale if account and account.locale else facility.default_locale
        )
        lines = [tr._("A rating of {home} waits for moderation.").format(home=facility.name)]
        lines += rating_lines(tr, review.overall, categories_of(review), review.comment)
        lines.append(tr._("Held because it contains: {reasons}.").format(
            reasons=flags_text(tr, flags)))
        rows = [
            [button(tr._("Publish"), MODERATION_BUTTONS, "pub", review.id)],
            [button(tr._("Publish without comment"), MODERATION_BUTTONS, "bare", review.id)],
            [button(tr._("Reject"), MODERATION_BUTTONS, "rej", review.id)],
        ]
        await enqueue(
            [Recipient(telegram_id, account, facility.timezone)],
            Outgoing.text("\n".join(lines), buttons=rows),
            purpose=MODERATION, reference=str(review.id), using_db=connection,
        )
    return len(chosen)


async def held_review(actor: Actor, review_id: int) -> Review:
    """A rating waiting for moderation, for a platform moderator only."""
    if not actor.platform_admin:
        raise NotAllowed("only platform moderators moderate ratings")
    review = await Review.get_or_none(id=review_id).prefetch_related("facility")
    if review is None:
        raise NotFound(f"review {review_id}")
    if review.state != ReviewState.HELD:
        raise AlreadyDecided(review.state)
    return review


async def decide(
    actor: Actor,
    review_id: int,
    decision: Decision,
    reason: str | None = None,
    now: dt.datetime | None = None,
) -> Review:
    """A moderator's decision on a held rating; the author is told. Only the first one counts.

    Publishing sends a complaint (overall ≤ 2) to the home first, as any other rating.
    """
    if not actor.platform_admin:
        raise NotAllowed("only platform moderators moderate ratings")
    if decision == Decision.REJECT and reason not in REJECT_REASONS:
        raise InvalidInput("reason", "unknown")
    moment = now or clock.now()
    async with in_transaction() as connection:
        review = await (
            Review.filter(id=review_id).select_for_update().using_db(connection).first()
        )
        if review is None:
            raise NotFound(f"review {review_id}")
        if review.state != ReviewState.HELD:
            raise AlreadyDecided(review.state)
        facility = await facility_of(review, connection)
        if decision == Decision.REJECT:
            review.state = ReviewState.REJECTED
            review.moderation_note = f"{review.moderation_note} → rejected: {reason}"
            await review.save(using_db=connection, update_fields=["state", "moderation_note"])
        else:
            if decision == Decision.WITHOUT_COMMENT:
                review.comment = ""
            review.moderation_note = f"{review.moderation_note} → {decision}"
            await review.save(using_db=connection, update_fields=["comment", "moderation_note"])
            await release(review, connection, moment)
        await audit.record(
            actor, "review.moderate", facility=facility, subject=f"review:{review.id}",
            decision=decision, reason=reason,
        )
        await tell_author(
            review, connection, OUTCOME, reference_of(review.id, "moderated"),
            lambda tr: outcome_text(tr, review, facility.name, decision, reason),
        )
    return review


def outcome_text(
    tr: Translator, review: Review, home: str, decision: Decision, reason: str | None
) -> str:
    """What the author reads about the moderators' decision."""
    if decision == Decision.REJECT:
        why = REJECT_REASONS.get(reason or "", "")
        return tr._(
            "Your rating of {home} was not published. {reason} "
            "You are welcome to rate again with /rate."
        ).format(home=home, reason=tr._(why) if why else "")
    if review.state == ReviewState.AWAITING_RESPONSE:
        head = tr._("Your rating of {home} was checked: {home} now has time to answer, "
                    "then it is published.").format(home=home)
    else:
        head = tr._("Your rating of {home} was checked and is now published.").format(home=home)
    if decision == Decision.WITHOUT_COMMENT:
        return head + " " + tr._(
            "Your comment is left out, because it contained personal details or rude words."
        )
    return head
