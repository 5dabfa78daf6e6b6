"""Wellbeing notes: staff's three-tap notes, families' consent, the evening digest.

The public face of the package: handlers import only what is named here, the package's
own modules import each other directly.
"""

from bot.services.wellbeing.consent import (
    DEFAULT_DIGEST_AT,
    NotesChoice,
    choices_of,
    digest_at,
    digest_presets,
    export_of,
    set_consent,
    set_digest_at,
)
from bot.services.wellbeing.digest import (
    DIGEST,
    Latest,
    day_photos,
    latest_for,
    purge_old_notes,
    send_digests,
)
from bot.services.wellbeing.notes import (
    APPETITES,
    MOODS,
    NOTE,
    PICK,
    NoteDraft,
    ResidentChoice,
    choose,
    open_note,
    resident_choices,
    save_note,
    search_picker,
    set_text,
    start_note,
    writing_facilities,
)
from bot.services.wellbeing.screening import MEDICAL, TEXT_LIMIT, TOO_LONG, NoteHeld
from bot.services.wellbeing.settings import (
    HomeSettings,
    LinkNotes,
    home_settings,
    links_overview,
    parse_activities,
    set_link_notes,
    set_resident_notes,
    update_settings,
)
from bot.services.wellbeing.texts import activity_name, appetite_label, mood_label

__all__ = [
    "APPETITES",
    "DEFAULT_DIGEST_AT",
    "DIGEST",
    "MEDICAL",
    "MOODS",
    "NOTE",
    "PICK",
    "TEXT_LIMIT",
    "TOO_LONG",
    "HomeSettings",
    "Latest",
    "LinkNotes",
    "NoteDraft",
    "NoteHeld",
    "NotesChoice",
    "ResidentChoice",
    "activity_name",
    "appetite_label",
    "choices_of",
    "choose",
    "day_photos",
    "digest_at",
    "digest_presets",
    "export_of",
    "home_settings",
    "latest_for",
    "links_overview",
    "mood_label",
    "open_note",
    "parse_activities",
    "purge_old_notes",
    "resident_choices",
    "save_note",
    "search_picker",
    "send_digests",
    "set_consent",
    "set_digest_at",
    "set_link_notes",
    "set_resident_notes",
    "set_text",
    "start_note",
    "update_settings",
    "writing_facilities",
]
