"""Photo updates (Fotogrüße): staff post, an approver decides, relatives receive and thank.

The flow, one module per step: a staff member drafts an update (:mod:`.drafts`) and submits
it; approvers get it for review; the first decision wins (:mod:`.decisions`), and approving
relays it to the tagged residents' relatives through the outbox (:mod:`.relay`) in the same
transaction. Relatives thank and reply (:mod:`.feedback`); the notes about an update are kept
current (:mod:`.notes`); an admin may recall it (:mod:`.recall`). Reading is :mod:`.reading`,
housekeeping (consent withdrawn, a stay ended, retention) :mod:`.housekeeping`. This module
names the whole service in one place, for the callers (and tests) that know it.
"""

from __future__ import annotations

from bot.services.photo_updates.decisions import (
    MAX_NOTE,
    AlreadyDecided,
    Decision,
    OwnPost,
    approve,
    edit_caption,
    reject,
    submit,
)
from bot.services.photo_updates.drafts import (
    MAX_CAPTION,
    MAX_PHOTOS,
    ResidentChoice,
    add_photo,
    current_draft,
    discard_draft,
    draft_for_album,
    posting_facilities,
    resident_choices,
    set_caption,
    start_draft,
    toggle_resident,
)
from bot.services.photo_updates.feedback import reply_about, thank, thanks_count
from bot.services.photo_updates.housekeeping import (
    on_consent_withdrawn,
    on_stay_ended,
    purge_expired,
)
from bot.services.photo_updates.notes import SentNote, decision_messages, sent_notes
from bot.services.photo_updates.reading import get_update, my_posts, pending
from bot.services.photo_updates.recall import DELETABLE_FOR, RECALLED, Recall, recall
from bot.services.photo_updates.relay import CAPABILITY

__all__ = [
    "CAPABILITY",
    "DELETABLE_FOR",
    "MAX_CAPTION",
    "MAX_NOTE",
    "MAX_PHOTOS",
    "RECALLED",
    "AlreadyDecided",
    "Decision",
    "OwnPost",
    "Recall",
    "ResidentChoice",
    "SentNote",
    "add_photo",
    "approve",
    "current_draft",
    "decision_messages",
    "discard_draft",
    "draft_for_album",
    "edit_caption",
    "get_update",
    "my_posts",
    "on_consent_withdrawn",
    "on_stay_ended",
    "pending",
    "posting_facilities",
    "purge_expired",
    "recall",
    "reject",
    "reply_about",
    "resident_choices",
    "sent_notes",
    "set_caption",
    "start_draft",
    "submit",
    "thank",
    "thanks_count",
    "toggle_resident",
]
