"""The audit log: every administrative change, who made it, through which door."""

from __future__ import annotations

import datetime as dt
from enum import Enum

from bot.models import AuditEntry, Facility
from bot.services.accounts.actors import Actor


def _jsonable(value: object) -> object:
    """Details as JSON can hold them: enums by value, dates as ISO 8601, the rest as text."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    return str(value)


async def record(
    actor: Actor,
    action: str,
    *,
    facility: Facility | None = None,
    subject: str = "",
    **details: object,
) -> AuditEntry:
    """Write one audit entry: ``action`` (e.g. ``resident.add``) on ``subject`` (``resident:12``).

    The actor's account is empty at the command line; ``via`` tells where the change came from.
    Call it inside the transaction of the change, so that no change goes unrecorded.
    """
    return await AuditEntry.create(
        facility=facility,
        actor=actor.account,
        via=actor.via,
        action=action[:64],
        subject=subject[:64],
        details={key: _jsonable(value) for key, value in details.items()},
    )
