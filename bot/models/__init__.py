"""The Tortoise models, one module per domain. Every change comes with a migration.

Tortoise copies model docstrings into table comments: no semicolons in them (SQLite chokes).
"""

from bot.models.accounts import Account, AwaitedInput, ProcessedUpdate
from bot.models.announcements import Announcement, AnnouncementState, Audience
from bot.models.audit import AuditEntry
from bot.models.conversations import (
    ConversationSetup,
    Direction,
    MessageKind,
    RelayedMessage,
    Thread,
    ThreadMessage,
    ThreadState,
)
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
from bot.models.photo_updates import (
    PhotoTag,
    PhotoThanks,
    PhotoUpdate,
    PhotoUpdateState,
    RejectReason,
)
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
    "ConversationSetup",
    "Delivery",
    "DeliveryState",
    "Direction",
    "Facility",
    "FailedInviteAttempt",
    "Invite",
    "InviteKind",
    "MessageKind",
    "PhotoConsent",
    "PhotoTag",
    "PhotoThanks",
    "PhotoUpdate",
    "PhotoUpdateState",
    "ProcessedUpdate",
    "RatingInvitation",
    "RejectReason",
    "RelativeLink",
    "RelayedMessage",
    "Resident",
    "ResidentStatus",
    "Review",
    "ReviewReply",
    "ReviewState",
    "Role",
    "StaffRole",
    "StreamEvent",
    "StreamSubscriber",
    "Thread",
    "ThreadMessage",
    "ThreadState",
    "Unit",
]
