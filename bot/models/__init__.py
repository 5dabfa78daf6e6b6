"""The Tortoise models, one module per domain. Every change comes with a migration.

Tortoise copies model docstrings into table comments: no semicolons in them (SQLite chokes).
"""

from bot.models.accounts import Account, AwaitedInput, ProcessedUpdate
from bot.models.announcements import Announcement, AnnouncementState, Audience
from bot.models.audit import AuditEntry
from bot.models.facilities import (
    ConsentGiver,
    Facility,
    PhotoConsent,
    RelativeLink,
    Resident,
    ResidentStatus,
    Role,
    StaffRole,
    Unit,
)
from bot.models.invites import FailedInviteAttempt, Invite, InviteKind
from bot.models.outbox import Delivery, DeliveryState
from bot.models.reviews import (
    ComplaintState,
    RatingInvitation,
    Review,
    ReviewReply,
    ReviewState,
)
from bot.models.stream import StreamEvent, StreamSubscriber

__all__ = [
    "Account",
    "Announcement",
    "AnnouncementState",
    "Audience",
    "AuditEntry",
    "AwaitedInput",
    "ComplaintState",
    "ConsentGiver",
    "Delivery",
    "DeliveryState",
    "Facility",
    "FailedInviteAttempt",
    "Invite",
    "InviteKind",
    "PhotoConsent",
    "ProcessedUpdate",
    "RatingInvitation",
    "RelativeLink",
    "Resident",
    "ResidentStatus",
    "Review",
    "ReviewReply",
    "ReviewState",
    "Role",
    "StaffRole",
    "StreamEvent",
    "StreamSubscriber",
    "Unit",
]
