"""Domain errors. Services raise them; the edge (handler, web, CLI) turns them into a message."""

from __future__ import annotations


class DomainError(Exception):
    """Something a user asked for cannot be done; nothing was changed."""


class NotAllowed(DomainError):
    """The account does not hold the role this needs, in this facility."""


class NotFound(DomainError):
    """The thing named does not exist (or is not visible to this account)."""


class InvalidInput(DomainError):
    """Input that breaks a rule; ``field`` names what was wrong, for the message."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
