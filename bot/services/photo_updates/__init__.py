"""Photo updates: drafts from staff, the approvers' decision, relay to families, thanks, retention.

The public face of the package: handlers import only what is named here, the package's
own modules import each other directly.
"""

from bot.services.photo_updates.reading import (
    PostView,
    my_post_views,
    pending_views,
    update_view,
)
from bot.services.photo_updates.relay import (
    family_messages,
    name_list,
    review_buttons,
    review_photos,
    review_text,
    shown,
)
from bot.services.photo_updates.texts import note_buttons
from bot.services.photo_updates.updates import (
    CAPABILITY,
    MAX_CAPTION,
    AlreadyDecided,
    OwnPost,
    ResidentChoice,
    add_photo,
    approve,
    discard_draft,
    draft_for_album,
    edit_caption,
    posting_facilities,
    recall,
    reject,
    reply_about,
    resident_choices,
    set_caption,
    start_draft,
    submit,
    thank,
    thanks_count,
    toggle_resident,
)

__all__ = [
    "CAPABILITY",
    "MAX_CAPTION",
    "AlreadyDecided",
    "OwnPost",
    "PostView",
    "ResidentChoice",
    "add_photo",
    "approve",
    "discard_draft",
    "draft_for_album",
    "edit_caption",
    "family_messages",
    "my_post_views",
    "name_list",
    "note_buttons",
    "pending_views",
    "posting_facilities",
    "recall",
    "reject",
    "reply_about",
    "resident_choices",
    "review_buttons",
    "review_photos",
    "review_text",
    "set_caption",
    "shown",
    "start_draft",
    "submit",
    "thank",
    "thanks_count",
    "toggle_resident",
    "update_view",
]
