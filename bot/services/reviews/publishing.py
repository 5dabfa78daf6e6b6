"""Where a rating goes once it may leave the author: the stream, the home's admins, or both.

A rating cleared for publication is published at once, unless its overall stars are 2 or fewer:
then the home's admins get it first as a complaint and have a response window
(``Facility.complaint_window_hours``) before it is published regardless. A rating "only for
the home" is delivered to the admins and never published. Everything here runs inside the
caller's transaction: the state change, the stream event and the notices commit together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from tortoise.backends.base.client import BaseDBAsyncClient

from bot.delivery.outbox import Outgoing, Recipient, enqueue
from bot.domain.callbacks import Prefix, button
from bot.i18n import Translator, translator
from bot.models import (
    Account,
    ComplaintState,
    Facility,
    Review,
    ReviewState,
    Role,
    StaffRole,
)
from bot.services.accounts.accounts import locale_of
from bot.services.reviews.text import categories_of, pseudonym_text, rating_lines
from bot.services.stream import events as stream

COMPLAINT_THRESHOLD = 2  # overall stars at or below this reach the home first
# Outbox purposes of the notices about one review; their reference starts with its id.
COMPLAINT, PRIVATE, OUTCOME, RESPONSE, MODERATION = (
    "review_complaint", "review_private", "review_outcome", "review_response",
    "review_moderation",
)
PURPOSES = (COMPLAINT, PRIVATE, OUTCOME, RESPONSE, MODERATION)
# Callback capabilities of the buttons in those notices (see bot/domain/callbacks.py).
COMPLAINT_BUTTONS, MODERATION_BUTTONS = Prefix.COMPLAINTS, Prefix.MODERATION

Button = dict[str, str]
Render = Callable[[Translator], str]


def is_complaint(review: Review) -> bool:
    """Whether the stars make this rating a complaint for the home."""
    return bool(review.overall <= COMPLAINT_THRESHOLD)


async def facility_of(review: Review, connection: BaseDBAsyncClient | None = None) -> Facility:
    """The review's facility, fetched once."""
    if not isinstance(getattr(review, "_facility", None), Facility):
        await review.fetch_related("facility", using_db=connection)
    return review.facility


async def publish(review: Review, connection: BaseDBAsyncClient, now: dt.datetime) -> None:
    """Make the rating public: state, time, and the ``review.published`` stream event."""
    facility = await facility_of(review, connection)
    review.state = ReviewState.PUBLISHED
    review.published_at = now
    await review.save(using_db=connection, update_fields=["state", "published_at"])
    await stream.append(
        "review.published", facility, f"review:{review.id}", stream.review_payload(review),
        using_db=connection,
    )


async def release(review: Review, connection: BaseDBAsyncClient, now: dt.datetime) -> None:
    """A public rating that may go out: to the home first when it is a complaint, else public."""
    if is_complaint(review):
        await open_complaint(review, connection, now)
    else:
        await publish(review, connection, now)


async def open_complaint(review: Review, connection: BaseDBAsyncClient, now: dt.datetime) -> None:
    """Start the response window and tell the home's admins."""
    facility = await facility_of(review, connection)
    review.state = ReviewState.AWAITING_RESPONSE
    review.complaint_state = ComplaintState.OPEN
    review.window_ends_at = now + dt.timedelta(hours=facility.complaint_window_hours)
    await review.save(
        using_db=connection, update_fields=["state", "complaint_state", "window_ends_at"]
    )
    await notify_admins(review, connection, COMPLAINT, _complaint_notice(review, facility))


async def send_privately(review: Review, connection: BaseDBAsyncClient) -> None:
    """A rating for the home only: it goes to the admins, never to the public."""
    facility = await facility_of(review, connection)
    review.state = ReviewState.PRIVATE
    review.complaint_state = ComplaintState.OPEN if is_complaint(review) else None
    await review.save(using_db=connection, update_fields=["state", "complaint_state"])
    await notify_admins(review, connection, PRIVATE, _private_notice(review, facility))


def _complaint_notice(review: Review, facility: Facility) -> Render:
    def render(tr: Translator) -> str:
        assert review.window_ends_at is not None
        lines = [tr._("Complaint about {home} from a relative ({pseudonym}):").format(
            home=facility.name, pseudonym=pseudonym_text(tr, review.pseudonym))]
        shown = review.comment if review.share_comment else ""
        lines += rating_lines(tr, review.overall, categories_of(review), shown)
        if review.comment and not review.share_comment:
            lines.append(tr._("The relative keeps the comment for the publication."))
        lines.append("")
        lines.append(tr._(
            "You can answer until {when}: your answer is published together with the rating. "
            "After that the rating is published in any case."
        ).format(when=tr.datetime(review.window_ends_at, facility.timezone)))
        return "\n".join(lines)

    return render


def _private_notice(review: Review, facility: Facility) -> Render:
    def render(tr: Translator) -> str:
        lines = [tr._(
            "A relative ({pseudonym}) sent {home} a rating for the home only. "
            "It is not published."
        ).format(home=facility.name, pseudonym=pseudonym_text(tr, review.pseudonym))]
        lines += rating_lines(tr, review.overall, categories_of(review), review.comment)
        return "\n".join(lines)

    return render


def admin_buttons(tr: Translator, review: Review) -> list[list[Button]]:
    """Answer, and for a complaint its state: what a home's admin may do, nothing else."""
    rows = [[button(tr._("Answer"), COMPLAINT_BUTTONS, "ans", review.id)]]
    if review.complaint_state is not None:
        rows.append([
            button(tr._("In progress"), COMPLAINT_BUTTONS, "st", review.id, "in_progress"),
            button(tr._("Resolved"), COMPLAINT_BUTTONS, "st", review.id, "resolved"),
        ])
    return rows


async def home_admins(facility_id: int, connection: BaseDBAsyncClient | None) -> list[Account]:
    """The facility's admins who can be reached, each once."""
    roles = await StaffRole.filter(
        facility_id=facility_id, role=Role.ADMIN, account__unreachable=False
    ).using_db(connection).prefetch_related("account").order_by("id")
    return [role.account for role in roles]


async def notify_admins(
    review: Review, connection: BaseDBAsyncClient, purpose: str, render: Render
) -> int:
    """Tell every admin of the review's facility, each in their language, with the buttons."""
    facility = await facility_of(review, connection)
    admins = await home_admins(facility.id, connection)
    for admin in admins:
        tr = translator(locale_of(admin, None, facility.default_locale))
        await enqueue(
            [Recipient(admin.telegram_id, admin, facility.timezone)],
            Outgoing.text(render(tr), buttons=admin_buttons(tr, review)),
            purpose=purpose, reference=str(review.id), using_db=connection,
        )
    return len(admins)


async def tell_author(
    review: Review,
    connection: BaseDBAsyncClient,
    purpose: str,
    reference: str,
    render: Render,
    buttons: Sequence[Sequence[Button]] | None = None,
) -> bool:
    """A notice to the rating's author in their language (False when the author is gone)."""
    if review.author_id is None:
        return False
    author = await Account.get_or_none(id=review.author_id).using_db(connection)  # type: ignore[attr-defined]
    if author is None or author.unreachable:
        return False
    facility = await facility_of(review, connection)
    tr = translator(locale_of(author, None, facility.default_locale))
    await enqueue(
        [Recipient(author.telegram_id, author, facility.timezone)],
        Outgoing.text(render(tr), buttons=buttons),
        purpose=purpose, reference=reference, using_db=connection,
    )
    return True


def reference_of(review_id: int, *parts: str | int) -> str:
    """The outbox reference of a notice about a review: its id, then what tells notices apart."""
    return ":".join((str(review_id), *(str(part) for part in parts)))
