"""Accounts and who they are to a home: residents, relatives' links, staff roles, the home's
settings, the audit log, and what the bot waits for an account to type next.

The public face of the package: handlers import only what is named here, the package's
own modules import each other directly.
"""

from bot.services.accounts.accounts import (
    UnknownLocale,
    account_for,
    choose_locale,
    locale_of,
    set_reachable,
)
from bot.services.accounts.actors import Actor
from bot.services.accounts.awaiting import (
    Awaited,
    await_input,
    awaited_input,
    remember_prompt,
    stop_awaiting,
)
from bot.services.accounts.facilities import (
    RATING_LIMITS,
    RETENTION_DAYS,
    facilities_for,
    get_facility,
    update_facility,
    valid_name,
)
from bot.services.accounts.relatives import (
    QUIET_PRESETS,
    LinkView,
    QuietHours,
    link_of,
    links_of,
    quiet_hours,
    quiet_preset,
    set_photo_updates,
    set_quiet_hours,
    unlink,
)
from bot.services.accounts.residents import (
    ResidentCard,
    add_resident,
    end_stay,
    get_resident,
    list_residents,
    record_consent,
    resident_card,
    update_resident,
    withdraw_consent,
)
from bot.services.accounts.staff import (
    TeamMember,
    change_role,
    list_staff,
    remove_staff,
    team_of,
)
from bot.services.accounts.standing import (
    Standing,
    account_by_id,
    standing_of,
    team_accounts,
)

__all__ = [
    "QUIET_PRESETS",
    "RATING_LIMITS",
    "RETENTION_DAYS",
    "Actor",
    "Awaited",
    "LinkView",
    "QuietHours",
    "ResidentCard",
    "Standing",
    "TeamMember",
    "UnknownLocale",
    "account_by_id",
    "account_for",
    "add_resident",
    "await_input",
    "awaited_input",
    "change_role",
    "choose_locale",
    "end_stay",
    "facilities_for",
    "get_facility",
    "get_resident",
    "link_of",
    "links_of",
    "list_residents",
    "list_staff",
    "locale_of",
    "quiet_hours",
    "quiet_preset",
    "record_consent",
    "remember_prompt",
    "remove_staff",
    "resident_card",
    "set_photo_updates",
    "set_quiet_hours",
    "set_reachable",
    "standing_of",
    "stop_awaiting",
    "team_accounts",
    "team_of",
    "unlink",
    "update_facility",
    "update_resident",
    "valid_name",
    "withdraw_consent",
]
