"""The enumerations every layer shares: roles, states, kinds (stored as their values).

The models store them (:mod:`bot.models` re-exports them); handlers and services name them
from here.
"""

from __future__ import annotations

from enum import StrEnum

# --- announcements -------------------------------------------------------------------------------


class Audience(StrEnum):
    RELATIVES = "relatives"  # every active relative of the facility
    UNIT = "unit"  # relatives of the residents of one unit
    STAFF = "staff"  # staff only


class AnnouncementState(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"  # confirmed, deliveries written, waiting for send_at
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"


# --- conversations -------------------------------------------------------------------------------


class ThreadState(StrEnum):
    OPEN = "open"  # the relative waits for an answer
    ANSWERED = "answered"  # staff answered the relative's last message
    CLOSED = "closed"


class Direction(StrEnum):
    IN = "in"  # from the relative to the home
    OUT = "out"  # from staff to the relative


class MessageKind(StrEnum):
    TEXT = "text"
    PHOTO = "photo"
    VOICE = "voice"


# --- facilities ----------------------------------------------------------------------------------


class ResidentStatus(StrEnum):
    ACTIVE = "active"
    MOVED_OUT = "moved_out"
    DECEASED = "deceased"


class PhotoConsent(StrEnum):
    NONE = "none"
    GRANTED = "granted"
    WITHDRAWN = "withdrawn"


class ConsentGiver(StrEnum):
    RESIDENT = "resident"
    REPRESENTATIVE = "representative"  # Betreuer/in
    PROXY = "proxy"  # Bevollmächtigte/r


class Role(StrEnum):
    """Roles within one facility, each including the ones before it."""

    STAFF = "staff"
    APPROVER = "approver"
    ADMIN = "admin"


# --- invites -------------------------------------------------------------------------------------


class InviteKind(StrEnum):
    RELATIVE = "relative"
    STAFF = "staff"


# --- outbox --------------------------------------------------------------------------------------


class DeliveryState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"  # the recipient is unreachable, or what it was about is gone


# --- photo updates -------------------------------------------------------------------------------


class PhotoUpdateState(StrEnum):
    DRAFT = "draft"
    PENDING = "pending"  # submitted, waiting for an approver
    APPROVED = "approved"
    REJECTED = "rejected"
    RECALLED = "recalled"
    CLOSED = "closed"  # a tagged resident left before a decision


class RejectReason(StrEnum):
    CONSENT = "consent"
    DIGNITY = "dignity"
    QUALITY = "quality"
    OTHER = "other"


# --- reviews -------------------------------------------------------------------------------------


class ReviewState(StrEnum):
    HELD = "held"  # the comment waits for platform moderation
    AWAITING_RESPONSE = "awaiting_response"  # overall <= 2: the home has the window to answer
    PUBLISHED = "published"
    PRIVATE = "private"  # sent only to the home, never public
    REJECTED = "rejected"  # moderation refused it
    RETRACTED = "retracted"  # the author erased their data: the stars stay, nothing else


class ComplaintState(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"


# --- events --------------------------------------------------------------------------------------


class EventAudience(StrEnum):
    RESIDENTS = "residents"  # residents only: relatives see it for information, no sign-up
    RELATIVES = "relatives"  # relatives may come and sign up
