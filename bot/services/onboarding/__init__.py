"""Joining a home: invites, their codes and QR images, and the consent a relative gives.

The public face of the package: handlers import only what is named here, the package's
own modules import each other directly.
"""

from bot.services.onboarding.family import (
    FAMILY_INVITE_DAYS,
    ResidentFull,
    create_family_invite,
    invitable_residents,
)
from bot.services.onboarding.invite_codes import grouped, looks_like_code
from bot.services.onboarding.invites import (
    CreatedInvite,
    InviteView,
    create_relative_invite,
    create_staff_invite,
    deep_link,
    list_invites,
    open_invites,
    qr_png,
    revoke,
    revoke_invite,
)
from bot.services.onboarding.joining import (
    AlreadyJoined,
    Invitation,
    InviteUnusable,
    Joined,
    TooManyAttempts,
    accept_join,
    begin_join,
    decline_join,
    pending_invitation,
)

__all__ = [
    "FAMILY_INVITE_DAYS",
    "AlreadyJoined",
    "CreatedInvite",
    "Invitation",
    "InviteUnusable",
    "InviteView",
    "Joined",
    "ResidentFull",
    "TooManyAttempts",
    "accept_join",
    "begin_join",
    "create_family_invite",
    "create_relative_invite",
    "create_staff_invite",
    "decline_join",
    "deep_link",
    "grouped",
    "invitable_residents",
    "list_invites",
    "looks_like_code",
    "open_invites",
    "pending_invitation",
    "qr_png",
    "revoke",
    "revoke_invite",
]
