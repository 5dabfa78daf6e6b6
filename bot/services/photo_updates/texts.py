"""Photo updates in words: the texts and buttons of every message about one, per language.

Also the names the outbox rows of photo updates go by (purposes and references), which the
relay, the decisions and the handlers share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from babel.lists import format_list
from tortoise.backends.base.client import BaseDBAsyncClient

from bot.domain.callbacks import Prefix, callback
from bot.i18n import N_, Translator
from bot.models import (
    Account,
    Delivery,
    Facility,
    PhotoUpdate,
    PhotoUpdateState,
    RejectReason,
    Resident,
)
from bot.services.accounts.accounts import locale_of

CAPABILITY = Prefix.PHOTO  # the buttons under the messages below
CAPTION_LIMIT = 1024  # Telegram's limit for a photo caption

REVIEW = "photo_review"  # to approvers: the photos, then a note with Approve / Edit / Reject
RELAY = "photo_update"  # to relatives: the photos and the note with Thank you / Reply
DECISION = "photo_decision"  # to the author: approved or not
NOTE_EDIT = "photo_note_edit"  # the review notes and the author's message, kept current
RECALL = "photo_recall"  # a recall: the relayed messages deleted, the admin told
PURPOSES = (REVIEW, RELAY, DECISION, NOTE_EDIT, RECALL)

REASONS = {
    RejectReason.CONSENT: N_("Photo consent is missing"),
    RejectReason.DIGNITY: N_("It does not protect the resident's dignity"),
    RejectReason.QUALITY: N_("The photo is not good enough"),
    RejectReason.OTHER: N_("Another reason"),
}


def photos_reference(update_id: int) -> str:
    """The reference of the photos' delivery (for a single photo: the whole message)."""
    return f"{update_id}:photos"


def note_reference(update_id: int) -> str:
    """The reference of the note after an album: residents, facility, buttons."""
    return f"{update_id}:note"


def button_data(action: str, update_id: int) -> str:
    """Callback data of a button the service puts under a message: ``photo:1:ok:12``."""
    return callback(CAPABILITY, action, update_id)


def reader_locale(account: Account | None, facility: Facility) -> str:
    """The language to write to ``account`` in: their choice, else the facility's."""
    return locale_of(account, None, facility.default_locale)


def name_list(names: Sequence[str], tr: Translator) -> str:
    """Names as a sentence writes them: "Frau M. and Herr K." (German: "… und …")."""
    return format_list(list(names), locale=tr.locale) if names else ""


def residents_line(names: Sequence[str], facility_name: str, tr: Translator) -> str:
    """The line under the photos: "📷 Frau M. and Herr K. · Haus Linden"."""
    return tr._("📷 {residents} · {facility}").format(
        residents=name_list(names, tr), facility=facility_name
    )


def reason_text(reason: RejectReason | None, note: str, tr: Translator) -> str:
    """Why an update was not approved: the reason, and the approver's words if any."""
    label = tr._(REASONS[reason]) if reason else ""
    if note and reason == RejectReason.OTHER:
        return note
    return f"{label} ({note})" if note else label


def author_name(account: Account | None, tr: Translator) -> str:
    """The author's first name; someone who erased their account is "a former colleague"."""
    if account is None or not account.first_name:
        return tr._("a former colleague")
    return account.first_name


def review_buttons(update_id: int, tr: Translator) -> list[list[dict[str, str]]]:
    """Approve / Edit caption / Reject, under the review note."""
    return [
        [
            {"text": tr._("✅ Approve"), "callback_data": button_data("ok", update_id)},
            {"text": tr._("✏️ Edit caption"), "callback_data": button_data("edit", update_id)},
        ],
        [{"text": tr._("❌ Reject"), "callback_data": button_data("no", update_id)}],
    ]


def note_buttons(
    update_id: int, state: PhotoUpdateState, admin: bool, tr: Translator
) -> list[list[dict[str, str]]] | None:
    """The buttons under a review note: the decision while pending, Recall for admins after."""
    if state == PhotoUpdateState.PENDING:
        return review_buttons(update_id, tr)
    if state == PhotoUpdateState.APPROVED and admin:
        return [[{"text": tr._("↩️ Recall"), "callback_data": button_data("recall", update_id)}]]
    return None


def family_buttons(update_id: int, tr: Translator) -> list[list[dict[str, str]]]:
    """❤️ Thank you / Reply, under what relatives receive."""
    return [
        [
            {"text": tr._("❤️ Thank you"), "callback_data": button_data("thx", update_id)},
            {"text": tr._("Reply"), "callback_data": button_data("re", update_id)},
        ]
    ]


@dataclass(frozen=True)
class Shown:
    """What the texts about one update need, loaded once."""

    update: PhotoUpdate
    facility: Facility
    residents: list[Resident]
    author: Account | None
    decided_by: Account | None
    relatives: int
    thanks: int


async def shown(update_id: int, using_db: BaseDBAsyncClient | None = None) -> Shown:
    """Load an update with its facility, tagged residents (by name), author and figures."""
    update = await PhotoUpdate.get(id=update_id, using_db=using_db)
    facility = await Facility.get(id=update.facility_id, using_db=using_db)
    residents = await Resident.filter(photo_tags__update_id=update.id).using_db(
        using_db
    ).order_by("display_name", "id")
    author = decided_by = None
    if update.author_id is not None:
        author = await Account.get_or_none(id=update.author_id, using_db=using_db)
    if update.decided_by_id is not None:
        decided_by = await Account.get_or_none(id=update.decided_by_id, using_db=using_db)
    relatives = await Delivery.filter(
        purpose=RELAY, reference=photos_reference(update.id)
    ).using_db(using_db).count()
    thanks = await update.thanks.all().using_db(using_db).count()
    return Shown(update, facility, list(residents), author, decided_by, relatives, thanks)


def _thanks_line(view: Shown, tr: Translator) -> str:
    return tr.ngettext(
        "❤️ {count} relative said thank you", "❤️ {count} relatives said thank you", view.thanks
    ).format(count=tr.number(view.thanks))


def _decided_by(view: Shown, tr: Translator) -> str:
    return view.decided_by.first_name if view.decided_by else tr._("a colleague")


def review_text(view: Shown, tr: Translator) -> str:
    """The review note for approvers, showing the update's state as it is now."""
    names = [resident.display_name for resident in view.residents]
    lines = [
        tr._("New photo update from {author}").format(author=author_name(view.author, tr)),
        residents_line(names, view.facility.name, tr),
        "",
        view.update.caption or tr._("(no caption)"),
    ]
    state = view.update.state
    if state == PhotoUpdateState.APPROVED:
        lines += ["", tr.ngettext(
            "✅ Approved by {name}, sent to {count} relative.",
            "✅ Approved by {name}, sent to {count} relatives.",
            view.relatives,
        ).format(name=_decided_by(view, tr), count=tr.number(view.relatives))]
        if view.thanks:
            lines.append(_thanks_line(view, tr))
    elif state == PhotoUpdateState.REJECTED and view.decided_by is None:
        lines += ["", tr._("❌ Not sent: the photo consent was withdrawn.")]
    elif state == PhotoUpdateState.REJECTED:
        lines += ["", tr._("❌ Not approved by {name}: {reason}").format(
            name=_decided_by(view, tr),
            reason=reason_text(view.update.reject_reason, view.update.reject_note, tr),
        )]
    elif state == PhotoUpdateState.CLOSED:
        lines += ["", tr._("Closed: someone in it no longer lives in the home.")]
    elif state == PhotoUpdateState.RECALLED:
        lines += ["", tr._("↩️ Recalled from the families.")]
    return "\n".join(lines)


def author_text(view: Shown, tr: Translator) -> str:
    """What the author is told about the decision on their update (with the thanks so far)."""
    residents = name_list([resident.display_name for resident in view.residents], tr)
    state = view.update.state
    if state == PhotoUpdateState.APPROVED:
        text = tr.ngettext(
            "✅ Your photo update of {residents} was approved by {name} and goes to {count} "
            "relative.",
            "✅ Your photo update of {residents} was approved by {name} and goes to {count} "
            "relatives.",
            view.relatives,
        ).format(residents=residents, name=_decided_by(view, tr), count=tr.number(view.relatives))
        return f"{text}\n{_thanks_line(view, tr)}" if view.thanks else text
    if state == PhotoUpdateState.REJECTED and view.decided_by is None:
        return tr._(
            "Your photo update of {residents} will not be sent: the photo consent was withdrawn."
        ).format(residents=residents)
    if state == PhotoUpdateState.REJECTED:
        return tr._(
            "Your photo update of {residents} was not approved by {name}.\nReason: {reason}"
        ).format(
            residents=residents,
            name=_decided_by(view, tr),
            reason=reason_text(view.update.reject_reason, view.update.reject_note, tr),
        )
    if state == PhotoUpdateState.CLOSED:
        return tr._(
            "Your photo update of {residents} will not be sent: someone in it no longer lives "
            "in the home."
        ).format(residents=residents)
    if state == PhotoUpdateState.RECALLED:
        return tr._("↩️ Your photo update of {residents} was recalled from the families.").format(
            residents=residents
        )
    return tr._("Your photo update of {residents} is waiting for approval.").format(
        residents=residents
    )


def recall_report(deleted: int, too_old: int, skipped: int, tr: Translator) -> str:
    """What the recalling admin is told: how many messages go, and what stays or never went."""
    lines = [tr._("Recalled: deleted {deleted} of {total} messages.").format(
        deleted=tr.number(deleted), total=tr.number(deleted))]
    if too_old:
        lines.append(tr.ngettext(
            "{count} family got it more than 48 hours ago: Telegram no longer lets me delete it "
            "there.",
            "{count} families got it more than 48 hours ago: Telegram no longer lets me delete "
            "it there.",
            too_old,
        ).format(count=tr.number(too_old)))
    if skipped:
        lines.append(tr.ngettext(
            "{count} family had not received it yet: it will not be sent.",
            "{count} families had not received it yet: it will not be sent.",
            skipped,
        ).format(count=tr.number(skipped)))
    return "\n".join(lines)
