"""The Tortoise models, one module per domain. Every change comes with a migration.

Tortoise copies model docstrings into table comments: no semicolons in them (SQLite chokes).
"""

from bot.domain.enums import (
    AnnouncementState,
    Audience,
    ComplaintState,
    ConsentGiver,
    DeliveryState,
    Direction,
    EventAudience,
    InviteKind,
    MessageKind,
    PhotoConsent,
    PhotoUpdateState,
    RejectReason,
    ResidentStatus,
    ReviewState,
    Role,
    ThreadState,
)
from bot.models.accounts import Account, AwaitedInput, ProcessedUpdate
from bot.models.announcements import Announcement
from bot.models.audit import AuditEntry
from bot.models.conversations import ConversationSetup, RelayedMessage, Thread, ThreadMessage
from bot.models.emergency_calls import CallAnswer, CallReason, EmergencyCall
from bot.models.events import Event, EventSignup
from bot.models.facilities import Facility, RelativeLink, Resident, StaffRole, Unit
from bot.models.invites import FailedInviteAttempt, Invite
from bot.models.outbox import Delivery
from bot.models.photo_updates import PhotoTag, PhotoThanks, PhotoUpdate
from bot.models.reviews import RatingInvitation, Review, ReviewReply
from bot.models.stream import StreamEvent, StreamSubscriber
from bot.models.visits import (
    VisitBooking,
    VisitClosure,
    VisitOccurrence,
    VisitSetup,
    VisitSlot,
)
from bot.models.wellbeing import (
    WellbeingConsent,
    WellbeingNote,
    WellbeingReader,
    WellbeingResident,
    WellbeingSetup,
    WellbeingWriter,
)

__all__ = [
    "Account",
    "Announcement",
    "AnnouncementState",
    "Audience",
    "AuditEntry",
    "AwaitedInput",
    "CallAnswer",
    "CallReason",
    "ComplaintState",
    "ConsentGiver",
    "ConversationSetup",
    "Delivery",
    "DeliveryState",
    "Direction",
    "EmergencyCall",
    "Event",
    "EventAudience",
    "EventSignup",
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
    "VisitBooking",
    "VisitClosure",
    "VisitOccurrence",
    "VisitSetup",
    "VisitSlot",
    "WellbeingConsent",
    "WellbeingNote",
    "WellbeingReader",
    "WellbeingResident",
    "WellbeingSetup",
    "WellbeingWriter",
]
